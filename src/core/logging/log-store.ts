import type { SqliteDatabase } from "../state/sqlite-driver.js";
import { estimatedRowBytes, formatFeedbackLine, renderFeedbackBody, type LogRecord } from "./log-record.js";

// The `logs` table of the state database: batched inserts, pruning to a byte budget in SQL, and the
// lines a feedback bundle takes for one thread.

export const DEFAULT_LOG_RETENTION_BYTES = 64 * 1024 * 1024;

export interface LogStore {
  /** Inserts the rows in one transaction; resolves the bytes they added to the budget. */
  insert(rows: readonly LogRecord[], o: { processUuid: string }): number;
  /** Sum of estimated_bytes of every row. */
  totalBytes(): number;
  /** Deletes the oldest rows until the rest fit in `budgetBytes`; returns how many went. */
  prune(budgetBytes: number): number;
  /**
   * One thread's lines, plus the thread-less lines of the processes that logged for it, oldest first,
   * as `ts LEVEL body`; only the newest whole lines that fit in `maxBytes` (newline included).
   */
  feedbackLines(threadId: string, o: { maxBytes: number }): { lines: string[]; truncated: boolean };
}

export function createLogStore(db: SqliteDatabase): LogStore {
  const insertRow = db.prepare(
    `INSERT INTO logs (ts, ts_nanos, level, target, message, spans, fields, feedback_log_body, thread_id, process_uuid, estimated_bytes)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertMany = db.transaction((rows: readonly LogRecord[], processUuid: string): number => {
    let added = 0;
    for (const r of rows) {
      const body = renderFeedbackBody(r);
      const spans = r.spans && r.spans.length > 0 ? JSON.stringify(r.spans) : undefined;
      const fields = r.fields && Object.keys(r.fields).length > 0 ? JSON.stringify(r.fields) : undefined;
      const bytes = estimatedRowBytes({ target: r.target, message: r.message, body, spans, fields });
      const seconds = Math.floor(r.tsMs / 1000);
      const nanos = Math.round((r.tsMs - seconds * 1000) * 1e6);
      insertRow.run(seconds, nanos, r.level, r.target, r.message, spans ?? null, fields ?? null, body, r.threadId ?? null, processUuid, bytes);
      added += bytes;
    }
    return added;
  });
  const total = db.prepare("SELECT COALESCE(SUM(estimated_bytes), 0) AS n FROM logs").pluck();
  // The newest row whose running total (newest first) passes the budget: it and everything older go.
  const prune = db.prepare(
    `DELETE FROM logs WHERE id <= (
       SELECT id FROM (
         SELECT id, SUM(estimated_bytes) OVER (ORDER BY id DESC ROWS UNBOUNDED PRECEDING) AS kept FROM logs
       ) WHERE kept > ? ORDER BY id DESC LIMIT 1
     )`,
  );
  const scoped = db.prepare(
    `SELECT ts, ts_nanos, level, feedback_log_body FROM logs
     WHERE thread_id = @thread
        OR (thread_id IS NULL AND process_uuid IN (SELECT DISTINCT process_uuid FROM logs WHERE thread_id = @thread))
     ORDER BY ts DESC, ts_nanos DESC, id DESC`,
  );

  return {
    insert: (rows, o) => (rows.length === 0 ? 0 : insertMany(rows, o.processUuid)),
    totalBytes: () => Number(total.get()),
    prune: (budgetBytes) => prune.run(budgetBytes).changes,
    feedbackLines(threadId, o) {
      const newestFirst: string[] = [];
      let used = 0;
      let truncated = false;
      for (const row of scoped.iterate({ thread: threadId }) as Iterable<{ ts: number; ts_nanos: number; level: string; feedback_log_body: string | null }>) {
        const line = formatFeedbackLine({ tsMs: row.ts * 1000 + Math.floor(row.ts_nanos / 1e6), level: row.level, body: row.feedback_log_body ?? "" });
        const cost = Buffer.byteLength(line, "utf8") + 1;
        if (used + cost > o.maxBytes) {
          truncated = true;
          break;
        }
        used += cost;
        newestFirst.push(line);
      }
      return { lines: newestFirst.reverse(), truncated };
    },
  };
}
