import { shortHex } from "../../util/ids.js";

/**
 * A terminal's output is one ordered queue: text written to its slave side after the command has exited comes
 * out of the master after every byte the command wrote. That text, a random mark, is how the reader knows the
 * queue is drained, exactly, without waiting for quiet. Letters and digits only, so no output setting of the
 * terminal (newline translation, tabs) changes it on the way.
 */
export function newEndMark(): string {
  return `CODEXPTYEND${shortHex(24).toUpperCase()}`;
}

/**
 * Passes a terminal's output through once the end mark is out, holding back only a tail that could be the
 * start of the mark, and reports the mark's arrival. Output that follows the mark (from a process the command
 * left behind) is passed through too.
 */
export class EndMarkFilter {
  private mark: string | null = null;
  private held = "";
  private seen = false;

  constructor(private readonly emit: (text: string) => void) {}

  get markSeen(): boolean {
    return this.seen;
  }

  /** From now on, look for `mark` in the output. */
  expect(mark: string): void {
    this.mark = mark;
  }

  /** Feed a piece of output. Returns true when this piece completed the mark. */
  push(text: string): boolean {
    const mark = this.mark;
    if (mark === null || this.seen) {
      if (text) this.emit(text);
      return false;
    }
    const all = this.held + text;
    const at = all.indexOf(mark);
    if (at >= 0) {
      this.held = "";
      this.seen = true;
      const rest = all.slice(0, at) + all.slice(at + mark.length);
      if (rest) this.emit(rest);
      return true;
    }
    const keep = partialMarkTail(all, mark);
    this.held = all.slice(all.length - keep);
    const out = all.slice(0, all.length - keep);
    if (out) this.emit(out);
    return false;
  }

  /** Give out whatever was held back (the mark will not come). */
  flush(): void {
    if (this.held) this.emit(this.held);
    this.held = "";
  }
}

/** Length of the longest end of `text` that is a proper start of `mark`. */
function partialMarkTail(text: string, mark: string): number {
  for (let n = Math.min(mark.length - 1, text.length); n > 0; n--) {
    if (text.endsWith(mark.slice(0, n))) return n;
  }
  return 0;
}
