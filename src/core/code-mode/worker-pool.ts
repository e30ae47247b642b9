import { Worker } from "node:worker_threads";
import { WORKER_SOURCE } from "./worker-source.js";

/** Messages a code-mode worker posts (see worker-source.ts). */
export type WorkerMessage =
  | { type: "ready" }
  | { type: "done"; cellId: string; status: "completed" | "failed"; error?: string; items: OutputMessage[] }
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

/** Why a worker went away while it ran a cell. */
export type WorkerDeath = { reason: "cpu" | "memory" | "crash" | "terminated"; message: string };

export interface CodeWorker {
  run(m: { cellId: string; source: string; tools: string; store: string }): void;
  reply(cellId: string, payload: string): void;
  /** Busy time of the worker's thread since `run`, ms. */
  cpuSinceRun(): number;
  terminate(reason: WorkerDeath["reason"]): Promise<void>;
  /** Resolves once the worker has a fresh context prepared for its next cell. */
  whenReady(): Promise<void>;
  onMessage: (m: WorkerMessage) => void;
  onDeath: (d: WorkerDeath) => void;
  readonly alive: boolean;
}

function startWorker(limits: WorkerLimits, forget: (w: CodeWorker) => void): CodeWorker {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    execArgv: ["--experimental-vm-modules", "--no-warnings"],
    env: {},
    stdout: true,
    stderr: true,
    resourceLimits: { maxOldGenerationSizeMb: limits.memoryLimitMb, maxYoungGenerationSizeMb: 16, stackSizeMb: 4 },
  });
  worker.unref();
  let alive = true;
  // The nested tools' list is sent only when it changed since this worker's last cell.
  let lastTools: string | undefined;
  let killReason: WorkerDeath["reason"] | undefined;
  let oom = false;
  let crash: string | undefined;
  let elu = worker.performance.eventLoopUtilization();
  let markReady = (): void => {};
  let pinged = false;
  let isReady = false;
  let ready = new Promise<void>((r) => (markReady = r));
  const self: CodeWorker = {
    run(m) {
      elu = worker.performance.eventLoopUtilization();
      const tools = m.tools === lastTools ? null : m.tools;
      lastTools = m.tools;
      worker.postMessage({ type: "run", ...m, tools });
    },
    reply(cellId, payload) {
      if (alive) worker.postMessage({ type: "result", cellId, payload });
    },
    cpuSinceRun: () => (alive ? worker.performance.eventLoopUtilization(elu).active : 0),
    async terminate(reason) {
      killReason ??= reason;
      await worker.terminate();
    },
    whenReady: () => ready,
    onMessage: () => {},
    onDeath: () => {},
    get alive() {
      return alive;
    },
  };
  worker.on("message", (m: WorkerMessage) => {
    if (m.type === "ready") {
      // The first ready is answered with a ping, so both directions of the channel have been used once
      // before a cell needs them.
      if (!pinged) {
        pinged = true;
        worker.postMessage({ type: "ping" });
        return;
      }
      isReady = true;
      markReady();
    } else if (m.type === "done" && isReady) {
      isReady = false;
      ready = new Promise<void>((r) => (markReady = r));
    }
    self.onMessage(m);
  });
  worker.on("error", (err: Error & { code?: string }) => {
    if (err.code === "ERR_WORKER_OUT_OF_MEMORY") oom = true;
    else crash = err.message;
  });
  worker.on("exit", (code) => {
    alive = false;
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

/**
 * Pre-started workers: one is kept idle so a cell never waits for a thread to start; a worker
 * comes back after its cell unless it died, and a dead one is replaced on the next take.
 */
export interface WorkerPool {
  take(): CodeWorker;
  /** Pre-starts a worker if none is idle (after a cell went to the background, or a worker died). */
  refill(): void;
  give(w: CodeWorker): void;
  /** Resolves once an idle worker is ready for a cell. */
  ready(): Promise<void>;
  dispose(): Promise<void>;
}

export function createWorkerPool(limits: WorkerLimits, o: { maxIdle?: number } = {}): WorkerPool {
  const maxIdle = o.maxIdle ?? 2;
  const idle: CodeWorker[] = [];
  const all = new Set<CodeWorker>();
  let disposed = false;
  const forget = (w: CodeWorker): void => {
    all.delete(w);
    const i = idle.indexOf(w);
    if (i >= 0) idle.splice(i, 1);
  };
  const spawn = (): CodeWorker => {
    const w = startWorker(limits, forget);
    all.add(w);
    return w;
  };
  const refill = (): void => {
    if (!disposed && idle.length === 0) idle.push(spawn());
  };
  refill();
  return {
    // No refill here: starting a thread costs the main thread milliseconds, and cells usually run one
    // after another, each giving its worker back. A second worker starts only when a cell is left
    // running in the background (or a worker died).
    take: () => idle.shift() ?? spawn(),
    refill: () => setImmediate(refill),
    give(w) {
      w.onMessage = () => {};
      w.onDeath = () => {};
      if (!w.alive || disposed) return;
      if (idle.length >= maxIdle) void w.terminate("terminated");
      else idle.push(w);
    },
    async ready() {
      refill();
      await idle[0]?.whenReady();
    },
    async dispose() {
      disposed = true;
      idle.length = 0;
      await Promise.all([...all].map((w) => w.terminate("terminated")));
    },
  };
}
