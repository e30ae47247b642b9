import type { ToolOutputContent } from "../../protocol/items.js";
import { MODULE_SYNTAX } from "./worker-source.js";
import { createWorkerPool, type CodeWorker, type OutputMessage, type WorkerLimits, type WorkerMessage, type WorkerPool } from "./worker-pool.js";

export type CellItem = Exclude<ToolOutputContent, string>[number];
export type CellStatus = "completed" | "running" | "failed" | "terminated";

/** What one exec or wait answers: the items produced since the last answer, and how the cell stands. */
export interface CellReport {
  cellId: string;
  status: CellStatus;
  items: CellItem[];
  /** `Script error:` text of a failed cell. */
  error?: string;
  wallMs: number;
}

export interface NestedTool {
  name: string;
  description: string;
}

export interface CellStart {
  source: string;
  yieldMs: number;
  tools: readonly NestedTool[];
  /** A nested `tools.<name>(input)` call; rejects with the message the script sees. */
  callTool(name: string, input: unknown): Promise<unknown>;
  /** `notify(text)`: extra output for the exec call, now. */
  onNotify(text: string): void;
}

export interface CellHost {
  start(o: CellStart): Promise<CellReport>;
  wait(cellId: string, o: { yieldMs: number; terminate: boolean }): Promise<CellReport>;
  /**
   * The nested tools the next cells will get (the registry calls it when its tool list changes): idle
   * workers prepare their next context with them, so a cell does not pay for installing them.
   */
  prime(tools: readonly NestedTool[]): void;
  /** Resolves once a worker is ready for the next cell (benchmarks; cells never need to wait for it). */
  ready(): Promise<void>;
  dispose(): Promise<void>;
}

interface Cell {
  id: string;
  worker: CodeWorker;
  items: CellItem[];
  startedAt: number;
  final?: { status: Exclude<CellStatus, "running">; error?: string };
  /**
   * Who waits on the cell (an exec, a wait; after an interrupt both can), each answered when the cell
   * finishes or calls yield_control(), or at its deadline (performance.now() ms) while the cell still runs.
   */
  waiters: Array<{ deadline: number; answer: () => void }>;
  /** The cell's one timer: its watchdog, and the earliest deadline of those waiting. */
  timer?: NodeJS.Timeout;
  yielded: boolean;
  /** The worker reported the end of the module's evaluation (and went back to the pool). */
  released: boolean;
  start: CellStart;
}

export const DEFAULT_LIMITS: WorkerLimits = { cpuLimitMs: 30_000, memoryLimitMb: 256 };
const WATCHDOG_MS = 50;

/**
 * Runs cells for one thread: each running cell owns one pre-started worker; `store`/`load` values
 * live here, per thread, and are handed to every new cell. A cell that exceeds its CPU time or
 * memory is stopped with its worker; the host and other cells carry on, and the pool starts a new
 * worker for the next cell. The pool is the host's own, or one shared by the threads of a runtime
 * (`pool`, with its limits): idle workers then serve any thread's next cell, in a fresh context with
 * that thread's store and tools, and a thread costs no worker of its own.
 */
export function createCellHost(o: { limits?: Partial<WorkerLimits>; cellsPerWorker?: number; pool?: WorkerPool } = {}): CellHost {
  const limits: WorkerLimits = o.pool ? o.pool.limits : { ...DEFAULT_LIMITS, ...o.limits };
  const pool = o.pool ?? createWorkerPool(limits, o.cellsPerWorker !== undefined ? { cellsPerWorker: o.cellsPerWorker } : {});
  const cells = new Map<string, Cell>();
  // This thread, to the pool (which remembers whose cells each worker ran).
  const owner = {};
  const kv: Record<string, string> = {};
  // The store as JSON, made again only after a store() (a worker is sent it only when it changed).
  let kvJson = "{}";
  // The same tool list (by identity) is encoded once; the registry hands the same array until its tools change.
  const encoded = new WeakMap<readonly NestedTool[], string>();
  const encodeTools = (tools: readonly NestedTool[]): string => {
    let json = encoded.get(tools);
    if (json === undefined) encoded.set(tools, (json = JSON.stringify(tools)));
    return json;
  };
  let counter = 0;

  const finish = (cell: Cell, status: Exclude<CellStatus, "running">, error?: string): void => {
    if (cell.final) return;
    cell.final = error === undefined ? { status } : { status, error };
    if (cell.timer) clearTimeout(cell.timer);
    cell.timer = undefined;
    wake(cell);
  };

  /** Answers those waiting whose deadline is at or before `until` (all of them by default). */
  const wake = (cell: Cell, until = Infinity): void => {
    const due = cell.waiters.filter((w) => w.deadline <= until);
    if (due.length === 0) return;
    cell.waiters = cell.waiters.filter((w) => w.deadline > until);
    for (const w of due) w.answer();
  };

  // One timer per cell: every WATCHDOG_MS it checks the cell's CPU time, and it fires at the earliest
  // deadline of those waiting. It holds the process only while someone waits.
  const arm = (cell: Cell): void => {
    if (cell.final) return;
    let delay = WATCHDOG_MS;
    for (const w of cell.waiters) delay = Math.min(delay, w.deadline - performance.now());
    cell.timer = setTimeout(tick, Math.max(0, delay), cell);
    if (cell.waiters.length === 0) cell.timer.unref();
  };
  const tick = (cell: Cell): void => {
    cell.timer = undefined;
    if (cell.final) return;
    if (cell.worker.cpuSinceRun() > limits.cpuLimitMs) void cell.worker.terminate("cpu");
    wake(cell, performance.now());
    if (!cell.final && !cell.timer) arm(cell);
  };

  const addItems = (cell: Cell, items: OutputMessage[]): void => {
    for (const { kind, payload } of items) {
      if (kind === "text") {
        cell.items.push({ type: "input_text", text: payload });
        continue;
      }
      const img = JSON.parse(payload) as { image_url: string; detail?: string };
      const detail = img.detail === "auto" || img.detail === "low" || img.detail === "high" || img.detail === "original" ? img.detail : undefined;
      cell.items.push({ type: "input_image", image_url: img.image_url, ...(detail ? { detail } : {}) });
    }
  };

  const onMessage = (cell: Cell, m: WorkerMessage): void => {
    if (m.type === "ready" || m.cellId !== cell.id) return;
    if (m.type === "done") {
      if (!cell.final) addItems(cell, m.items);
      finish(cell, m.status, m.error);
      cell.released = true;
      pool.give(cell.worker);
      return;
    }
    if (cell.final) return;
    switch (m.type) {
      case "items":
        addItems(cell, m.items);
        break;
      case "store": {
        const { key, value } = JSON.parse(m.payload) as { key: string; value: string };
        kv[key] = value;
        kvJson = JSON.stringify(kv);
        break;
      }
      case "notify":
        cell.start.onNotify(m.payload);
        break;
      case "yield":
        cell.yielded = true;
        wake(cell);
        break;
      case "exit":
        finish(cell, "completed");
        // The script's own code may still be unwinding; a worker that does not report back soon is replaced.
        setTimeout(() => {
          if (!cell.released) void cell.worker.terminate("terminated");
        }, 200).unref();
        break;
      case "call":
        void nestedCall(cell, m.payload);
        break;
    }
  };

  const nestedCall = async (cell: Cell, payload: string): Promise<void> => {
    const { id, name, input } = JSON.parse(payload) as { id: number; name: string; input: unknown };
    let reply: string;
    try {
      const value = await cell.start.callTool(name, input);
      reply = JSON.stringify({ id, ok: true, value: value === undefined ? null : value });
    } catch (err) {
      reply = JSON.stringify({ id, ok: false, error: err instanceof Error ? err.message : String(err) });
    }
    if (!cell.final) cell.worker.reply(cell.id, reply);
  };

  /** The answer to whoever waits now: the items gathered so far, and how the cell stands. */
  const report = (cell: Cell): CellReport => {
    cell.yielded = false;
    const items = cell.items.splice(0);
    const wallMs = Date.now() - cell.startedAt;
    if (!cell.final) {
      pool.refill();
      return { cellId: cell.id, status: "running", items, wallMs };
    }
    cells.delete(cell.id);
    return { cellId: cell.id, status: cell.final.status, items, wallMs, ...(cell.final.error ? { error: cell.final.error } : {}) };
  };

  /** Waits until the cell finished, yielded, or `ms` passed; then answers with the items gathered so far. */
  const settle = (cell: Cell, ms: number): Promise<CellReport> => {
    if (cell.final || cell.yielded) return Promise.resolve(report(cell));
    return new Promise<CellReport>((resolve) => {
      cell.waiters.push({ deadline: performance.now() + Math.max(0, ms), answer: () => resolve(report(cell)) });
      // The timer now also keeps this deadline (and holds the process while someone waits).
      if (cell.timer) clearTimeout(cell.timer);
      cell.timer = undefined;
      arm(cell);
    });
  };

  return {
    start(s) {
      counter += 1;
      // A module cell gets a worker no other thread's cells ran in (see worker-source.ts).
      const worker = pool.take({ owner, exclusive: o.pool !== undefined && MODULE_SYNTAX.test(s.source) });
      const cell: Cell = { id: String(counter), worker, items: [], startedAt: Date.now(), yielded: false, released: false, start: s, waiters: [] };
      cells.set(cell.id, cell);
      worker.onMessage = (m) => onMessage(cell, m);
      worker.onDeath = (d) => {
        pool.refill();
        finish(cell, d.reason === "terminated" ? "terminated" : "failed", d.reason === "terminated" ? undefined : d.message);
      };
      worker.run({ cellId: cell.id, source: s.source, tools: encodeTools(s.tools), store: kvJson });
      return settle(cell, s.yieldMs);
    },
    async wait(cellId, w) {
      const cell = cells.get(cellId);
      if (!cell) throw new Error(`exec cell ${cellId} not found (it finished, was terminated, or never existed)`);
      if (w.terminate && !cell.final) {
        // Answer only once the worker has really stopped.
        await cell.worker.terminate("terminated");
        finish(cell, "terminated");
      }
      return settle(cell, w.yieldMs);
    },
    prime: (tools) => pool.setTools(encodeTools(tools)),
    ready: () => pool.ready(),
    async dispose() {
      const running = [...cells.values()].filter((c) => !c.released);
      for (const cell of cells.values()) finish(cell, "terminated");
      cells.clear();
      if (!o.pool) return pool.dispose();
      // A shared pool stays; this thread's cells still running end with their workers.
      await Promise.all(running.map((c) => c.worker.terminate("terminated")));
    },
  };
}
