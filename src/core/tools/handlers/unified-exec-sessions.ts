import type { BackgroundTerminals } from "../../exec/background-terminals.js";
import { type LiveProcess, SessionTable } from "../../exec/session-store.js";
import type { ToolHandler } from "../contract.js";
import { createExecCommandTool, type UnifiedExecState } from "./exec-command.js";
import { createWriteStdinTool } from "./write-stdin.js";

export const MAX_UNIFIED_EXEC_SESSIONS = 64;

export interface UnifiedExecOptions {
  /** Sessions kept open at once; beyond it the least recently used is killed. Default 64. */
  maxSessions?: number;
  /** Shell used when the call names none. Default /bin/bash. */
  defaultShell?: string;
  /** Upper bound for an empty write_stdin poll. Default 300 s. */
  maxBackgroundPollMs?: number;
  /** How long dispose() waits for killed processes to exit. Default 3000 ms. */
  disposeWaitMs?: number;
}

export interface UnifiedExecTools {
  execCommand: ToolHandler;
  writeStdin: ToolHandler;
  /** The open sessions as background terminals (list / clean / exit notices for the next turn). */
  terminals: BackgroundTerminals;
  /** Kill every open session (reporting still-running ones as ended). */
  dispose(): Promise<void>;
}

/** `exec_command` + `write_stdin` sharing one session table. Create one per thread. */
export function createUnifiedExecTools(opts: UnifiedExecOptions = {}): UnifiedExecTools {
  const lifetime = new AbortController();
  const state: UnifiedExecState = {
    table: new SessionTable(opts.maxSessions ?? MAX_UNIFIED_EXEC_SESSIONS),
    defaultShell: opts.defaultShell ?? "/bin/bash",
    lifetime: lifetime.signal,
  };
  const waitMs = opts.disposeWaitMs ?? 3000;
  /** Kill the sessions and wait (bounded) for them to exit; each one's end is reported when it comes. */
  const stop = async (sessions: LiveProcess[]): Promise<void> => {
    for (const s of sessions) s.proc.kill();
    const deadline = new Promise<void>((resolve) => setTimeout(resolve, waitMs).unref());
    await Promise.race([Promise.all(sessions.map((s) => s.exited)).then(() => undefined), deadline]);
  };
  return {
    execCommand: createExecCommandTool(state),
    writeStdin: createWriteStdinTool(state, { maxBackgroundPollMs: opts.maxBackgroundPollMs }),
    terminals: {
      list: () => state.table.list(),
      async clean(): Promise<number> {
        const sessions = state.table.drain();
        await stop(sessions);
        return sessions.length;
      },
      takeExitNotices: () => state.table.takeExitNotices(),
    },
    async dispose(): Promise<void> {
      const sessions = state.table.drain();
      for (const s of sessions) {
        if (!s.exit) s.reportEnd(undefined);
      }
      lifetime.abort();
      await stop(sessions);
    },
  };
}
