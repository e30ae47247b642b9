// Bundles the CLI with esbuild. Heavy parts (TUI, MCP, PTY) are dynamic imports, so esbuild splits them
// into chunks that start-up does not load.
import { build } from "esbuild";
import { readFileSync } from "node:fs";
import { readdir, readFile, rm } from "node:fs/promises";
import path from "node:path";

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
// Every library is bundled (they are devDependencies); only runtime dependencies, which are native modules
// that cannot be bundled (@lydell/node-pty), stay outside and load from node_modules at run time.
// test/e2e/install-bundle.test.ts checks that dist/ imports nothing else.
const external = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.optionalDependencies ?? {})];

// zod ships every locale's error messages and re-exports them all; we only ever show English, and
// the other locales are half of what start-up would have to compile.
const zodEnglishOnly = {
  name: "zod-english-only",
  setup(b) {
    b.onResolve({ filter: /locales\/index\.js$/ }, (args) =>
      args.importer.includes(`${path.sep}zod${path.sep}`)
        ? { path: path.join(path.dirname(args.importer), "..", "locales", "index.js"), namespace: "zod-locales" }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "zod-locales" }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(path.join(path.dirname(args.path), "en.js"))};`,
      loader: "js",
      resolveDir: path.dirname(args.path),
    }));
  },
};

// The MCP SDK validates tool results against their output schemas with ajv, imported statically. Codex
// passes results on unvalidated (src/core/mcp/connection.ts gives the SDK a permissive validator), so the
// SDK's ajv provider is replaced by a stub: ajv (and the require() strings of its code generator) stay out.
const mcpWithoutAjv = {
  name: "mcp-without-ajv",
  setup(b) {
    b.onResolve({ filter: /validation\/ajv-provider\.js$/ }, (args) =>
      args.importer.includes(`${path.sep}@modelcontextprotocol${path.sep}sdk${path.sep}`)
        ? { path: "ajv-provider-stub", namespace: "mcp-ajv-stub" }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "mcp-ajv-stub" }, () => ({
      contents:
        "export class AjvJsonSchemaValidator { getValidator() { return (data) => ({ valid: true, data, errorMessage: undefined }); } }",
      loader: "js",
    }));
  },
};

// The TUI (ink, React, Markdown) is a bundle of its own, dist/tui.cjs, which `codex` loads only for the
// interactive session: bin/codex.js compiles it with its own V8 code cache (__codexLoadCached), and the ES
// module build imports the same file. src/cli/commands/tui-loader.ts's import is swapped for that load in
// both CLI builds, so neither holds ink.
const tuiAsSeparateBundle = {
  name: "tui-as-separate-bundle",
  setup(b) {
    b.onResolve({ filter: /tui\/run-tui\.js$/ }, (args) =>
      args.importer.endsWith(`tui-loader.ts`) ? { path: "tui-bundle", namespace: "tui-bundle" } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "tui-bundle" }, () => ({
      contents: [
        'const file = require("node:url").fileURLToPath(new URL("./tui.cjs", import.meta.url));',
        'const load = () => (typeof __codexLoadCached === "function" ? __codexLoadCached(file, "tui") : require(file));',
        "export const runTui = async (...args) => load().runTui(...args);",
      ].join("\n"),
      loader: "js",
    }));
  },
};

// ws loads the optional native helpers bufferutil / utf-8-validate in a try/catch and works without them; a stub
// that throws on load keeps their require() strings out of dist/ and ws on its JavaScript code paths.
const wsWithoutNativeHelpers = {
  name: "ws-without-native-helpers",
  setup(b) {
    b.onResolve({ filter: /^(bufferutil|utf-8-validate)$/ }, (args) =>
      args.importer.includes(`${path.sep}ws${path.sep}`) ? { path: args.path, namespace: "ws-native-stub" } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "ws-native-stub" }, (args) => ({
      contents: `throw new Error(${JSON.stringify(`${args.path} is not bundled`)});`,
      loader: "js",
    }));
  },
};

// ink connects to React devtools only when DEV=true, importing react-devtools-core (not installed, and not
// something to ship): that import is replaced by one that fails, which ink reports as "not installed".
const inkWithoutDevtools = {
  name: "ink-without-devtools",
  setup(b) {
    b.onResolve({ filter: /^\.\/devtools\.js$/ }, (args) =>
      args.importer.includes(`${path.sep}ink${path.sep}`) ? { path: "ink-devtools-stub", namespace: "ink-devtools-stub" } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "ink-devtools-stub" }, () => ({
      contents: 'throw new Error("react-devtools-core is not part of this build");',
      loader: "js",
    }));
  },
};

// ink renders nothing until exit when CI is set (is-in-ci); the TUI runs only on a person's terminal, so ink is
// told it never runs in CI (src/tui/terminal/not-in-ci.ts; vitest.config.ts aliases the same file).
const inkNotInCi = {
  name: "ink-not-in-ci",
  setup(b) {
    b.onResolve({ filter: /^is-in-ci$/ }, (args) =>
      args.importer.includes(`${path.sep}ink${path.sep}`) ? { path: path.resolve("src/tui/terminal/not-in-ci.ts") } : undefined,
    );
  },
};

// yoga (ink's layout engine) is Emscripten wasm embedded as base64, and Emscripten fetch()es that data: URL
// whenever fetch exists: that loads undici only to decode base64 (tens of ms at TUI start). Without fetch
// it decodes the same bytes itself.
const yogaWithoutFetch = {
  name: "yoga-without-fetch",
  setup(b) {
    b.onLoad({ filter: /yoga-wasm-base64-esm\.js$/ }, async (args) => {
      const source = await readFile(args.path, "utf8");
      const patched = source.replaceAll('"function"!=typeof fetch', "true");
      if (patched === source) throw new Error("yoga-without-fetch: the fetch check was not found (yoga-layout changed?)");
      return { contents: patched, loader: "js" };
    });
  },
};

// The CommonJS TUI bundle cannot hold top-level await: ink awaits its devtools import (only under DEV=true,
// which this build does not support), and yoga awaits its wasm. Yoga is started synchronously instead: the
// same Emscripten module, instantiated with WebAssembly.Module/Instance from the embedded bytes.
const tuiWithoutTopLevelAwait = {
  name: "tui-without-top-level-await",
  setup(b) {
    b.onLoad({ filter: /ink[\\/]build[\\/]reconciler\.js$/ }, async (args) => {
      const source = await readFile(args.path, "utf8");
      const patched = source
        .replace("await import('./devtools.js');", "throw Object.assign(new Error('devtools are not part of this build'), { code: 'NO_DEVTOOLS' });")
        .replace("? await loadPackageJson()", "? { name: 'ink', version: undefined }");
      if (patched.includes("await import('./devtools.js')") || patched.includes("await loadPackageJson()")) {
        throw new Error("tui-without-top-level-await: ink's top-level awaits were not found as expected");
      }
      return { contents: patched, loader: "js", resolveDir: path.dirname(args.path) };
    });
    b.onLoad({ filter: /yoga-layout[\\/]dist[\\/]src[\\/]index\.js$/ }, async (args) => {
      const glue = await readFile(path.join(path.dirname(args.path), "..", "binaries", "yoga-wasm-base64-esm.js"), "utf8");
      const base64 = /data:application\/octet-stream;base64,([A-Za-z0-9+/=]+)/.exec(glue)?.[1];
      if (!base64) throw new Error("tui-without-top-level-await: yoga's embedded wasm was not found");
      return {
        contents: [
          'import loadYogaImpl from "../binaries/yoga-wasm-base64-esm.js";',
          'import wrapAssembly from "./wrapAssembly.js";',
          `const bytes = Buffer.from(${JSON.stringify(base64)}, "base64");`,
          "const moduleArg = { instantiateWasm(imports, done) { const module = new WebAssembly.Module(bytes); const instance = new WebAssembly.Instance(module, imports); done(instance, module); return instance.exports; } };",
          "loadYogaImpl(moduleArg);",
          'if (!moduleArg.calledRun) throw new Error("yoga did not start synchronously");',
          "const Yoga = wrapAssembly(moduleArg);",
          "export default Yoga;",
          'export * from "./generated/YGEnums.js";',
        ].join("\n"),
        loader: "js",
        resolveDir: path.dirname(args.path),
      };
    });
  },
};

// ink segments and measures every line it writes with Intl.Segmenter and string-width: the first Segmenter
// loads ICU's break rules (10–18 ms) and string-width's first /\p{RGI_Emoji}/v match compiles for ~20 ms, both
// before the first frame. In the TUI bundle those libraries get src/tui/terminal/fast-graphemes.ts in front:
// plain text (the frame's ASCII, box drawing, arrows, bullets) is segmented and measured there, anything else by
// ICU and the library's own code, made on first use.
const fastGraphemes = {
  name: "fast-graphemes",
  setup(b) {
    const helper = path.resolve("src/tui/terminal/fast-graphemes.ts");
    b.onLoad({ filter: /[\\/](string-width|slice-ansi|@alcalzone[\\/]ansi-tokenize)[\\/].*\.js$/ }, async (args) => {
      let source = await readFile(args.path, "utf8");
      if (!source.includes("new Intl.Segmenter(")) return undefined;
      source = source.replaceAll("new Intl.Segmenter(", "new __codexFastGraphemes.LazyGraphemeSegmenter(");
      if (/string-width[\\/]index\.js$/.test(args.path)) {
        const anchor = "const eastAsianWidthOptions = {ambiguousAsWide: !ambiguousIsNarrow};";
        if (source.split(anchor).length !== 2) throw new Error(`fast-graphemes: ${args.path} changed (no single "${anchor}")`);
        source = source.replace(
          anchor,
          `${anchor} { const fast = __codexFastGraphemes.simpleTextWidth(string, options, eastAsianWidth); if (fast !== undefined) return fast; }`,
        );
      }
      return {
        contents: `import * as __codexFastGraphemes from ${JSON.stringify(helper)};\n${source}`,
        loader: "js",
        resolveDir: path.dirname(args.path),
      };
    });
  },
};

// marked builds its whole grammar (a few hundred RegExps) when its module is evaluated, ~10–18 ms that the first
// frame does not need (it has no Markdown yet). In the TUI bundle the Lexer the markdown code imports is a
// stand-in that loads marked on first use (esbuild turns that require into marked's lazy module init).
const lazyMarked = {
  name: "lazy-marked",
  setup(b) {
    b.onResolve({ filter: /^marked$/ }, (args) =>
      args.namespace === "lazy-marked" || !/src[\\/]tui[\\/]markdown[\\/]/.test(args.importer)
        ? undefined
        : { path: "lazy-marked", namespace: "lazy-marked", pluginData: { resolveDir: args.resolveDir } },
    );
    b.onLoad({ filter: /.*/, namespace: "lazy-marked" }, (args) => ({
      contents: [
        "let real;",
        'const load = () => (real ??= require("marked"));',
        "export class Lexer { constructor(...args) { return new (load().Lexer)(...args); } }",
      ].join("\n"),
      loader: "js",
      resolveDir: args.pluginData.resolveDir,
    }));
  },
};

// commander requires node:child_process when it loads (for executable subcommands, which codex has none of),
// and so does terminal-size (ink's fallback when stdout is not a terminal): ~10 ms of net/dgram/child_process
// at every start. They get it on first use instead.
const lazyChildProcess = {
  name: "lazy-child-process",
  setup(b) {
    // signal-exit (ink's) loads node:assert for one argument check: on first use too.
    b.onLoad({ filter: /signal-exit[\\/]index\.js$/ }, async (args) => {
      const source = await readFile(args.path, "utf8");
      const eager = "var assert = require('assert')";
      if (!source.includes(eager)) return undefined;
      return {
        contents: source.replace(eager, "var assert = { equal: function () { return require('assert').equal.apply(null, arguments) } }"),
        loader: "js",
        resolveDir: path.dirname(args.path),
      };
    });
    b.onLoad({ filter: /terminal-size[\\/]index\.js$/ }, async (args) => {
      const source = await readFile(args.path, "utf8");
      const eager = "import {execFileSync} from 'node:child_process';";
      if (!source.includes(eager)) throw new Error("lazy-child-process: terminal-size's import of child_process changed");
      return {
        contents: source.replace(eager, "import { createRequire as __lazyRequire } from 'node:module';\nconst execFileSync = (...a) => __lazyRequire(import.meta.url)('node:child_process').execFileSync(...a);"),
        loader: "js",
        resolveDir: path.dirname(args.path),
      };
    });
    b.onLoad({ filter: /commander[\\/]lib[\\/]command\.js$/ }, async (args) => {
      const source = await readFile(args.path, "utf8");
      const eager = "const childProcess = require('node:child_process');";
      if (!source.includes(eager) || (source.match(/childProcess\.(\w+)/g) ?? []).some((u) => u !== "childProcess.spawn")) {
        throw new Error("lazy-child-process: commander's use of child_process changed");
      }
      return {
        contents: source.replace(eager, "const childProcess = { spawn: (...a) => require('node:child_process').spawn(...a) };"),
        loader: "js",
        resolveDir: path.dirname(args.path),
      };
    });
  },
};

const common = {
  metafile: true,
  plugins: [zodEnglishOnly, mcpWithoutAjv, wsWithoutNativeHelpers, inkWithoutDevtools, inkNotInCi, yogaWithoutFetch, lazyChildProcess],
  bundle: true,
  platform: "node",
  target: "node20",
  // esbuild rewrites regular expressions with \p{…} or the v flag into `new RegExp(…)` for node20, and a
  // RegExp made at a module's top level is parsed there, at load: string-width's /^\p{RGI_Emoji}$/v alone
  // takes ~45 ms. Node 20 has both; as literals they are compiled on first use.
  supported: { "regexp-unicode-property-escapes": true, "regexp-set-notation": true },
  minifySyntax: true,
  minifyWhitespace: true,
  // Non-ASCII characters are written as escapes: bin/codex.js reads the CommonJS bundles as latin1 (faster).
  charset: "ascii",
  external,
  // React and its reconciler pick their production builds (the development one is 4x bigger and slower).
  define: { CODEX_TS_VERSION: JSON.stringify(pkg.version), "process.env.NODE_ENV": '"production"' },
  logLevel: "warning",
};

const result = await build({
  ...common,
  entryPoints: { cli: "src/cli/main.ts", "apply-patch-cli": "src/cli/apply-patch-main.ts" },
  plugins: [...common.plugins, tuiAsSeparateBundle],
  outdir: "dist",
  splitting: true,
  format: "esm",
  sourcemap: "linked",
  banner: {
    js: "import { createRequire as __codexCreateRequire } from 'node:module'; const require = __codexCreateRequire(import.meta.url);",
  },
});

// The same CLI as one CommonJS file: bin/codex.js compiles it with vm.Script and keeps V8's code cache
// (Node 20 has no compile cache for ES modules), which saves most of the ~30 ms compile at each start.
// Strict like the ES modules it replaces; import() becomes require() so the script needs no module loader.
// Code CommonJS cannot express (top-level await) fails this build only: bin/codex.js then loads the ES
// modules (slower start, same behaviour), and the warning says why.
let cjs = { metafile: { outputs: {} } };
try {
  cjs = await build({
    ...common,
    entryPoints: { cli: "src/cli/main.ts" },
    plugins: [...common.plugins, tuiAsSeparateBundle],
    outExtension: { ".js": ".cjs" },
    outdir: "dist",
    format: "cjs",
    supported: { ...common.supported, "dynamic-import": false },
    define: {
      ...common.define,
      "import.meta.url": "__codexModuleUrl",
      "import.meta.dirname": "__dirname",
      "import.meta.filename": "__filename",
    },
    banner: { js: '"use strict";const __codexModuleUrl = require("node:url").pathToFileURL(__filename).href;' },
    logLevel: "warning",
  });
} catch (err) {
  console.warn(`warning: no CommonJS build (bin/codex.js falls back to the ES modules, without code cache): ${err.message}`);
}

// The TUI bundle (see tuiAsSeparateBundle). Without it `codex` cannot start, so a failure fails the build.
const tuiCjs = await build({
  ...common,
  entryPoints: { tui: "src/tui/run-tui.tsx" },
  plugins: [...common.plugins, tuiWithoutTopLevelAwait, fastGraphemes, lazyMarked],
  outExtension: { ".js": ".cjs" },
  outdir: "dist",
  format: "cjs",
  supported: { ...common.supported, "dynamic-import": false },
  define: {
    ...common.define,
    "import.meta.url": "__codexModuleUrl",
    "import.meta.dirname": "__dirname",
    "import.meta.filename": "__filename",
  },
  banner: { js: '"use strict";const __codexModuleUrl = require("node:url").pathToFileURL(__filename).href;' },
  logLevel: "warning",
});

// Chunk names are content hashes: drop the ones this build did not produce (and code caches of older
// bundles). Removing them after the build (not before) keeps a concurrently running binary's files in place.
const produced = new Set(
  [...Object.keys(result.metafile.outputs), ...Object.keys(cjs.metafile.outputs), ...Object.keys(tuiCjs.metafile.outputs)].map((f) => path.basename(f)),
);
for (const name of await readdir("dist")) {
  if (!produced.has(name)) await rm(path.join("dist", name), { force: true, recursive: true });
}
