import { omissionMarker } from "../../util/truncate.js";

/**
 * Keeps the first `headBytes` and the last `tailBytes` of a byte stream, counting what falls in
 * between. Memory stays bounded however much a command prints.
 */
export class HeadTailBuffer {
  private head: Buffer[] = [];
  private headLen = 0;
  private tail: Buffer[] = [];
  private tailLen = 0;
  private total = 0;
  private newlines = 0;
  private endsWithNewline = false;

  constructor(
    private readonly headBytes: number,
    private readonly tailBytes: number,
  ) {}

  get totalBytes(): number {
    return this.total;
  }

  /** Lines in everything pushed (a last line without a newline counts), as `str.lines()` would count them. */
  get totalLines(): number {
    return this.total === 0 ? 0 : this.newlines + (this.endsWithNewline ? 0 : 1);
  }

  get omittedBytes(): number {
    return this.total - this.headLen - this.tailLen;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.total += chunk.length;
    for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) this.newlines++;
    this.endsWithNewline = chunk[chunk.length - 1] === 10;
    let rest = chunk;
    if (this.headLen < this.headBytes) {
      const take = rest.subarray(0, this.headBytes - this.headLen);
      this.head.push(take);
      this.headLen += take.length;
      rest = rest.subarray(take.length);
    }
    if (rest.length === 0) return;
    this.tail.push(rest);
    this.tailLen += rest.length;
    while (this.tailLen > this.tailBytes) {
      const first = this.tail[0];
      if (!first) break;
      const excess = this.tailLen - this.tailBytes;
      if (first.length <= excess) {
        this.tail.shift();
        this.tailLen -= first.length;
      } else {
        this.tail[0] = first.subarray(excess);
        this.tailLen -= excess;
      }
    }
  }

  /** Everything kept, in order, without a marker (only complete when nothing was omitted). */
  keptBytes(): Buffer {
    return Buffer.concat([...this.head, ...this.tail]);
  }

  /** Drop everything (used when a poller has consumed the pending output). */
  clear(): void {
    this.head = [];
    this.tail = [];
    this.headLen = 0;
    this.tailLen = 0;
    this.total = 0;
    this.newlines = 0;
    this.endsWithNewline = false;
  }

  /** Decoded text; when bytes were dropped, a marker (optionally with `detail`) sits in the middle. */
  toText(options: { markerDetail?: string } = {}): string {
    const head = Buffer.concat(this.head);
    const tail = Buffer.concat(this.tail);
    if (this.omittedBytes === 0) return Buffer.concat([head, tail]).toString("utf8");
    // Cut on character boundaries so the marker never sits inside a multi-byte character.
    const safeHead = head.subarray(0, completeLength(head));
    const safeTail = tail.subarray(firstCharStart(tail));
    const omitted = this.omittedBytes + (head.length - safeHead.length) + (tail.length - safeTail.length);
    const marker = omissionMarker(omitted, { totalBytes: this.total, detail: options.markerDetail });
    return safeHead.toString("utf8") + marker + safeTail.toString("utf8");
  }
}

/** Index of the first byte that is not a UTF-8 continuation byte. */
function firstCharStart(buf: Buffer): number {
  let i = 0;
  while (i < buf.length && i < 4 && ((buf[i] ?? 0) & 0xc0) === 0x80) i++;
  return i;
}

/** Length of `buf` without a trailing incomplete UTF-8 sequence. */
function completeLength(buf: Buffer): number {
  let i = buf.length - 1;
  let back = 0;
  while (i >= 0 && back < 4 && ((buf[i] ?? 0) & 0xc0) === 0x80) {
    i--;
    back++;
  }
  if (i < 0) return buf.length;
  const lead = buf[i] ?? 0;
  const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return buf.length - i >= need ? buf.length : i;
}
