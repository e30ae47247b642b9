// The floor of a fresh-context-per-cell design, for comparison with scripts/bench-code-mode.mjs: a worker that
// prepares one bare vm context between cells and runs one cached script per cell, nothing else (no tools, store,
// watchdog or output batching). `node scripts/bench-code-mode-floor.mjs` (GAP=ms between cells, N=runs, DISTINCT=1).
import { Worker } from "node:worker_threads";
const GAP = Number(process.env.GAP ?? 2), N = Number(process.env.N ?? 300);
const w = new Worker(`
const { parentPort } = require("node:worker_threads"); const vm = require("node:vm");
const boot = new vm.Script('(function (send) { globalThis.text = (v) => send(String(v)); })');
const scripts = new Map();
let prepared = null; let items = [];
const prepare = () => { const c = vm.createContext(Object.create(null)); boot.runInContext(c)((s) => { items.push(s); return ""; }); return c; };
prepared = prepare();
parentPort.on("message", async (m) => {
  const c = prepared; prepared = null;
  let s = scripts.get(m.source); if (!s) { s = new vm.Script('(async function () {"use strict";' + m.source + '\\n})', { filename: "exec_main.mjs" }); scripts.set(m.source, s); }
  let status = "completed";
  try { await s.runInContext(c)(); } catch (e) { status = "failed"; }
  parentPort.postMessage({ type: "done", status, items: items.splice(0) });
  setImmediate(() => { prepared = prepare(); });
});`, { eval: true, env: {}, resourceLimits: { maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 16, stackSizeMb: 4 } });
const pause = (ms) => new Promise((r) => setTimeout(r, ms));
const run = (source) => new Promise((r) => { w.once("message", r); w.postMessage({ type: "run", source }); });
for (let i = 0; i < 50; i++) { await pause(GAP); await run('text("")'); }
const xs = [];
for (let i = 0; i < N; i++) { await pause(GAP); const t0 = performance.now(); const r = await run(process.env.DISTINCT ? 'text("") // ' + i : 'text("")'); const out = "Script completed\\nWall time 0.0 seconds\\nOutput:\\n" + r.items.join(""); xs.push(performance.now() - t0); }
await w.terminate();
const s = [...xs].sort((a, b) => a - b);
console.log(`minimal${process.env.DISTINCT ? " distinct" : ""} gap ${GAP}: mean ${(xs.reduce((a, b) => a + b, 0) / N).toFixed(3)} median ${s[N >> 1].toFixed(3)} p95 ${s[Math.floor(N * 0.95)].toFixed(3)}`);
