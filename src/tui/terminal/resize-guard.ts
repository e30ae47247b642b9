import { EventEmitter } from "node:events";
import stringWidth from "string-width";

// The stream ink renders into. It forwards every write to the terminal and remembers the live frame (the last
// thing ink drew). When the terminal gets narrower, the terminal re-wraps that frame into more rows than ink
// knows of, and ink's erase would leave the extra rows behind (duplicated lines above the new frame): before
// ink hears of the resize, this erases exactly the rows the old frame now takes and leaves ink blank rows to
// erase instead of history. GNU screen does not re-wrap (a narrower window cuts its rows short): there the
// frame keeps its rows, ink's erase is right as it is, and the fix-up would erase history instead.

const ERASE_LINE = "\x1b[2K";
const CURSOR_UP = "\x1b[1A";
const CURSOR_LEFT = "\x1b[G";
/** Control sequences ink puts around a frame: synchronized update, cursor moves, erase, cursor show/hide. */
const FRAME_PREFIX = /^(?:\x1b\[\?2026[hl]|\x1b\[\d*[ABCDGK]|\x1b\[2K|\x1b\[\?25[hl])+/;
const FRAME_SUFFIX = /(?:\x1b\[\?2026[hl]|\x1b\[\?25[hl])+$/;

export interface TerminalOut extends EventEmitter {
  columns: number;
  rows: number;
  isTTY: boolean;
  write(chunk: string | Uint8Array, ...rest: unknown[]): boolean;
}

export function eraseLines(count: number): string {
  let out = "";
  for (let i = 0; i < count; i++) out += ERASE_LINE + (i < count - 1 ? CURSOR_UP : "");
  return count > 0 ? out + CURSOR_LEFT : "";
}

/** Rows a frame (ending in a newline, cursor on the row after it) occupies when wrapped at `columns`. */
export function frameRows(frame: string, columns: number): { rows: number; lines: number } {
  const lines = frame.split("\n");
  if (frame.endsWith("\n")) lines.pop();
  let rows = 0;
  for (const l of lines) rows += Math.max(1, Math.ceil(stringWidth(l) / Math.max(1, columns)));
  return { rows, lines: lines.length };
}

/** The live frame text of one write by ink, or null when the write draws no frame (a pure erase). */
export function frameOfWrite(chunk: string): string | null {
  const body = chunk.replace(FRAME_PREFIX, "").replace(FRAME_SUFFIX, "");
  return body === "" ? null : body;
}

/**
 * Whether the terminal re-wraps its rows when it gets narrower: xterm, tmux, most emulators do; GNU screen
 * (STY in its windows' environment; TERM=screen* outside tmux) does not.
 */
export function terminalReflows(env: Record<string, string | undefined>): boolean {
  if (env.STY) return false;
  return !(env.TERM?.startsWith("screen") && !env.TMUX);
}

/**
 * Wraps the real terminal output for ink. `columns`/`rows` follow the terminal; resize events reach ink only
 * through here, after the fix-up.
 */
export function createResizeGuard(real: NodeJS.WriteStream, o: { reflows?: boolean } = {}): TerminalOut & { dispose(): void } {
  const reflows = o.reflows ?? true;
  const out = new EventEmitter() as TerminalOut & { dispose(): void };
  let frame = "";
  let columns = real.columns || 80;
  out.columns = columns;
  out.rows = real.rows || 24;
  out.isTTY = true;
  out.write = (chunk: string | Uint8Array, ...rest: unknown[]) => {
    const text = typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
    const drawn = frameOfWrite(text);
    if (drawn !== null) frame = drawn;
    else if (text.includes(ERASE_LINE)) frame = "";
    return (real.write as (c: string | Uint8Array, ...r: unknown[]) => boolean)(chunk, ...rest);
  };
  const onResize = () => {
    const next = real.columns || columns;
    if (reflows && next < columns && frame !== "") {
      const { rows, lines } = frameRows(frame, next);
      if (rows > lines) {
        // Erase the re-wrapped frame (and the cursor's row), then step down to where ink believes its frame
        // ends, over rows that are now blank, so ink's own erase removes nothing else.
        real.write(eraseLines(rows + 1) + "\n".repeat(lines));
      }
    }
    columns = next;
    out.columns = next;
    out.rows = real.rows || out.rows;
    out.emit("resize");
  };
  real.on("resize", onResize);
  out.dispose = () => void real.off("resize", onResize);
  return out;
}
