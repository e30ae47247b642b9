import { describe, expect, it } from "vitest";
import type { ExecExit, ExecProcess } from "./contract.js";
import { LiveProcess, SessionTable } from "./session-store.js";

function fakeProcess(): { proc: ExecProcess; finish: (e: ExecExit) => void; killed: () => boolean } {
  let finish!: (e: ExecExit) => void;
  let killed = false;
  const exited = new Promise<ExecExit>((r) => (finish = r));
  return {
    proc: { pid: 1, tty: false, write: () => false, exited, kill: () => void (killed = true) },
    finish,
    killed: () => killed,
  };
}

describe("SessionTable", () => {
  it("evicts exited sessions before live ones, then the least recently used", async () => {
    const table = new SessionTable(2);
    const a = fakeProcess();
    const b = fakeProcess();
    const la = new LiveProcess();
    la.attach(a.proc);
    const lb = new LiveProcess();
    lb.attach(b.proc);
    const ida = table.add(la);
    const idb = table.add(lb);
    b.finish({ exitCode: 0, signal: null });
    await lb.exited;
    const c = fakeProcess();
    const lc = new LiveProcess();
    lc.attach(c.proc);
    table.add(lc);
    expect(table.get(idb)).toBeUndefined();
    expect(table.get(ida)).toBe(la);
    expect(b.killed()).toBe(true);
    expect(a.killed()).toBe(false);
  });
});

describe("SessionTable pruning", () => {
  it("never prunes the most recently used (1 in 8 of the cap), even an exited one; reports what it pruned", async () => {
    const table = new SessionTable(16);
    const procs = Array.from({ length: 16 }, () => fakeProcess());
    const ids = procs.map((p) => {
      const live = new LiveProcess();
      live.attach(p.proc);
      return table.add(live, { command: "cmd", cwd: "/" });
    });
    procs[0]!.finish({ exitCode: 0, signal: null });
    await table.get(ids[0]!)!.exited;
    const next = new LiveProcess();
    next.attach(fakeProcess().proc);
    const { pruned, open } = table.addPruning(next, { command: "new", cwd: "/" });
    expect(pruned).toEqual([{ id: ids[1], command: "cmd" }]);
    expect(open).toBe(16);
    expect(procs[1]!.killed()).toBe(true);
    expect(table.get(ids[0]!)).toBeDefined();
    expect(table.list().map((t) => t.id)).not.toContain(ids[1]);
  });
});

describe("LiveProcess", () => {
  it("hands out output once and reports its end once", async () => {
    const p = fakeProcess();
    const live = new LiveProcess();
    live.record({ stream: "stdout", text: "early" });
    live.attach(p.proc);
    const ends: (ExecExit | undefined)[] = [];
    live.endReporter = (e) => ends.push(e);
    expect(live.takePending()).toEqual({ text: "early", totalBytes: 5 });
    expect(live.takePending()).toEqual({ text: "", totalBytes: 0 });
    expect(await live.waitForExit({ ms: 20, signal: new AbortController().signal })).toBe(false);
    p.finish({ exitCode: 1, signal: null });
    expect(await live.waitForExit({ ms: 5000, signal: new AbortController().signal })).toBe(true);
    live.reportEnd(live.exit);
    live.reportEnd(undefined);
    expect(ends).toEqual([{ exitCode: 1, signal: null }]);
    expect(live.aggregatedOutput()).toBe("early");
  });
});
