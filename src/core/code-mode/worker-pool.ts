import { Worker } from "node:worker_threads";
import { createGcGate, type GcGate } from "./gc-gate.js";
import { WORKER_SOURCE } from "./worker-source.js";

/** Messages a code-mode worker posts (see worker-source.ts). */
export type WorkerMessage =
  | { type: "ready" }
  | { type: "done"; cellId: string; status: "completed" | "failed"; error?: string; items: OutputMessage[]; retained?: boolean }
  | { type: "items"; cellId: string; items: OutputMessage[] }
  | { type: "call" | "store" | "notify" | "yield" | "exit"; cellId: string; payload: string };

/** A `text()` (the text) or `image()` (JSON `{image_url, detail?}`) of a cell. */
export interface OutputMessage {
  kind: "text" | "image";
  payload: string;
}

export interface WorkerLimits {
  /** CPU time a cell may use (the worker's busy time) before it is stopped. */
  cpuLimitMs: number;
  /** V8 heap of one worker, MiB. */
  memoryLimitMb: number;
}

export interface WorkerHeap {
  contexts: number;
  usedBytes: number;
}

/** Why a worker went away while it ran a cell. */
export type WorkerDeath = { reason: "cpu" | "memory" | "crash" | "terminated"; message: string };

export interface CodeWorker {
  run(m: { cellId: string; source: string; tools: string; store: string }): void;
  reply(cellId: string, payload: string): void;
  /** The nested tools' list (JSON) the next cells will get: an idle worker prepares its next context with it. */
  setTools(tools: string): void;
  /** Busy time of the worker's thread since `run`, ms. */
  cpuSinceRun(): number;
  terminate(reason: WorkerDeath["reason"]): Promise<void>;
  /** Resolves once the worker has a fresh context prepared for its next cell, with the latest tools. */
  whenReady(): Promise<void>;
  onMessage: (m: WorkerMessage) => void;
  onDeath: (d: WorkerDeath) => void;
  readonly alive: boolean;
  /** Cells this worker has run. */
  readonly cells: number;
  /** Contexts of its cells the worker cannot free (module cells: Node keeps a SourceTextModule's context). */
  readonly retained: number;
  /** The worker's heap as it stands (no collection first): V8 contexts alive (its own included) and bytes used. */
  heap(): Promise<WorkerHeap>;
}

function startWorker(limits: WorkerLimits, tools: string, forget: (w: CodeWorker) => void, gc: GcGate<Worker>): CodeWorker {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    execArgv: ["--experimental-vm-modules", "--no-warnings"],
    env: {},
    stdout: true,
    stderr: true,
    workerData: { tools },
    resourceLimits: { maxOldGenerationSizeMb: limits.memoryLimitMb, maxYoungGenerationSizeMb: YOUNG_GENERATION_MB, stackSizeMb: 4 },
  });
  worker.unref();
  let alive = true;
  let cells = 0;
  let retained = 0;
  // The nested tools' list and the store are sent only when they changed since the worker last got them.
  let lastTools = tools;
  let lastStore = "{}";
  let killReason: WorkerDeath["reason"] | undefined;
  let oom = false;
  let crash: string | undefined;
  // CPU time of a cell: the worker thread's busy time, read from its event-loop utilisation. The
  // baseline is taken at the watchdog's first look, not at `run` (reading it costs a cell ~14 µs): until
  // then the wall time since `run` counts in full, which can only overstate the CPU used.
  let runAt = 0;
  let base: ReturnType<typeof worker.performance.eventLoopUtilization> | undefined;
  let baseAt = 0;
  // Every message that uses up or changes the prepared context carries a number; the worker's "ready"
  // echoes the last one it saw, so an older "ready" does not count. Waiters are few (benchmarks, the
  // pool's successions): their promise is made only when one asks.
  let seq = 0;
  let pinged = false;
  let isReady = false;
  let waiters: Array<() => void> = [];
  const heapWaiters: Array<{ resolve: (h: WorkerHeap) => void; reject: (e: Error) => void }> = [];
  const unready = (): void => {
    seq += 1;
    isReady = false;
  };
  const markReady = (): void => {
    isReady = true;
    const w = waiters;
    waiters = [];
    for (const wake of w) wake();
  };
  const self: CodeWorker = {
    run(m) {
      runAt = performance.now();
      base = undefined;
      cells += 1;
      const changed = m.tools === lastTools ? null : m.tools;
      const store = m.store === lastStore ? null : m.store;
      lastTools = m.tools;
      lastStore = m.store;
      unready();
      worker.postMessage({ type: "run", cellId: m.cellId, source: m.source, tools: changed, store, seq });
    },
    reply(cellId, payload) {
      if (alive) worker.postMessage({ type: "result", cellId, payload });
    },
    setTools(next) {
      if (!alive || next === lastTools) return;
      lastTools = next;
      unready();
      worker.postMessage({ type: "tools", tools: next, seq });
    },
    cpuSinceRun() {
      if (!alive) return 0;
      if (base === undefined) {
        base = worker.performance.eventLoopUtilization();
        baseAt = performance.now();
      }
      return baseAt - runAt + worker.performance.eventLoopUtilization(base).active;
    },
    async terminate(reason) {
      killReason ??= reason;
      await worker.terminate();
    },
    heap() {
      if (!alive) return Promise.reject(new Error("the worker has ended"));
      if (heapWaiters.length === 0) worker.postMessage({ type: "heap" });
      return new Promise<WorkerHeap>((resolve, reject) => heapWaiters.push({ resolve, reject }));
    },
    whenReady: () => (isReady ? Promise.resolve() : new Promise<void>((r) => waiters.push(r))),
    onMessage: () => {},
    onDeath: () => {},
    get alive() {
      return alive;
    },
    get cells() {
      return cells;
    },
    get retained() {
      return retained;
    },
  };
  worker.on("message", (raw: (WorkerMessage & { seq?: number }) | { type: "gc-wanted" } | { type: "gc-done" } | ({ type: "heap" } & WorkerHeap)) => {
    if (raw.type === "heap") {
      const answer = { contexts: raw.contexts, usedBytes: raw.usedBytes };
      for (const w of heapWaiters.splice(0)) w.resolve(answer);
      return;
    }
    if (raw.type === "gc-wanted") return gc.request(worker);
    if (raw.type === "gc-done") return gc.done(worker);
    const m = raw;
    if (m.type === "done" && m.retained) retained += 1;
    if (m.type === "ready") {
      // The first ready is answered with a ping, so both directions of the channel have been used once
      // before a cell needs them.
      if (!pinged) {
        pinged = true;
        worker.postMessage({ type: "ping" });
        return;
      }
      if (m.seq === seq && !isReady) markReady();
    }
    self.onMessage(m);
  });
  worker.on("error", (err: Error & { code?: string }) => {
    if (err.code === "ERR_WORKER_OUT_OF_MEMORY") oom = true;
    else crash = err.message;
  });
  worker.on("exit", (code) => {
    alive = false;
    for (const w of heapWaiters.splice(0)) w.reject(new Error("the worker has ended"));
    gc.done(worker);
    const reason = oom ? "memory" : (killReason ?? "crash");
    const message =
      reason === "memory"
        ? `the script exceeded the memory limit (${limits.memoryLimitMb} MiB) and was stopped`
        : reason === "cpu"
          ? `the script exceeded the CPU time limit (${limits.cpuLimitMs} ms) and was stopped`
          : reason === "terminated"
            ? "the script was terminated"
            : `the script runtime crashed (exit code ${code}${crash ? `: ${crash}` : ""})`;
    forget(self);
    self.onDeath({ reason, message });
  });
  return self;
}

/** Young generation of a worker, MiB (cells allocate little; a small one keeps a worker's footprint down). */
const YOUNG_GENERATION_MB = 16;

/**
 * A worker runs this many module cells, then a successor takes over (started in the background; the
 * old one serves until it is ready). Node never frees a SourceTextModule's context: once dozens have
 * piled up, each full collection marks them all (tens of milliseconds, in the middle of some cell); a
 * retired worker's heap goes away with its thread instead. Script cells' contexts are freed by V8.
 */
export const MODULE_CELLS_PER_WORKER = 32;

/**
 * A bound on all the cells of one worker (whatever else an isolate keeps per compile stays bounded).
 * Script cells' contexts go with V8's own collections: over 3,000 cells one worker's heap stayed at
 * 5–26 MiB (8–146 contexts alive between collections), so a successor (a thread start, ~30 ms CPU, and
 * cold code again) is needed rarely.
 */
export const CELLS_PER_WORKER = 2048;

/**
 * Pre-started workers: one is kept idle so a cell never waits for a thread to start; a worker
 * comes back after its cell unless it died, and a dead one is replaced on the next take.
 */
export interface WorkerPool {
  /** The limits every worker of the pool runs with. */
  readonly limits: WorkerLimits;
  /** Workers alive (idle, running a cell, or retiring). */
  readonly size: number;
  /**
   * An idle worker (or a new one) for a cell of `owner` (a thread's host). `exclusive`: one that never
   * ran a cell of another owner (module cells: their import callback must not serve another thread's code).
   */
  take(o?: { owner?: object; exclusive?: boolean }): CodeWorker;
  /** Pre-starts a worker if none is idle (after a cell went to the background, or a worker died). */
  refill(): void;
  give(w: CodeWorker): void;
  /** The nested tools' list (JSON) of the next cells; idle workers prepare their next context with it. */
  setTools(tools: string): void;
  /** Resolves once an idle worker is ready for a cell. */
  ready(): Promise<void>;
  /** The heaps of the workers alive (benchmarks, diagnostics). */
  heaps(): Promise<WorkerHeap[]>;
  dispose(): Promise<void>;
}

export function createWorkerPool(
  limits: WorkerLimits,
  o: {
    maxIdle?: number;
    cellsPerWorker?: number;
    moduleCellsPerWorker?: number;
    /** Told when a worker's idle collection starts (granted) and ends (for tests and diagnostics). */
    onCollection?: (phase: "granted" | "done") => void;
  } = {},
): WorkerPool {
  const maxIdle = o.maxIdle ?? 2;
  const cellsPerWorker = o.cellsPerWorker ?? CELLS_PER_WORKER;
  const moduleCellsPerWorker = o.moduleCellsPerWorker ?? MODULE_CELLS_PER_WORKER;
  const idle: CodeWorker[] = [];
  const all = new Set<CodeWorker>();
  // Workers past their quota: "retiring" ones keep serving until their successor is ready, then are
  // "replaced" (ended as soon as they are idle).
  const retired = new Map<CodeWorker, "retiring" | "replaced">();
  // The owners (hosts) whose cells each worker has run.
  const owners = new Map<CodeWorker, Set<object>>();
  let tools = "[]";
  let disposed = false;
  const forget = (w: CodeWorker): void => {
    all.delete(w);
    owners.delete(w);
    retired.delete(w);
    const i = idle.indexOf(w);
    if (i >= 0) idle.splice(i, 1);
  };
  const gc = createGcGate<Worker>({
    grant: (w) => {
      o.onCollection?.("granted");
      w.postMessage({ type: "gc" });
    },
    alive: (w) => w.threadId !== -1,
    released: () => o.onCollection?.("done"),
  });
  const spawn = (): CodeWorker => {
    const w = startWorker(limits, tools, forget, gc);
    all.add(w);
    return w;
  };
  const refill = (): void => {
    if (!disposed && idle.length === 0) idle.push(spawn());
  };
  // Successors being started (ready() waits for them: the pool is settled once they took over).
  const successions = new Set<Promise<void>>();
  const retire = (old: CodeWorker): void => {
    retired.set(old, "retiring");
    let settled = (): void => {};
    const succession = new Promise<void>((r) => (settled = r)).finally(() => successions.delete(succession));
    successions.add(succession);
    // Off the path of the answer being delivered now: starting a thread costs the main thread ~0.3 ms.
    setImmediate(() => {
      if (disposed) return settled();
      const next = spawn();
      next.onDeath = () => settled();
      void next.whenReady().then(() => {
        next.onDeath = () => {};
        settled();
        if (disposed || !next.alive) return;
        const i = idle.indexOf(old);
        if (i >= 0) {
          idle.splice(i, 1);
          void old.terminate("terminated");
        } else if (old.alive) {
          retired.set(old, "replaced");
        }
        idle.unshift(next);
      });
    });
  };
  refill();
  return {
    limits,
    get size() {
      return all.size;
    },
    // No refill here: starting a thread costs the main thread milliseconds, and cells usually run one
    // after another, each giving its worker back. A second worker starts only when a cell is left
    // running in the background (or a worker died).
    take(t = {}) {
      const fits = (w: CodeWorker): boolean => !t.exclusive || [...(owners.get(w) ?? [])].every((x) => x === t.owner);
      const i = idle.findIndex(fits);
      const w = i >= 0 ? idle.splice(i, 1)[0]! : spawn();
      if (t.owner) owners.set(w, (owners.get(w) ?? new Set()).add(t.owner));
      return w;
    },
    refill: () => setImmediate(refill),
    give(w) {
      w.onMessage = () => {};
      w.onDeath = () => {};
      if (!w.alive || disposed) return;
      if (retired.get(w) === "replaced") {
        void w.terminate("terminated");
        return;
      }
      if ((w.cells >= cellsPerWorker || w.retained >= moduleCellsPerWorker) && !retired.has(w)) retire(w);
      if (idle.length >= maxIdle) void w.terminate("terminated");
      else idle.push(w);
    },
    setTools(next) {
      tools = next;
      for (const w of all) w.setTools(next);
    },
    async ready() {
      while (successions.size > 0) await Promise.all([...successions]);
      refill();
      await idle[0]?.whenReady();
    },
    heaps: () => Promise.all([...all].filter((w) => w.alive).map((w) => w.heap())),
    async dispose() {
      disposed = true;
      idle.length = 0;
      await Promise.all([...all].map((w) => w.terminate("terminated")));
    },
  };
}
