import { afterEach, describe, expect, it, vi } from "vitest";
import { createCellHost, type CellHost, type CellStart } from "./cell-host.js";
import { createWorkerPool, type WorkerPool } from "./worker-pool.js";

// One pool serves the threads of a runtime: a thread's cell may run in the worker another thread's cell
// just used, always in a fresh context with its own thread's store and tools.

let pool: WorkerPool | undefined;
const hosts: CellHost[] = [];
afterEach(async () => {
  await Promise.all(hosts.splice(0).map((h) => h.dispose()));
  await pool?.dispose();
  pool = undefined;
});

const limits = { cpuLimitMs: 10_000, memoryLimitMb: 128 };
function hostOn(p: WorkerPool): CellHost {
  const h = createCellHost({ pool: p });
  hosts.push(h);
  return h;
}
function cell(source: string, tools: string[] = [], callTool: CellStart["callTool"] = async () => null): CellStart {
  return { source, yieldMs: 10_000, tools: tools.map((name) => ({ name, description: name })), callTool, onNotify: () => {} };
}
const texts = (r: { items: { type: string; text?: string }[] }) => r.items.map((i) => i.text);

describe("code-mode worker pool shared by threads", () => {
  it("stores, tools and globals stay with their thread", async () => {
    pool = createWorkerPool(limits);
    const a = hostOn(pool);
    const b = hostOn(pool);
    await pool.ready();
    const ra = await a.start(cell(`store("secret", "a's"); globalThis.mark = "a"; text(typeof tools.only_a)`, ["only_a"]));
    expect(texts(ra)).toEqual(["function"]);
    await pool.ready();
    const rb = await b.start(cell(`text(String(load("secret"))); text(typeof mark); text(typeof tools.only_a); text(ALL_TOOLS.map((t) => t.name))`, ["only_b"]));
    expect(texts(rb)).toEqual(["undefined", "undefined", "undefined", `["only_b"]`]);
    const again = await a.start(cell(`text(load("secret")); text(typeof mark)`, ["only_a"]));
    expect(texts(again)).toEqual(["a's", "undefined"]);
    // Both threads were served by the one pre-started worker (cells run one after another here).
    expect(ra.cellId).toBe("1");
    expect(rb.cellId).toBe("1");
  });

  it("a module cell gets a worker no other thread's cells ran in; script cells take any", async () => {
    pool = createWorkerPool(limits);
    await pool.ready();
    const a = {};
    const b = {};
    const w = pool.take({ owner: a });
    pool.give(w);
    expect(pool.take({ owner: b })).toBe(w);
    pool.give(w);
    expect(pool.take({ owner: a, exclusive: true })).not.toBe(w);
    const fresh = pool.take({ owner: b, exclusive: true });
    expect(fresh).not.toBe(w);
    pool.give(fresh);
    expect(pool.take({ owner: b, exclusive: true })).toBe(fresh);
  });

  it("a thread's disposal ends its running cell's worker; the other thread carries on", async () => {
    pool = createWorkerPool(limits);
    const a = hostOn(pool);
    const b = hostOn(pool);
    let started = (): void => {};
    const inCall = new Promise<void>((r) => (started = r));
    const running = await a.start({
      ...cell(`text("before"); await tools.hang({}); text("never")`, ["hang"], () => {
        started();
        return new Promise(() => {});
      }),
      yieldMs: 50,
    });
    expect(running.status).toBe("running");
    await inCall;
    // The running cell holds one worker; a second one was started for the next cell.
    await vi.waitFor(() => expect(pool?.size).toBe(2), { timeout: 20_000, interval: 10 });
    await a.dispose();
    hosts.splice(hosts.indexOf(a), 1);
    expect(pool.size).toBe(1);
    const rb = await b.start(cell(`text("b runs")`));
    expect(texts(rb)).toEqual(["b runs"]);
    expect(texts(await b.start(cell(`text("still")`)))).toEqual(["still"]);
  });

  it("a cell killed at the pool's CPU limit is replaced for every thread", async () => {
    pool = createWorkerPool({ cpuLimitMs: 200, memoryLimitMb: 128 });
    const a = hostOn(pool);
    const b = hostOn(pool);
    const killed = await a.start(cell(`for (;;) {}`));
    expect(killed.status).toBe("failed");
    expect(killed.error).toMatch(/CPU time limit \(200 ms\)/);
    expect(texts(await b.start(cell(`text("b alive")`)))).toEqual(["b alive"]);
    expect(texts(await a.start(cell(`text("a alive")`)))).toEqual(["a alive"]);
  });
});
