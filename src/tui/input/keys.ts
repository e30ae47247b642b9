// Terminal input -> key events. ink splits stdin into text runs and escape sequences (its 'input' events);
// this decoder turns those into what the TUI acts on: typed text, named keys, bracketed pastes, focus, and the
// terminal's replies to queries (OSC, e.g. the background colour), which are never typed into the composer.

export type KeyName =
  | "enter"
  /** Shift+Enter, Alt+Enter, Ctrl+J: a new line in the composer. */
  | "newline"
  | "backspace"
  | "delete"
  | "up"
  | "down"
  | "left"
  | "right"
  | "home"
  | "end"
  | "pageup"
  | "pagedown"
  | "escape"
  | "tab"
  | "shift-tab";

export type KeyEvent =
  | { type: "text"; text: string }
  | { type: "paste"; text: string }
  | { type: "key"; name: KeyName }
  /** Ctrl+letter (a–z), except the ones that are named keys (Ctrl+J newline, Ctrl+M enter, Ctrl+I tab, Ctrl+H backspace). */
  | { type: "ctrl"; letter: string }
  | { type: "focus"; focused: boolean }
  /** An OSC string the terminal sent (a reply such as `11;rgb:ffff/ffff/ffff`), without ESC ] and terminator. */
  | { type: "osc"; text: string };

const PASTE_START = "\x1b[200~";
const PASTE_END = "\x1b[201~";

const CSI_KEYS: Record<string, KeyName> = {
  "\x1b[A": "up",
  "\x1b[B": "down",
  "\x1b[C": "right",
  "\x1b[D": "left",
  "\x1bOA": "up",
  "\x1bOB": "down",
  "\x1bOC": "right",
  "\x1bOD": "left",
  "\x1b[H": "home",
  "\x1b[F": "end",
  "\x1bOH": "home",
  "\x1bOF": "end",
  "\x1b[1~": "home",
  "\x1b[4~": "end",
  "\x1b[7~": "home",
  "\x1b[8~": "end",
  "\x1b[3~": "delete",
  "\x1b[5~": "pageup",
  "\x1b[6~": "pagedown",
  "\x1b[Z": "shift-tab",
  // Shift+Enter: kitty keyboard protocol, xterm modifyOtherKeys; Alt+Enter.
  "\x1b[13;2u": "newline",
  "\x1b[27;2;13~": "newline",
  "\x1b\r": "newline",
  "\x1b\n": "newline",
  "\x1b[13u": "enter",
  "\x1b[27u": "escape",
  "\x1b": "escape",
  "\x1b\x1b": "escape",
};

export interface KeyDecoder {
  /** One ink input event (a text run or one escape sequence) -> key events. */
  push(sequence: string): KeyEvent[];
}

const OSC_START = "\x1b]";
const ST = "\x1b\\";
const BEL = "\x07";
/** Longer than any reply we ask for: past this, what looked like an OSC reply was typing (Alt+]). */
const OSC_MAX = 256;

export function createKeyDecoder(): KeyDecoder {
  let paste: string[] | null = null;
  // ink hands an OSC reply over in pieces: "ESC ]", the body (with a BEL at its end), or "ESC \\" after it.
  let osc: string | null = null;
  const inOsc = (sequence: string, decode: (s: string) => KeyEvent[]): KeyEvent[] => {
    const body = osc ?? "";
    if (sequence === ST || sequence.startsWith(ST)) {
      osc = null;
      const rest = sequence.slice(ST.length);
      return [{ type: "osc", text: body }, ...(rest ? decode(rest) : [])];
    }
    if (sequence.startsWith("\x1b")) {
      // Another key: what was gathered was not a reply after all.
      osc = null;
      return [...decodeText(body), ...decode(sequence)];
    }
    // The terminator (BEL or ST) may come in the same piece as the body, with keys after it.
    const bel = sequence.indexOf(BEL);
    const st = sequence.indexOf(ST);
    const end = bel === -1 ? st : st === -1 ? bel : Math.min(bel, st);
    if (end !== -1) {
      osc = null;
      const rest = sequence.slice(end + (end === st ? ST.length : BEL.length));
      return [{ type: "osc", text: body + sequence.slice(0, end) }, ...(rest ? decode(rest) : [])];
    }
    const next = body + sequence;
    if (next.length > OSC_MAX || !/^\d{0,4}(;|$)/.test(next)) {
      osc = null;
      return decodeText(next);
    }
    osc = next;
    return [];
  };
  return {
    push(sequence) {
      if (osc !== null && paste === null) return inOsc(sequence, (s) => this.push(s));
      if (sequence.startsWith(OSC_START) && paste === null) {
        osc = "";
        const rest = sequence.slice(OSC_START.length);
        return rest ? inOsc(rest, (s) => this.push(s)) : [];
      }
      if (paste !== null) {
        const end = sequence.indexOf(PASTE_END);
        if (end === -1) {
          paste.push(sequence);
          return [];
        }
        paste.push(sequence.slice(0, end));
        const text = normaliseNewlines(paste.join(""));
        paste = null;
        const after = sequence.slice(end + PASTE_END.length);
        return [{ type: "paste", text }, ...(after ? this.push(after) : [])];
      }
      if (sequence.startsWith(PASTE_START)) {
        paste = [];
        const rest = sequence.slice(PASTE_START.length);
        return rest ? this.push(rest) : [];
      }
      if (sequence.startsWith("\x1b")) return [decodeEscape(sequence)].filter((e): e is KeyEvent => e !== null);
      return decodeText(sequence);
    },
  };
}

function normaliseNewlines(text: string): string {
  return text.replace(/\r\n?/g, "\n");
}

function decodeEscape(seq: string): KeyEvent | null {
  if (seq === "\x1b[I") return { type: "focus", focused: true };
  if (seq === "\x1b[O") return { type: "focus", focused: false };
  const named = CSI_KEYS[seq];
  if (named) return { type: "key", name: named };
  // Modified arrows (\x1b[1;5A ...): treat as the plain arrow.
  const modArrow = /^\x1b\[1;\d+([ABCDHF])$/.exec(seq);
  if (modArrow) return { type: "key", name: ({ A: "up", B: "down", C: "right", D: "left", H: "home", F: "end" } as const)[modArrow[1] as "A"] };
  // Alt+Backspace.
  if (seq === "\x1b\x7f") return { type: "ctrl", letter: "w" };
  // Alt+letter and unknown sequences are ignored rather than typed.
  return null;
}

/**
 * A text run. Several lines at once (no bracketed paste) is a paste; a single trailing carriage return after
 * typed text is Enter (tmux send-keys and fast typists deliver "text\r" in one read).
 */
function decodeText(run: string): KeyEvent[] {
  // A line typed before raw mode was on arrives cooked, ending in "\n": that is Enter too.
  const body = run.endsWith("\r") || (run.endsWith("\n") && run.length > 1 && !/[\r\n]/.test(run.slice(0, -1))) ? run.slice(0, -1) : run;
  if (/[\r\n]/.test(body) && body.replace(/[\r\n]/g, "").length > 0) {
    const events: KeyEvent[] = [{ type: "paste", text: normaliseNewlines(body) }];
    if (body !== run) events.push({ type: "key", name: "enter" });
    return events;
  }
  const events: KeyEvent[] = [];
  let text = "";
  const flush = () => {
    if (text) events.push({ type: "text", text });
    text = "";
  };
  for (const ch of body === run ? run : `${body}\r`) {
    const code = ch.codePointAt(0)!;
    if (ch === "\r") {
      flush();
      events.push({ type: "key", name: "enter" });
    } else if (ch === "\n") {
      flush();
      events.push({ type: "key", name: "newline" });
    } else if (ch === "\t") {
      flush();
      events.push({ type: "key", name: "tab" });
    } else if (code === 0x7f || code === 0x08) {
      flush();
      events.push({ type: "key", name: "backspace" });
    } else if (code >= 1 && code <= 26) {
      flush();
      events.push({ type: "ctrl", letter: String.fromCharCode(code + 96) });
    } else if (code < 0x20) {
      flush();
    } else {
      text += ch;
    }
  }
  flush();
  return events;
}
