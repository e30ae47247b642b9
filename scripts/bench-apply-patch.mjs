// Benchmarks the apply_patch engine: bundles src/core/apply-patch with esbuild into a temp file, imports it,
// and times (1) 1,000 hunks over a 5 MB file and (2) a 100-file patch inside a 10,000-file tree.
import { build } from "esbuild";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath, pathToFileURL } from "node:url";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
// The first run of each case is the cold one (the engine is not yet optimised by V8), reported on its
// own; the goal is stated on the warm median, what a running session sees after its first patch.
const RUNS = 8;

async function loadEngine(work) {
  const outfile = path.join(work, "engine.mjs");
  await build({
    entryPoints: [path.join(repo, "src/core/apply-patch/index.ts")],
    bundle: true,
    platform: "node",
    format: "esm",
    outfile,
    logLevel: "silent",
  });
  return import(pathToFileURL(outfile).href);
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** A ~5 MB file of unique lines and a patch with 1,000 evenly spread hunks. */
function bigFileCase() {
  const lines = [];
  let size = 0;
  for (let i = 0; size < 5 * 1024 * 1024; i++) {
    const l = `line ${i} ${"x".repeat(40)} end`;
    lines.push(l);
    size += l.length + 1;
  }
  const step = Math.floor(lines.length / 1000);
  const body = [];
  for (let h = 0; h < 1000; h++) {
    const at = h * step + 3;
    body.push("@@", ` ${lines[at - 2]}`, ` ${lines[at - 1]}`, `-${lines[at]}`, `+${lines[at]} changed`, ` ${lines[at + 1]}`);
  }
  return {
    content: `${lines.join("\n")}\n`,
    patch: `*** Begin Patch\n*** Update File: big.txt\n${body.join("\n")}\n*** End Patch\n`,
  };
}

async function timeRuns(setup, run) {
  const times = [];
  for (let r = 0; r < RUNS; r++) {
    await setup();
    const t0 = performance.now();
    await run();
    times.push(performance.now() - t0);
  }
  return { cold: times[0], warm: median(times.slice(1)) };
}

export async function benchApplyPatch() {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "bench-apply-patch-"));
  try {
    const engine = await loadEngine(work);
    const results = [];

    const big = bigFileCase();
    const bigDir = path.join(work, "big");
    fs.mkdirSync(bigDir);
    const bigTimes = await timeRuns(
      async () => fs.writeFileSync(path.join(bigDir, "big.txt"), big.content),
      () => engine.applyPatch(big.patch, { cwd: bigDir }),
    );
    results.push({ name: "1,000 hunks over a 5 MB file", ms: bigTimes.warm, note: `warm median; first (cold) run ${bigTimes.cold.toFixed(1)} ms` });

    const treeDir = path.join(work, "tree");
    const ops = [];
    for (let d = 0; d < 100; d++) {
      fs.mkdirSync(path.join(treeDir, `d${d}`), { recursive: true });
      for (let f = 0; f < 100; f++) {
        fs.writeFileSync(path.join(treeDir, `d${d}`, `f${f}.txt`), `file ${d}/${f}\nbody\nend\n`);
      }
      ops.push(`*** Update File: d${d}/f${d}.txt\n@@\n file ${d}/${d}\n-body\n+BODY\n end`);
    }
    const treePatch = `*** Begin Patch\n${ops.join("\n")}\n*** End Patch\n`;
    const treeTimes = await timeRuns(
      async () => {
        for (let d = 0; d < 100; d++) fs.writeFileSync(path.join(treeDir, `d${d}`, `f${d}.txt`), `file ${d}/${d}\nbody\nend\n`);
      },
      () => engine.applyPatch(treePatch, { cwd: treeDir }),
    );
    results.push({ name: "100-file patch in a 10,000-file tree", ms: treeTimes.warm, note: `warm median; first (cold) run ${treeTimes.cold.toFixed(1)} ms` });
    return results;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const results = await benchApplyPatch();
  console.log(`apply_patch benchmark (median of ${RUNS - 1} warm runs after one cold run)`);
  for (const r of results) console.log(`${r.name.padEnd(40)} ${r.ms.toFixed(1).padStart(9)} ms  (${r.note})`);
}
