// Bundles the CLI with esbuild. Heavy parts (TUI, MCP, PTY) are dynamic imports, so esbuild splits them
// into chunks that start-up does not load.
import { build } from "esbuild";
import { readFileSync } from "node:fs";
import { readdir, rm } from "node:fs/promises";
import path from "node:path";

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
const external = [
  ...Object.keys(pkg.dependencies ?? {}).filter((d) => ["better-sqlite3"].includes(d)),
  ...Object.keys(pkg.optionalDependencies ?? {}),
];

const result = await build({
  metafile: true,
  entryPoints: { cli: "src/cli/main.ts", "apply-patch-cli": "src/cli/apply-patch-main.ts" },
  outdir: "dist",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  sourcemap: "linked",
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
