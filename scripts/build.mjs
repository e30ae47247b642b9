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

// The TUI (ink, React, yoga: top-level await) is an ES module entry of its own, dist/tui.js. The CommonJS
// build cannot hold it and turns import() into require(), so there src/cli/commands/tui-loader.ts's import
// is swapped for a real ESM import through the loader bin/codex.js hands the bundle (__codexImport).
const tuiAsEsmImport = {
  name: "tui-as-esm-import",
  setup(b) {
    b.onResolve({ filter: /tui\/run-tui\.js$/ }, (args) =>
      args.importer.endsWith(`tui-loader.ts`) ? { path: "tui-esm", namespace: "tui-esm" } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "tui-esm" }, () => ({
      contents: [
        'const url = require("node:url").pathToFileURL(require("node:path").join(__dirname, "tui.js")).href;',
        'const load = () => typeof __codexImport === "function" ? __codexImport(url) : Promise.reject(new Error("the TUI chunk loads through bin/codex.js"));',
        "export const runTui = async (...args) => (await load()).runTui(...args);",
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

const common = {
  metafile: true,
  plugins: [zodEnglishOnly, mcpWithoutAjv, wsWithoutNativeHelpers, inkWithoutDevtools, yogaWithoutFetch],
  bundle: true,
  platform: "node",
  target: "node20",
  minifySyntax: true,
  minifyWhitespace: true,
  external,
  // React and its reconciler pick their production builds (the development one is 4x bigger and slower).
  define: { CODEX_TS_VERSION: JSON.stringify(pkg.version), "process.env.NODE_ENV": '"production"' },
  logLevel: "warning",
};

const result = await build({
  ...common,
  entryPoints: { cli: "src/cli/main.ts", "apply-patch-cli": "src/cli/apply-patch-main.ts", tui: "src/tui/run-tui.tsx" },
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
    plugins: [...common.plugins, tuiAsEsmImport],
    outExtension: { ".js": ".cjs" },
    outdir: "dist",
    format: "cjs",
    supported: { "dynamic-import": false },
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

// Chunk names are content hashes: drop the ones this build did not produce (and code caches of older
// bundles). Removing them after the build (not before) keeps a concurrently running binary's files in place.
const produced = new Set([...Object.keys(result.metafile.outputs), ...Object.keys(cjs.metafile.outputs)].map((f) => path.basename(f)));
for (const name of await readdir("dist")) {
  if (!produced.has(name)) await rm(path.join("dist", name), { force: true, recursive: true });
}
