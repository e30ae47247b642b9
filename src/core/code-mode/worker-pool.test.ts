import { afterEach, describe, expect, it, vi } from "vitest";
import { createCellHost, type CellHost } from "./cell-host.js";
import { createWorkerPool, type CodeWorker, type WorkerPool } from "./worker-pool.js";

let pool: WorkerPool | undefined;
let host: CellHost | undefined;
afterEach(async () => {
  await pool?.dispose();
  await host?.dispose();
  pool = host = undefined;
});

const limits = { cpuLimitMs: 10_000, memoryLimitMb: 128 };

/** Runs one cell on `w` through the raw worker protocol; resolves with its texts. */
function runOn(w: CodeWorker, cellId: string, source: string, tools = "[]"): Promise<string[]> {
  return new Promise((resolve, reject) => {
    w.onDeath = (d) => reject(new Error(d.message));
    w.onMessage = (m) => {
      if (m.type !== "done" || m.cellId !== cellId) return;
      if (m.status !== "completed") reject(new Error(m.error));
      else resolve(m.items.map((i) => i.payload));
    };
    w.run({ cellId, source, tools, store: "{}" });
  });
}

describe("code-mode worker pool", () => {
  it("idle workers collect their dead contexts one at a time, never two at once", async () => {
    const phases: string[] = [];
    pool = createWorkerPool(limits, { onCollection: (p) => phases.push(p) });
    await pool.ready();
    const a = pool.take();
    const b = pool.take();
    // Eight script cells on each leave eight dead contexts: both ask for their idle collection at about once.
    for (let i = 0; i < 8; i++) {
      await Promise.all([runOn(a, `a${i}`, `text("a")`), runOn(b, `b${i}`, `text("b")`)]);
    }
    pool.give(a);
    pool.give(b);
    await vi.waitFor(() => expect(phases).toEqual(["granted", "done", "granted", "done"]), { timeout: 20_000, interval: 20 });
  });

  it("a worker retires after its quota: it serves until its successor is ready, then ends", async () => {
    pool = createWorkerPool(limits, { cellsPerWorker: 2 });
    await pool.ready();
    const first = pool.take();
    expect(await runOn(first, "1", `text("one")`)).toEqual(["one"]);
    pool.give(first);
    expect(pool.take()).toBe(first);
    expect(await runOn(first, "2", `text("two")`)).toEqual(["two"]);
    pool.give(first);
    // Past its quota: the next cell may still get it (no waiting for a thread to start) ...
    await vi.waitFor(() => expect(first.alive).toBe(false), { timeout: 20_000, interval: 20 });
    // ... until the successor is ready; then the retired worker is gone and the successor serves.
    const next = pool.take();
    expect(next).not.toBe(first);
    expect(next.cells).toBe(0);
    expect(await runOn(next, "3", `text("three")`)).toEqual(["three"]);
  });

  it("the contexts of ended script cells are freed by V8's own collections (none forced), so a busy worker's heap stays small", async () => {
    // 400 cells of one source and no idle time between them: only V8's own collections run (a mark-compact
    // every ~60 cells here; up to 83 contexts alive seen). A context that something keeps piles up, ~0.2 MiB
    // each: V8's eval cache kept those of cells run by a direct eval of one source in their context.
    pool = createWorkerPool(limits);
    await pool.ready();
    const w = pool.take();
    let most = 0;
    for (let i = 0; i < 400; i++) {
      expect(await runOn(w, `c${i}`, `text("x")`)).toEqual(["x"]);
      if (i % 20 === 19) most = Math.max(most, (await w.heap()).contexts);
      if (process.env.SHOW && i % 20 === 19) console.log("contexts", i + 1, (await w.heap()).contexts);
    }
    expect(most).toBeGreaterThan(1);
    expect(most).toBeLessThan(150);
  });

  it("setTools prepares the idle worker's next context with the new tool list", async () => {
    pool = createWorkerPool(limits);
    const tools = JSON.stringify([{ name: "late_tool", description: "joined later" }]);
    pool.setTools(tools);
    await pool.ready();
    const w = pool.take();
    expect(await runOn(w, "1", `text(typeof tools.late_tool); text(ALL_TOOLS.map((t) => t.name));`, tools)).toEqual([
      "function",
      `["late_tool"]`,
    ]);
  });

  it("store/load and cell ids carry on across retired workers (three of them)", async () => {
    host = createCellHost({ cellsPerWorker: 2 });
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const r = await host.start({
        source: `store("n", (load("n") ?? 0) + 1); text(load("n"));`,
        yieldMs: 10_000,
        tools: [],
        callTool: async () => null,
        onNotify: () => {},
      });
      expect(r.status).toBe("completed");
      expect(r.items).toEqual([{ type: "input_text", text: String(i + 1) }]);
      ids.push(r.cellId);
      // Settled: a worker past its quota has handed over to its successor.
      await host.ready();
    }
    expect(ids).toEqual(["1", "2", "3", "4", "5", "6", "7"]);
  });
});
