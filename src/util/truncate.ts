/**
 * Byte-bounded middle truncation. Long command output is most useful at both ends (the command's
 * start-up and its final error), so we keep a head and a tail and replace the middle with a marker.
 */
export interface TruncateResult {
  text: string;
  truncated: boolean;
  omittedBytes: number;
}

/** Byte length of `text` in UTF-8. */
export function utf8Length(text: string): number {
  return Buffer.byteLength(text, "utf8");
}

/**
 * Marker placed where bytes were dropped: `[... 40 bytes omitted ...]`, or with the size of the whole
 * output when known, `[... 40 of 100 bytes omitted; <detail> ...]`.
 */
export function omissionMarker(omittedBytes: number, o: { totalBytes?: number; detail?: string } = {}): string {
  const of = o.totalBytes !== undefined ? ` of ${o.totalBytes}` : "";
  const suffix = o.detail ? `; ${o.detail}` : "";
  return `\n[... ${omittedBytes}${of} bytes omitted${suffix} ...]\n`;
}

/** Largest prefix of `buf` not longer than `max` bytes that does not end inside a UTF-8 sequence. */
export function utf8SafeHead(buf: Buffer, max: number): Buffer {
  if (buf.length <= max) return buf;
  let end = Math.max(0, max);
  // Step back over continuation bytes so the cut lands on a character start.
  while (end > 0 && end < buf.length && ((buf[end] ?? 0) & 0xc0) === 0x80) end--;
  return buf.subarray(0, end);
}

/** Largest suffix of `buf` not longer than `max` bytes that starts on a UTF-8 character boundary. */
export function utf8SafeTail(buf: Buffer, max: number): Buffer {
  if (buf.length <= max) return buf;
  let start = buf.length - Math.max(0, max);
  while (start < buf.length && ((buf[start] ?? 0) & 0xc0) === 0x80) start++;
  return buf.subarray(start);
}

/**
 * Keep at most `maxBytes` of `text` (half head, half tail, cut on character boundaries); when anything
 * is dropped a marker naming the number of omitted bytes is inserted (the marker is not counted).
 *
 * `text` may itself be a bounded capture of a longer output (its real head and tail around an earlier
 * marker): pass the real size as `totalBytes`, and the marker counts what is omitted from the real output
 * and names that size. A capture that already fits is returned as it is (its own marker is true).
 */
export function truncateMiddle(
  text: string,
  maxBytes: number,
  o: { totalBytes?: number; detail?: string } = {},
): TruncateResult {
  const buf = Buffer.from(text, "utf8");
  const budget = Math.max(0, Math.floor(maxBytes));
  const total = Math.max(o.totalBytes ?? buf.length, buf.length);
  if (buf.length <= budget) return { text, truncated: total > buf.length, omittedBytes: total - buf.length };
  const headBudget = Math.floor(budget / 2);
  const head = utf8SafeHead(buf, headBudget);
  const tail = utf8SafeTail(buf.subarray(head.length), budget - headBudget);
  const omittedBytes = total - head.length - tail.length;
  const marker = omissionMarker(omittedBytes, o.totalBytes !== undefined ? { totalBytes: total, detail: o.detail } : { detail: o.detail });
  return { text: head.toString("utf8") + marker + tail.toString("utf8"), truncated: true, omittedBytes };
}
