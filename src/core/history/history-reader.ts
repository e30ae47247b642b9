import { open, stat } from "node:fs/promises";
import type { HistoryEntry } from "./message-history.js";
import { historyPath } from "./message-history.js";

/**
 * Reads `history.jsonl` backwards, newest entry first, a chunk at a time: a session that never presses Up
 * reads nothing, and a huge file is never loaded whole. The file's end is fixed when the reader is made (the
 * session's own prompts, appended later, come from its memory, not from here). If the file is replaced
 * meanwhile (a trim by another process renames a new one into place), what is left unread is gone with it:
 * the reader ends rather than read offsets of a different file. Lines that are not entries are skipped.
 */
export interface HistoryReader {
  /** Up to `limit` entries older than the ones already given, newest first; [] once the file is exhausted. */
  older(limit?: number): Promise<HistoryEntry[]>;
}

const CHUNK_BYTES = 64 * 1024;

export function createHistoryReader(o: { codexHome: string; chunkBytes?: number }): HistoryReader {
  const file = historyPath(o.codexHome);
  const chunkBytes = o.chunkBytes ?? CHUNK_BYTES;
  // Taken now (without waiting): where the file ended when the session began.
  const start = stat(file).then(
    (s) => ({ ino: s.ino, end: s.size }),
    () => null,
  );
  let pos: number | null = null;
  let ino = 0;
  /** The bytes of a line whose beginning is still before `pos`. */
  let carry = Buffer.alloc(0);
  const ready: HistoryEntry[] = [];
  let exhausted = false;

  const readChunk = async (): Promise<void> => {
    if (pos === null) {
      const s = await start;
      if (!s) {
        exhausted = true;
        return;
      }
      pos = s.end;
      ino = s.ino;
    }
    if (pos === 0) {
      if (carry.length > 0) pushLine(carry);
      carry = Buffer.alloc(0);
      exhausted = true;
      return;
    }
    const from = Math.max(0, pos - chunkBytes);
    const fh = await open(file, "r").catch(() => null);
    if (!fh) {
      exhausted = true;
      return;
    }
    try {
      if ((await fh.stat()).ino !== ino) {
        exhausted = true;
        return;
      }
      const buf = Buffer.alloc(pos - from);
      const { bytesRead } = await fh.read(buf, 0, buf.length, from);
      if (bytesRead < buf.length) {
        exhausted = true;
        return;
      }
      const data = Buffer.concat([buf, carry]);
      pos = from;
      // Complete lines, newest first; the first piece may have begun before `from` (it waits in `carry`).
      const lines: Buffer[] = [];
      let lineEnd = data.length;
      for (let i = data.length - 1; i >= 0; i--) {
        if (data[i] !== 0x0a) continue;
        if (i + 1 < lineEnd) lines.push(data.subarray(i + 1, lineEnd));
        lineEnd = i;
      }
      carry = Buffer.from(data.subarray(0, lineEnd));
      for (const line of lines) pushLine(line);
    } finally {
      await fh.close();
    }
  };

  const pushLine = (line: Buffer) => {
    const entry = parseEntry(line.toString("utf8"));
    if (entry) ready.push(entry);
  };

  return {
    async older(limit = 1) {
      while (ready.length < limit && !exhausted) await readChunk();
      return ready.splice(0, limit);
    },
  };
}

function parseEntry(line: string): HistoryEntry | null {
  if (line.trim() === "") return null;
  try {
    const v = JSON.parse(line) as Partial<HistoryEntry>;
    if (typeof v.text !== "string" || typeof v.session_id !== "string") return null;
    return { session_id: v.session_id, ts: typeof v.ts === "number" ? v.ts : 0, text: v.text };
  } catch {
    return null;
  }
}
