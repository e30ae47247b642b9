import { createSecretRedactor } from "../../util/secret-redactor.js";
import type { StateDb } from "../state/state-db.js";
import { appendSpool, ingestSpool, spoolIsLarge } from "./log-spool.js";
import type { LogLevel, LogRecord, LogSpan } from "./log-record.js";
import { createLogStore, type LogStore } from "./log-store.js";

// Our structured logger. log() only queues a record (no formatting, no I/O). A little later (or when the
// queue is long, or at process exit) the queue is scrubbed with the one redactor and appended to this
// process's spool file (log-spool.ts); the spool moves into the state database's logs table, pruned to the
// retention budget, when this process has the database open anyway or the spool grew large, never at
// exit. So a short `codex exec` pays one write() for its logs and never loads SQLite for them.
// A failing spool or database turns logging off for the process; it never fails a turn.

export interface LogOptions {
  threadId?: string;
  spans?: LogSpan[];
  fields?: Record<string, unknown>;
}

export interface Logger {
  log(level: LogLevel, target: string, message: string, o?: LogOptions): void;
  /** A logger that adds a thread id and/or an enclosing span to everything it logs. */
  child(o: { threadId?: string; span?: LogSpan }): Logger;
  /** Writes the queued records now. */
  flush(): void;
  /** Flushes and stops (later records are dropped). */
  close(): void;
}

export interface LoggerOptions {
  /** The state database; with `isOpen`, rows move from the spool only once it is open (or the spool is large). */
  stateDb: (() => StateDb | null) & { isOpen?: () => boolean };
  /** This process's spool folder ($CODEX_HOME/log/spool). */
  spoolDir: string;
  /** Known secret values to scrub besides the secret shapes. */
  secrets: readonly string[];
  /** Identifies this process's rows (the thread-less lines a feedback bundle takes along). */
  processUuid: string;
  /** Retention budget of the logs table, in estimated bytes. */
  retentionBytes: number;
  /** How long a record may wait in the queue; 250 ms by default. */
  flushIntervalMs?: number;
  /** Queue length that triggers a write at once; 512 by default. */
  maxBatch?: number;
  /** Lowest level kept; INFO by default. */
  minLevel?: LogLevel;
  now?: () => number;
  /** Flush synchronously when the process exits (default true). */
  flushOnExit?: boolean;
}

const LEVELS: Record<LogLevel, number> = { TRACE: 0, DEBUG: 1, INFO: 2, WARN: 3, ERROR: 4 };
/** Pruning takes the table down to this share of the budget, so it does not run at every write. */
const LOW_WATER = 0.9;

export const noopLogger: Logger = {
  log() {},
  child() {
    return noopLogger;
  },
  flush() {},
  close() {},
};

export function createLogger(o: LoggerOptions): Logger {
  const now = o.now ?? Date.now;
  const min = LEVELS[o.minLevel ?? "INFO"];
  const redactor = createSecretRedactor(o.secrets);
  let queue: LogRecord[] = [];
  let timer: NodeJS.Timeout | undefined;
  let store: LogStore | null | undefined;
  let closed = false;
  let sinceCheck = 0;

  const openStore = (): LogStore | null => {
    if (store !== undefined) return store;
    const db = o.stateDb();
    store = db === null ? null : createLogStore(db.db);
    return store;
  };

  let spoolOk = true;
  let exitHooked = false;
  const onExit = (): void => spool();
  const spool = (): void => {
    if (timer) {
      clearTimeout(timer);
      timer = undefined;
    }
    // The exit hook is there only while rows wait, so many loggers in one process add no listeners.
    if (exitHooked) {
      process.removeListener("exit", onExit);
      exitHooked = false;
    }
    if (queue.length === 0 || !spoolOk) return;
    const rows = queue.map((r) => redactor.redactValue(r));
    queue = [];
    try {
      appendSpool({ dir: o.spoolDir, processUuid: o.processUuid, rows });
    } catch {
      spoolOk = false; // a read-only home: no logs for this process
    }
  };

  const ingest = (): void => {
    const s = openStore();
    if (s === null) return;
    try {
      sinceCheck += ingestSpool({ dir: o.spoolDir, store: s });
      // The table's size is summed only after a tenth of the budget was written since the last check.
      if (sinceCheck >= o.retentionBytes * (1 - LOW_WATER)) {
        sinceCheck = 0;
        if (s.totalBytes() > o.retentionBytes) s.prune(Math.floor(o.retentionBytes * LOW_WATER));
      }
    } catch {
      // A busy, read-only or corrupt database: stop moving rows (they stay spooled for a later process).
      store = null;
    }
  };

  const flush = (): void => {
    spool();
    const open = o.stateDb.isOpen ? o.stateDb.isOpen() : true;
    if (open || spoolIsLarge(o.spoolDir)) ingest();
  };


  const push = (r: LogRecord) => {
    if (closed || LEVELS[r.level] < min) return;
    queue.push(r);
    if (!exitHooked && o.flushOnExit !== false) {
      exitHooked = true;
      process.once("exit", onExit);
    }
    if (queue.length >= (o.maxBatch ?? 512)) flush();
    else if (!timer) {
      timer = setTimeout(flush, o.flushIntervalMs ?? 250);
      timer.unref();
    }
  };

  const make = (bound: { threadId?: string; spans: LogSpan[] }): Logger => ({
    log(level, target, message, opts) {
      const spans = opts?.spans ? [...bound.spans, ...opts.spans] : bound.spans;
      const threadId = opts?.threadId ?? bound.threadId;
      push({
        tsMs: now(),
        level,
        target,
        message,
        ...(threadId !== undefined ? { threadId } : {}),
        ...(spans.length > 0 ? { spans } : {}),
        ...(opts?.fields ? { fields: opts.fields } : {}),
      });
    },
    child(c) {
      return make({ threadId: c.threadId ?? bound.threadId, spans: c.span ? [...bound.spans, c.span] : bound.spans });
    },
    flush,
    close() {
      flush();
      closed = true;
    },
  });
  return make({ spans: [] });
}
