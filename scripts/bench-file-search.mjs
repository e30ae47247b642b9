// Benchmarks the core fuzzy file search: bundles src/core/file-search with esbuild into a temp file and times
// (1) listing this repository through git, (2) queries against it, (3) listing a generated 50,000-file tree
// outside git (the bounded walk) and (4) queries against that listing, as the `@` popup issues them while
// someone types. Runnable alone: node scripts/bench-file-search.mjs
import { build } from "esbuild";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath, pathToFileURL } from "node:url";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const RUNS = 10;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (xs) => `median ${median(xs).toFixed(1)} ms, max ${Math.max(...xs).toFixed(1)} ms`;

async function time(fn) {
  const times = [];
  let last;
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    last = await fn();
    times.push(performance.now() - t0);
  }
  return { times, last };
}

async function main() {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "bench-file-search-"));
  try {
    const outfile = path.join(work, "fs.mjs");
    await build({ entryPoints: [path.join(repo, "src/core/file-search/index.ts")], bundle: true, platform: "node", format: "esm", outfile, logLevel: "silent" });
    const fsearch = await import(pathToFileURL(outfile).href);
    const list = await time(() => fsearch.listFiles(repo));
    console.log(`list this repo (git, ${list.last.files.length} files): ${fmt(list.times)}`);
    const index = fsearch.createFileIndex(repo);
    await index.listing();
    for (const q of ["r", "rt", "runtime", "src/core/idx"]) {
      const r = await time(() => index.search(q, { limit: 20 }));
      console.log(`  query ${JSON.stringify(q)} (${r.last.matchedCount} matched): ${fmt(r.times)}`);
    }
    const tree = path.join(work, "tree");
    for (let a = 0; a < 50; a++)
      for (let b = 0; b < 20; b++) {
        const dir = path.join(tree, `pkg-${a}`, `module${b}`, "src");
        fs.mkdirSync(dir, { recursive: true });
        for (let c = 0; c < 50; c++) fs.writeFileSync(path.join(dir, `component_${c}.ts`), "");
      }
    const walk = await time(() => fsearch.listFiles(tree));
    console.log(`walk a 50,000-file tree (no git): ${fmt(walk.times)}, ${walk.last.files.length} files, truncated ${walk.last.truncated}`);
    const big = fsearch.createFileIndex(tree);
    await big.listing();
    for (const q of ["c", "comp", "pkg4module7comp3", "zzz"]) {
      const r = await time(() => big.search(q, { limit: 20 }));
      console.log(`  query ${JSON.stringify(q)} (${r.last.matchedCount} matched): ${fmt(r.times)}`);
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

await main();
