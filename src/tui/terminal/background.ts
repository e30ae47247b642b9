// Which background the terminal has, so the palette stays readable: the terminal's own answer to an OSC 11
// query (xterm, iTerm2, kitty, WezTerm, GNU screen passes it on, tmux answers from its own options) first, then
// COLORFGBG (rxvt, Konsole), and dark when neither says.

/** "What is your background colour?" (xterm's OSC 11 query, ST-terminated). */
export const OSC11_QUERY = "\x1b]11;?\x1b\\";

export interface Rgb {
  /** 0..1 each. */
  r: number;
  g: number;
  b: number;
}

/**
 * The colour in an OSC 11 reply's body (`11;rgb:RRRR/GGGG/BBBB`, 1 to 4 hex digits per channel; also
 * `rgba:` with an alpha, and `#RRGGBB`); null for anything else.
 */
export function parseOsc11Reply(body: string): Rgb | null {
  const m = /^11;(?:rgba?:([0-9a-f]{1,4})\/([0-9a-f]{1,4})\/([0-9a-f]{1,4})(?:\/[0-9a-f]{1,4})?|#([0-9a-f]{6}))$/i.exec(body.trim());
  if (!m) return null;
  if (m[4]) {
    const hex = m[4];
    return { r: parseInt(hex.slice(0, 2), 16) / 255, g: parseInt(hex.slice(2, 4), 16) / 255, b: parseInt(hex.slice(4, 6), 16) / 255 };
  }
  const channel = (h: string) => parseInt(h, 16) / (16 ** h.length - 1);
  return { r: channel(m[1]!), g: channel(m[2]!), b: channel(m[3]!) };
}

/** A background is light when its perceived brightness (Rec. 601 luma) is above the middle. */
export function isLightRgb(c: Rgb): boolean {
  return 0.299 * c.r + 0.587 * c.g + 0.114 * c.b > 0.5;
}

/**
 * COLORFGBG's last field is the background's colour index: 7 (white/light grey) and 15 (bright white) are
 * light, and so are the bright colours 9–14; 0–6 and 8 (dark grey) are dark. Null when unset or unreadable.
 */
export function backgroundFromColorFgBg(value: string | undefined): "light" | "dark" | null {
  const bg = value?.split(";").pop()?.trim();
  if (bg === undefined || !/^\d+$/.test(bg)) return null;
  const n = Number(bg);
  if (n > 15) return null;
  return n === 7 || n >= 9 ? "light" : "dark";
}
