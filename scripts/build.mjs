// Bundles the CLI with esbuild. Heavy parts (TUI, MCP, PTY) are dynamic imports, so esbuild splits them
// into chunks that start-up does not load.
import { build } from "esbuild";
import { readFileSync } from "node:fs";
import { readdir, rm } from "node:fs/promises";
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

const common = {
  metafile: true,
  plugins: [zodEnglishOnly, mcpWithoutAjv, wsWithoutNativeHelpers],
  bundle: true,
  platform: "node",
  target: "node20",
  minifySyntax: true,
  minifyWhitespace: true,
  external,
  define: { CODEX_TS_VERSION: JSON.stringify(pkg.version) },
  logLevel: "warning",
};

const result = await build({
  ...common,
  entryPoints: { cli: "src/cli/main.ts", "apply-patch-cli": "src/cli/apply-patch-main.ts" },
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
