import path from "node:path";

export const SESSIONS_SUBDIR = "sessions";
export const ARCHIVED_SESSIONS_SUBDIR = "archived_sessions";

const pad = (n: number, width = 2): string => String(n).padStart(width, "0");

/** `YYYY-MM-DDThh-mm-ss` in local time, the stamp Codex puts in rollout file names. */
export function rolloutFileStamp(date: Date): string {
  return (
    `${pad(date.getFullYear(), 4)}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}-${pad(date.getMinutes())}-${pad(date.getSeconds())}`
  );
}

/** `$CODEX_HOME/sessions/YYYY/MM/DD/rollout-YYYY-MM-DDThh-mm-ss-<id>.jsonl` (local time). */
export function rolloutPathFor(o: { codexHome: string; date: Date; threadId: string }): string {
  const d = o.date;
  return path.join(
    o.codexHome,
    SESSIONS_SUBDIR,
    pad(d.getFullYear(), 4),
    pad(d.getMonth() + 1),
    pad(d.getDate()),
    `rollout-${rolloutFileStamp(d)}-${o.threadId}.jsonl`,
  );
}

const FILE_RE = /^rollout-(\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2})-(.+)\.jsonl$/;

/** Splits a rollout file name into its stamp and thread id; null for other names. */
export function parseRolloutFileName(name: string): { stamp: string; threadId: string } | null {
  const m = FILE_RE.exec(name);
  if (!m || m[1] === undefined || m[2] === undefined) return null;
  return { stamp: m[1], threadId: m[2] };
}
