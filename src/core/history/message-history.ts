import { constants } from "node:fs";
import { chmod, mkdir, open, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { createSecretRedactor } from "../../util/secret-redactor.js";
import { acquireHistoryLock, type AcquireHistoryLockOptions } from "./history-lock.js";

/**
 * `$CODEX_HOME/history.jsonl`: every prompt sent from an interactive session, one JSON object per line in
 * the reference's shape `{"session_id":"<thread id>","ts":<unix seconds>,"text":"<prompt>"}`, shared by every
 * codex process of that home. Each line is built whole and written with one `write` on an O_APPEND
 * descriptor, under the history lock (history-lock.ts), mode 0600. With `max_bytes`, a file grown past it
 * loses its oldest lines down to 80% of the cap (the newest line always stays), so the next append does not
 * trim again. Secrets are masked by the one redactor before the text reaches the disk (the reference writes
 * the text as typed): a pasted API key must not outlive the session in a plain-text file.
 */
export const HISTORY_FILENAME = "history.jsonl";
/** After a trim, the file is at most this share of `max_bytes`. */
export const HISTORY_SOFT_CAP_RATIO = 0.8;

export interface HistoryEntry {
  session_id: string;
  ts: number;
  text: string;
}

export interface MessageHistoryOptions {
  codexHome: string;
  /** `[history] persistence`: "none" stops the writes (reading goes on). */
  persistence: "save-all" | "none";
  /** `[history] max_bytes`; unset or 0: no cap. */
  maxBytes?: number;
  /** Known secret values (the API key) masked in what is written. */
  secrets?: readonly string[];
  now?: () => number;
  lock?: AcquireHistoryLockOptions;
}

export interface MessageHistory {
  readonly path: string;
  /** Appends one prompt of `sessionId`; resolves false when nothing was written (persistence none, empty text). */
  append(sessionId: string, text: string): Promise<boolean>;
}

export const historyPath = (codexHome: string): string => path.join(codexHome, HISTORY_FILENAME);

export function createMessageHistory(o: MessageHistoryOptions): MessageHistory {
  const file = historyPath(o.codexHome);
  const redactor = createSecretRedactor(o.secrets ?? []);
  const now = o.now ?? Date.now;
  // This process's appends go one after the other (the lock orders processes, this chain the process's own).
  let chain: Promise<unknown> = Promise.resolve();

  const write = async (line: string) => {
    await mkdir(o.codexHome, { recursive: true });
    const lock = await acquireHistoryLock(file, o.lock);
    try {
      const fh = await open(file, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT, 0o600);
      let size: number;
      try {
        const st = await fh.stat();
        if ((st.mode & 0o777) !== 0o600) await fh.chmod(0o600);
        await fh.write(Buffer.from(line, "utf8"));
        size = st.size + Buffer.byteLength(line, "utf8");
      } finally {
        await fh.close();
      }
      if (o.maxBytes && o.maxBytes > 0 && size > o.maxBytes) await trim(file, o.maxBytes);
    } finally {
      await lock.release();
    }
  };

  return {
    path: file,
    append(sessionId, text) {
      if (o.persistence === "none" || text.trim() === "") return Promise.resolve(false);
      const entry: HistoryEntry = { session_id: sessionId, ts: Math.floor(now() / 1000), text: redactor.redact(text) };
      const line = `${JSON.stringify(entry)}\n`;
      const done = chain.then(() => write(line)).then(() => true);
      chain = done.catch(() => {});
      return done;
    },
  };
}

/**
 * Keeps the newest lines that fit in 80% of `maxBytes` (at least the newest one). Written to a private file
 * and renamed over the history (under the lock): a crash mid-trim leaves the old file whole, and a reader
 * that opened the old file keeps reading it consistently.
 */
async function trim(file: string, maxBytes: number): Promise<void> {
  const data = await readFile(file);
  const target = Math.max(1, Math.floor(maxBytes * HISTORY_SOFT_CAP_RATIO));
  let start = data.length;
  // Walk back over whole lines (each ends in "\n"); `start` is where the kept part begins.
  let cut = data.length;
  for (;;) {
    const prev = cut <= 1 ? -1 : data.lastIndexOf(0x0a, cut - 2);
    const lineStart = prev + 1;
    const keptIfTaken = data.length - lineStart;
    if (cut < data.length && keptIfTaken > target) break;
    start = lineStart;
    cut = lineStart;
    if (lineStart === 0) break;
  }
  if (start === 0) return;
  const temp = `${file}.trim.${process.pid}`;
  await writeFile(temp, data.subarray(start), { mode: 0o600 });
  await chmod(temp, 0o600);
  await rename(temp, file);
}
