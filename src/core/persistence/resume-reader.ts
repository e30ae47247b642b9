import { open, type FileHandle } from "node:fs/promises";
import type { RolloutLine } from "./contract.js";
import { isKnownRolloutLine, parseRolloutText, type RawRolloutLine } from "./rollout-reader.js";

/** Bytes read per step when walking a rollout backwards. */
const CHUNK = 256 * 1024;

/**
 * The lines a resume needs. A `compacted` line replaces the history before it, so the file is
 * read backwards from its end until the last compacted line, and only what follows it is parsed,
 * plus the session_meta (the first line) and, when none follows the cut, the last turn_context and
 * token_count before it. Lines are found by their type key (`"type":"compacted"` cannot occur
 * unescaped inside a JSON string) and each candidate is parsed to confirm it. Without a compacted
 * line this is a full read.
 */
export async function readRolloutForResume(path: string): Promise<RolloutLine[]> {
  const fh = await open(path, "r");
  try {
    const { size } = await fh.stat();
    const tail = { fh, start: size, buf: Buffer.alloc(0) };
    const cut = await lastLine(tail, size, '"type":"compacted"', (l) => l.type === "compacted");
    if (cut === null) return parseRolloutText(tail.buf.toString("utf8")).filter(isKnownRolloutLine);
    const after = parseRolloutText(tail.buf.subarray(cut.start - tail.start).toString("utf8"));
    const before: RawRolloutLine[] = [];
    const meta = await firstLine(tail, cut.start);
    if (meta?.type === "session_meta") before.push(meta);
    const extra: Array<{ start: number; line: RawRolloutLine }> = [];
    if (!after.some((l) => l.type === "turn_context")) {
      const found = await lastLine(tail, cut.start, '"type":"turn_context"', (l) => l.type === "turn_context");
      if (found) extra.push(found);
    }
    if (!after.some(isTokenCount)) {
      const found = await lastLine(tail, cut.start, '"type":"token_count"', isTokenCount);
      if (found) extra.push(found);
    }
    extra.sort((a, b) => a.start - b.start);
    return [...before, ...extra.map((e) => e.line), ...after].filter(isKnownRolloutLine);
  } finally {
    await fh.close();
  }
}

interface Tail {
  fh: FileHandle;
  /** File offset of `buf[0]`; `buf` always reaches the end of the file. */
  start: number;
  buf: Buffer;
}

const isTokenCount = (l: RawRolloutLine): boolean =>
  l.type === "event_msg" && (l.payload as { type?: unknown }).type === "token_count";

async function grow(tail: Tail): Promise<boolean> {
  if (tail.start === 0) return false;
  // Steps double, so walking back over a whole file copies it O(1) times, not once per step.
  const from = Math.max(0, tail.start - Math.max(CHUNK, tail.buf.length));
  const chunk = Buffer.alloc(tail.start - from);
  await tail.fh.read(chunk, 0, chunk.length, from);
  tail.buf = Buffer.concat([chunk, tail.buf]);
  tail.start = from;
  return true;
}

/** The last complete line that starts before `end`, holds `needle` and passes `test`. */
async function lastLine(
  tail: Tail,
  end: number,
  needle: string,
  test: (l: RawRolloutLine) => boolean,
): Promise<{ start: number; line: RawRolloutLine } | null> {
  const pattern = Buffer.from(needle);
  let pos = end; // search for hits starting before this file offset
  for (;;) {
    const rel = pos - tail.start - 1;
    const hit = rel < 0 ? -1 : tail.buf.lastIndexOf(pattern, rel);
    if (hit < 0) {
      // Keep the needle's length of overlap so a hit across the chunk border is found.
      const border = tail.start + pattern.length;
      if (!(await grow(tail))) return null;
      pos = Math.min(pos, border);
      continue;
    }
    const nl = tail.buf.lastIndexOf(0x0a, hit);
    if (nl < 0 && tail.start > 0) {
      await grow(tail); // the line begins in an earlier chunk
      continue;
    }
    const lineStart = nl + 1;
    const lineEnd = tail.buf.indexOf(0x0a, hit);
    const absStart = tail.start + lineStart;
    if (lineEnd >= 0) {
      const line = parseRolloutText(tail.buf.subarray(lineStart, lineEnd + 1).toString("utf8"))[0];
      if (line && test(line)) return { start: absStart, line };
    }
    if (absStart === 0) return null;
    pos = absStart;
  }
}

/** The file's first line (session_meta), read from the front; never past `limit`. */
async function firstLine(tail: Tail, limit: number): Promise<RawRolloutLine | null> {
  if (tail.start === 0) {
    const nl = tail.buf.indexOf(0x0a);
    return nl < 0 || nl >= limit ? null : (parseRolloutText(tail.buf.subarray(0, nl + 1).toString("utf8"))[0] ?? null);
  }
  const parts: Buffer[] = [];
  for (let offset = 0; offset < limit; offset += CHUNK) {
    const chunk = Buffer.alloc(Math.min(CHUNK, limit - offset));
    const { bytesRead } = await tail.fh.read(chunk, 0, chunk.length, offset);
    const piece = chunk.subarray(0, bytesRead);
    const nl = piece.indexOf(0x0a);
    if (nl >= 0) {
      parts.push(piece.subarray(0, nl + 1));
      return parseRolloutText(Buffer.concat(parts).toString("utf8"))[0] ?? null;
    }
    parts.push(piece);
    if (bytesRead === 0) break;
  }
  return null;
}
