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

const result = await build({
  metafile: true,
  plugins: [zodEnglishOnly],
  entryPoints: { cli: "src/cli/main.ts", "apply-patch-cli": "src/cli/apply-patch-main.ts" },
  outdir: "dist",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  sourcemap: "linked",
  minifySyntax: true,
  minifyWhitespace: true,
  external,
  define: { CODEX_TS_VERSION: JSON.stringify(pkg.version) },
  banner: {
    js: "import { createRequire as __codexCreateRequire } from 'node:module'; const require = __codexCreateRequire(import.meta.url);",
  },
  logLevel: "warning",
});

// Chunk names are content hashes: drop the ones this build did not produce. Removing them after the
// build (not before) keeps a concurrently running binary's files in place while it starts.
const produced = new Set(Object.keys(result.metafile.outputs).map((f) => path.basename(f)));
for (const name of await readdir("dist")) {
  if (!produced.has(name)) await rm(path.join("dist", name), { force: true });
}
