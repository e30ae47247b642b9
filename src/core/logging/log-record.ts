// One structured log row, and how it reads in a feedback bundle.

export type LogLevel = "TRACE" | "DEBUG" | "INFO" | "WARN" | "ERROR";

export interface LogSpan {
  name: string;
  fields?: Record<string, unknown>;
}

export interface LogRecord {
  /** Milliseconds since the epoch. */
  tsMs: number;
  level: LogLevel;
  /** Where it comes from, `codex_core::turn` style (`core.turn` here). */
  target: string;
  message: string;
  threadId?: string;
  /** Enclosing spans, outermost first (session > turn > tool call). */
  spans?: LogSpan[];
  fields?: Record<string, unknown>;
}

const fieldValue = (v: unknown): string => {
  if (typeof v === "string") return /[\s"=]/.test(v) || v === "" ? JSON.stringify(v) : v;
  if (typeof v === "number" || typeof v === "boolean" || v === null) return String(v);
  return JSON.stringify(v) ?? String(v);
};

const fieldsText = (fields: Record<string, unknown> | undefined): string =>
  fields === undefined ? "" : Object.entries(fields).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${fieldValue(v)}`).join(" ");

/**
 * The line's body as the feedback export shows it (after the timestamp and level): the spans with their
 * fields, the target, the message and the event's own fields:
 * `session{thread_id=…}:turn{turn_id=…}: core.turn: turn started model=gpt-5.5`.
 */
export function renderFeedbackBody(r: Pick<LogRecord, "target" | "message" | "spans" | "fields">): string {
  const spans = (r.spans ?? []).map((s) => {
    const f = fieldsText(s.fields);
    return f === "" ? s.name : `${s.name}{${f}}`;
  });
  const own = fieldsText(r.fields);
  const head = spans.length > 0 ? `${spans.join(":")}: ` : "";
  return `${head}${r.target}: ${r.message}${own === "" ? "" : ` ${own}`}`.replace(/[\r\n]+/g, " ");
}

/** `2026-12-01T18:43:14.123Z  INFO body` — a timestamp and a level prefix, one line. */
export function formatFeedbackLine(o: { tsMs: number; level: string; body: string }): string {
  return `${new Date(o.tsMs).toISOString()} ${o.level.padStart(5)} ${o.body}`;
}

/** Bytes a row costs in the retention budget: its rendered body (counted) plus the other columns. */
export function estimatedRowBytes(o: { target: string; message: string; body: string; spans?: string; fields?: string }): number {
  const len = (s: string | undefined) => (s === undefined ? 0 : Buffer.byteLength(s, "utf8"));
  return 64 + len(o.target) + len(o.message) + len(o.body) + len(o.spans) + len(o.fields);
}
