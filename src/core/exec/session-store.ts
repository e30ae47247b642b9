import type { BackgroundTerminal } from "../../protocol/events.js";
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

/** What a session was started as (for listing and for notices to the model). */
export interface SessionMeta {
  command: string;
  cwd: string;
  /** The call that started it (the app-server item id). */
  callId?: string;
}

/** A session that was killed to make room for a new one. */
export interface PrunedSession {
  id: number;
  command: string;
}

/** However many sessions a table holds, this many most recently used ones are never pruned. */
const PROTECTED_RECENT = 8;

/**
 * Open sessions of one thread, by numeric id: the thread's background terminals. Bounded: when full, an
 * exited session is pruned first, else the least recently used one, never one of the most recently used
 * (as the reference does); the caller tells the model. A session that ends while nobody polls it leaves an
 * exit notice for the model's next turn.
 */
export class SessionTable {
  private readonly sessions = new Map<number, { live: LiveProcess; meta: SessionMeta; used: number }>();
  private readonly exitNotices = new Map<number, string>();
  /** Sessions the model never got the id of (their call was interrupted): announced to the next turn. */
  private readonly unannounced = new Map<number, string>();
  private nextId = 1;
  /** Orders uses strictly (two uses within one millisecond still rank). */
  private clock = 0;

  constructor(private readonly maxSessions: number) {}

  get size(): number {
    return this.sessions.size;
  }

  get capacity(): number {
    return this.maxSessions;
  }

  /** From this many open sessions on, the model is warned that pruning is near (60 of 64, as the reference). */
  get warnAt(): number {
    return Math.ceil((this.maxSessions * 15) / 16);
  }

  add(session: LiveProcess, meta: SessionMeta = { command: "", cwd: "" }): number {
    return this.addPruning(session, meta).id;
  }

  /** Store `session`, pruning what must go to stay within the cap. */
  addPruning(session: LiveProcess, meta: SessionMeta): { id: number; pruned: PrunedSession[]; open: number } {
    const pruned: PrunedSession[] = [];
    while (this.sessions.size >= this.maxSessions) {
      const victim = this.pickVictim();
      if (victim === undefined) break;
      const entry = this.sessions.get(victim)!;
      this.forget(victim);
      entry.live.proc.kill();
      pruned.push({ id: victim, command: entry.meta.command });
    }
    const id = this.nextId++;
    this.sessions.set(id, { live: session, meta, used: ++this.clock });
    void session.exited.then((exit) => {
      if (this.sessions.get(id)?.live !== session) return;
      this.exitNotices.set(id, exitNotice(id, meta.command, exit));
    });
    return { id, pruned, open: this.sessions.size };
  }

  get(id: number): LiveProcess | undefined {
    const entry = this.sessions.get(id);
    if (!entry) return undefined;
    entry.used = ++this.clock;
    entry.live.lastUsed = Date.now();
    return entry.live;
  }

  /** The model saw how it ended (or it was stopped): forget it, with any pending notice. */
  remove(id: number): void {
    this.forget(id);
  }

  list(): BackgroundTerminal[] {
    return [...this.sessions].map(([id, { live, meta }]) => ({
      id,
      command: meta.command,
      cwd: meta.cwd,
      ...(meta.callId !== undefined ? { callId: meta.callId } : {}),
      tty: live.proc.tty,
      pid: live.proc.pid ?? null,
      startedAtMs: live.startedAt,
      exitCode: live.exit?.exitCode ?? null,
      running: live.exit === undefined,
    }));
  }

  /** The model was never told session `id` exists (its call was interrupted): tell the next turn. */
  announceLater(id: number): void {
    const entry = this.sessions.get(id);
    if (entry) this.unannounced.set(id, entry.meta.command);
  }

  /**
   * Notices for the next turn: sessions that ended unseen since the last call (then forgotten), and sessions
   * whose call was interrupted before the model got their id (still running, so still pollable).
   */
  takeExitNotices(): string[] {
    const notices: string[] = [];
    for (const [id, command] of this.unannounced) {
      if (!this.exitNotices.has(id) && this.sessions.has(id)) notices.push(runningNotice(id, command));
    }
    this.unannounced.clear();
    const ended = [...this.exitNotices];
    for (const [id] of ended) this.forget(id);
    return [...notices, ...ended.map(([, text]) => text)];
  }

  /** Remove and return every session (for dispose and clean). */
  drain(): LiveProcess[] {
    const all = [...this.sessions.values()].map((e) => e.live);
    this.sessions.clear();
    this.exitNotices.clear();
    this.unannounced.clear();
    return all;
  }

  private forget(id: number): void {
    this.sessions.delete(id);
    this.exitNotices.delete(id);
    this.unannounced.delete(id);
  }

  private pickVictim(): number | undefined {
    const byRecency = [...this.sessions].sort(([, a], [, b]) => b.used - a.used);
    // The reference protects 8 of 64; a smaller cap protects proportionally fewer.
    const protect = Math.min(PROTECTED_RECENT, Math.floor(this.maxSessions / 8));
    const candidates = byRecency.slice(protect).reverse(); // least recently used first
    const exited = candidates.find(([, e]) => e.live.exit !== undefined);
    return (exited ?? candidates[0])?.[0];
  }
}

function runningNotice(id: number, command: string): string {
  return `Background terminal session ${id} (${command}) kept running after the turn that started it was interrupted; poll it or send it input with write_stdin session_id ${id}.`;
}

function exitNotice(id: number, command: string, exit: ExecExit): string {
  const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.exitCode ?? -1}`;
  return `Background terminal session ${id} (${command}) ${how} after its last poll; its session ID is no longer valid.`;
}
