import type { ExecExit, ExecProcess, OutputChunk } from "./contract.js";
import { HeadTailBuffer } from "./head-tail-buffer.js";

/** Bound for output kept per session between polls, and for the aggregate sent in exec_command_end. */
export const SESSION_OUTPUT_MAX_BYTES = 1024 * 1024;

export interface PendingOutput {
  text: string;
  totalBytes: number;
}

/**
 * A process started by `exec_command` plus the output the model has not seen yet. Once the call that
 * started it returns, it is "detached": the session table owns it and its end is reported on exit.
 */
export class LiveProcess {
  private readonly pending = new HeadTailBuffer(SESSION_OUTPUT_MAX_BYTES / 2, SESSION_OUTPUT_MAX_BYTES / 2);
  private readonly all = new HeadTailBuffer(SESSION_OUTPUT_MAX_BYTES / 2, SESSION_OUTPUT_MAX_BYTES / 2);
  exit: ExecExit | undefined;
  lastUsed = Date.now();
  readonly startedAt = Date.now();
  private process: ExecProcess | undefined;
  private exitPromise: Promise<ExecExit> | undefined;

  /** Output can arrive as soon as the process starts, so the sink exists before the process does. */
  attach(proc: ExecProcess): void {
    this.process = proc;
    this.exitPromise = proc.exited.then((exit) => {
      this.exit = exit;
      return exit;
    });
  }

  get proc(): ExecProcess {
    if (!this.process) throw new Error("LiveProcess used before attach()");
    return this.process;
  }

  get exited(): Promise<ExecExit> {
    if (!this.exitPromise) throw new Error("LiveProcess used before attach()");
    return this.exitPromise;
  }

  record(chunk: OutputChunk): void {
    const bytes = Buffer.from(chunk.text, "utf8");
    this.pending.push(bytes);
    this.all.push(bytes);
  }

  /** Output since the last call (bounded) and how many bytes it really was. */
  takePending(): PendingOutput {
    const taken = { text: this.pending.toText(), totalBytes: this.pending.totalBytes };
    this.pending.clear();
    return taken;
  }

  aggregatedOutput(): string {
    return this.all.toText();
  }

  /** Set by whoever started the process: reports exec_command_end. Runs at most once. */
  endReporter: ((exit: ExecExit | undefined) => void) | undefined;
  private ended = false;

  reportEnd(exit: ExecExit | undefined): void {
    if (this.ended) return;
    this.ended = true;
    this.endReporter?.(exit);
  }

  /** Resolves true when the process exited within `ms`, false on timeout or abort. */
  async waitForExit(options: { ms: number; signal: AbortSignal }): Promise<boolean> {
    if (this.exit) return true;
    if (options.signal.aborted) return false;
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    const stop = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), options.ms);
      onAbort = () => resolve(false);
      options.signal.addEventListener("abort", onAbort, { once: true });
    });
    try {
      return await Promise.race([this.exited.then(() => true), stop]);
    } finally {
      clearTimeout(timer);
      if (onAbort) options.signal.removeEventListener("abort", onAbort);
    }
  }
}

/**
 * Open sessions of one thread, by numeric id. Bounded: when full, the least recently used session
 * (exited ones first) is killed and forgotten.
 */
export class SessionTable {
  private readonly sessions = new Map<number, LiveProcess>();
  private nextId = 1;

  constructor(private readonly maxSessions: number) {}

  get size(): number {
    return this.sessions.size;
  }

  add(session: LiveProcess): number {
    while (this.sessions.size >= this.maxSessions) this.evictOne();
    const id = this.nextId++;
    this.sessions.set(id, session);
    return id;
  }

  get(id: number): LiveProcess | undefined {
    const s = this.sessions.get(id);
    if (s) s.lastUsed = Date.now();
    return s;
  }

  remove(id: number): void {
    this.sessions.delete(id);
  }

  /** Remove and return every session (for dispose). */
  drain(): LiveProcess[] {
    const all = [...this.sessions.values()];
    this.sessions.clear();
    return all;
  }

  private evictOne(): void {
    let victim: [number, LiveProcess] | undefined;
    for (const entry of this.sessions) {
      const [, s] = entry;
      if (!victim) victim = entry;
      else {
        const [, v] = victim;
        const better = (s.exit !== undefined) !== (v.exit !== undefined) ? s.exit !== undefined : s.lastUsed < v.lastUsed;
        if (better) victim = entry;
      }
    }
    if (!victim) return;
    this.sessions.delete(victim[0]);
    victim[1].proc.kill();
  }
}
