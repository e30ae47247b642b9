#!/usr/bin/env node
// Code-mode exec overhead, in process (no model round trip): `node scripts/bench-code-mode.mjs [runs]`.
//
// cold = the first exec of a thread: a new code-mode registry (its worker pre-starts, as when a
//        thread's toolset is built long before the model's first exec), 2 ms, then one `text("")` cell.
//        "cold, shared pool": the same for a further thread of a runtime, whose threads share one pool
//        (as src/core/runtime.ts does): the thread's first cell runs in the pool's idle worker.
// warm = later execs of the same thread; between cells the bench yields 2 ms, standing in for the
//        model round trip during which the worker prepares the next context ("back-to-back" skips it).
//        The same source every time (the trivial cell); "distinct sources" adds a counter comment, as
//        real cells differ (V8's compile cache treats a repeated module source differently).
//        "150 ms apart": warm cells at a model's pace (first tool count only), beside the floor at that pace.
// nested = `await tools.noop({})` in a cell minus a direct dispatch of noop (the nested-call tax).
// Each with 0, 32 and 128 tools registered. RSS: growth for the first cell of a thread (worker
// included) and per warm cell.
import { build } from "esbuild";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const runs = Math.max(200, Number(process.argv[2]) || 200);
const out = mkdtempSync(path.join(os.tmpdir(), "bench-code-mode-"));
const entry = path.join(out, "entry.mjs");
await build({
  stdin: {
    contents: `export { createCodeModeRegistry } from "./src/core/code-mode/code-mode-registry.ts";
export { createCellHost, DEFAULT_LIMITS } from "./src/core/code-mode/cell-host.ts";
export { createWorkerPool } from "./src/core/code-mode/worker-pool.ts";
export { createToolRegistry } from "./src/core/tools/registry.ts";
export { defineTool } from "./src/core/tools/contract.ts";
export { z } from "zod";`,
    resolveDir: root,
    loader: "ts",
  },
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  outfile: entry,
  logLevel: "error",
});
const { createCodeModeRegistry, createCellHost, DEFAULT_LIMITS, createWorkerPool, createToolRegistry, defineTool, z } = await import(pathToFileURL(entry).href);
rmSync(out, { recursive: true, force: true });

const noop = defineTool({
  name: "noop",
  description: "Does nothing.",
  args: z.object({}),
  isMutating: () => false,
  handle: async () => ({ content: "ok", success: true, structured: { ok: true } }),
});
const filler = (i) =>
  defineTool({
    name: `tool_${i}`,
    description: `Filler tool number ${i}, with a few typed arguments.`,
    args: z.object({ path: z.string().describe("A path."), limit: z.number().optional(), mode: z.enum(["a", "b"]).optional() }),
    isMutating: () => false,
    handle: async () => ({ content: "", success: true }),
  });

const ctx = {
  cwd: root,
  callId: "bench",
  sandboxPolicy: { mode: "read-only", networkAccess: false },
  approvalPolicy: "never",
  env: {},
  exec: {},
  approval: {},
  emit: () => {},
  signal: new AbortController().signal,
  spoolDir: os.tmpdir(),
};
const execCall = (input) => ({ type: "custom_tool_call", call_id: "bench", name: "exec", input });
const pause = (ms) => new Promise((r) => setTimeout(r, ms));
const now = () => performance.now();
const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mean = s.reduce((a, b) => a + b, 0) / s.length;
  return { mean, median: s[Math.floor(s.length / 2)], p95: s[Math.min(s.length - 1, Math.floor(s.length * 0.95))] };
};
const fmt = (st) => `mean ${st.mean.toFixed(3)} ms, median ${st.median.toFixed(3)} ms, p95 ${st.p95.toFixed(3)} ms`;
const mib = (b) => (b / 1024 / 1024).toFixed(2);
const gc = globalThis.gc ?? (() => {});
// The model's pace: a model round trip between two exec calls is hundreds of ms or more.
const PACE_MS = 150;
const paceRuns = Number(process.env.BENCH_PACE_RUNS ?? 60);

async function once(registry, source) {
  const t0 = now();
  const item = await registry.dispatch(execCall(source), ctx);
  const ms = now() - t0;
  if (!item.output[0].text.startsWith("Script completed")) throw new Error(`cell failed: ${JSON.stringify(item.output)}`);
  return ms;
}

console.log(`code-mode exec overhead (Node ${process.version}, ${runs} runs each, in process)`);
console.log(`machine: nproc ${os.availableParallelism?.() ?? os.cpus().length}, ${os.cpus()[0]?.model ?? "cpu"}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}`);
console.log(`reference (Rust/V8, seed's figures): cold 1.13 ms / warm 0.47 ms, RSS ~8 MiB cold / ~0.9 MiB warm`);
console.log(`goals: cold <= 0.8 ms, warm <= 0.3 ms, RSS <= 6 MiB cold / <= 0.5 MiB warm\n`);
// The floor on this machine right now: one message to a bare worker thread and back (any design that
// contains a cell in another thread pays it), measured the same way as warm cells.
{
  const w = new Worker(`require("node:worker_threads").parentPort.on("message", (m) => require("node:worker_threads").parentPort.postMessage(m))`, { eval: true });
  for (let i = 0; i < 50; i++) await new Promise((r) => (w.once("message", r), w.postMessage(i)));
  const roundTrips = async (gap, n) => {
    const rt = [];
    for (let i = 0; i < n; i++) {
      await pause(gap);
      const t0 = now();
      await new Promise((r) => (w.once("message", r), w.postMessage(i)));
      rt.push(now() - t0);
    }
    return rt;
  };
  const rt = await roundTrips(2, runs);
  const rtPaced = await roundTrips(PACE_MS, paceRuns);
  await w.terminate();
  console.log(`thread round-trip floor (bare worker, postMessage and back): ${fmt(stats(rt))}; ${PACE_MS} ms apart: ${fmt(stats(rtPaced))}; load average ${os.loadavg()[0].toFixed(1)}\n`);
}
const counts = process.env.BENCH_TOOL_COUNTS ? process.env.BENCH_TOOL_COUNTS.split(",").map(Number) : [0, 32, 128];
for (const count of counts) {
  const tools = [noop, ...Array.from({ length: count }, (_, i) => filler(i))];
  const inner = createToolRegistry(tools);
  // cold: a fresh thread each time
  const cold = [];
  const coldRss = [];
  for (let i = 0; i < runs; i++) {
    gc();
    const rss0 = process.memoryUsage().rss;
    const host = createCellHost();
    const registry = createCodeModeRegistry({ inner, only: true, host });
    registry.specs();
    await host.ready();
    // The same 2 ms as between warm cells: a thread's first exec comes at least one model round trip after
    // its toolset (and worker) was built; right after "ready" the worker's thread is still finishing its
    // start (V8 compiles the warm-up's hot code in the background), which no real first exec meets.
    await pause(2);
    cold.push(await once(registry, `text("")`));
    coldRss.push(process.memoryUsage().rss - rss0);
    await registry.dispose();
  }
  // cold, further thread of a runtime: one pool shared by all the threads
  const shared = createWorkerPool(DEFAULT_LIMITS);
  const coldShared = [];
  const coldSharedRss = [];
  for (let i = 0; i < runs; i++) {
    gc();
    const rss0 = process.memoryUsage().rss;
    const host = createCellHost({ pool: shared });
    const registry = createCodeModeRegistry({ inner, only: true, host });
    registry.specs();
    await host.ready();
    await pause(2);
    coldShared.push(await once(registry, `text("")`));
    coldSharedRss.push(process.memoryUsage().rss - rss0);
    await registry.dispose();
  }
  await shared.dispose();
  // warm: one thread, many cells
  const pool = createWorkerPool(DEFAULT_LIMITS);
  const host = createCellHost({ pool });
  const registry = createCodeModeRegistry({ inner, only: true, host });
  await host.ready();
  for (let i = 0; i < 20; i++) await once(registry, `text("")`);
  const warm = [];
  const distinct = [];
  const backToBack = [];
  const nested = [];
  const direct = [];
  gc();
  const rssWarm0 = process.memoryUsage().rss;
  for (let i = 0; i < runs; i++) {
    await pause(2);
    warm.push(await once(registry, `text("")`));
  }
  // V8's own collections only (none forced): what the busy worker holds after the warm cells.
  const heaps = await pool.heaps();
  gc();
  const rssWarm = (process.memoryUsage().rss - rssWarm0) / runs;
  for (let i = 0; i < runs; i++) {
    await pause(2);
    distinct.push(await once(registry, `text("") // ${i}`));
  }
  for (let i = 0; i < runs; i++) backToBack.push(await once(registry, `text("")`));
  const noopCall = { type: "function_call", call_id: "d", name: "noop", arguments: "{}" };
  for (let i = 0; i < runs; i++) {
    await pause(2);
    nested.push(await once(registry, `await tools.noop({})`));
    const t0 = now();
    await inner.dispatch(noopCall, ctx);
    direct.push(now() - t0);
  }
  // warm at a model's pace: PACE_MS between cells (the worker's idle collection runs in between, and
  // both threads go to sleep: the floor above, measured at the same pace, is what that costs alone).
  const paced = [];
  if (count === counts[0]) for (let i = 0; i < paceRuns; i++) {
    await pause(PACE_MS);
    paced.push(await once(registry, `text("") // ${i}`));
  }
  await registry.dispose();
  await pool.dispose();
  const tax = stats(nested.map((n, i) => n - direct[i]));
  const c = stats(coldRss);
  const cs = stats(coldSharedRss);
  console.log(`${count} tools registered:`);
  console.log(`  cold (first exec of a thread) ${fmt(stats(cold))}; first sample ${cold[0].toFixed(3)} ms`);
  console.log(`  cold, shared pool (a further thread of the runtime) ${fmt(stats(coldShared))}`);
  console.log(`  warm                          ${fmt(stats(warm))}`);
  console.log(`  warm, distinct sources        ${fmt(stats(distinct))}`);
  console.log(`  warm, back-to-back            ${fmt(stats(backToBack))}`);
  if (paced.length > 0) console.log(`  warm, ${PACE_MS} ms apart, distinct ${fmt(stats(paced))} (${paced.length} runs)`);
  console.log(`  nested-call tax               ${fmt(tax)} (cell with one nested call minus direct dispatch)`);
  console.log(`  worker after the warm cells (no forced collection): ${heaps.map((h) => `${h.contexts} V8 contexts alive, ${mib(h.usedBytes)} MiB heap used`).join("; ")}`);
  console.log(`  RSS growth: cold ${mib(c.median)} MiB (median; worker thread included), cold on the shared pool ${mib(cs.median)} MiB (median; mean ${mib(cs.mean)}), warm ${mib(rssWarm)} MiB per cell`);
}
