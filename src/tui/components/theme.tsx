import { createContext, useContext } from "react";
import { backgroundFromColorFgBg } from "../terminal/background.js";

// Colours used by the TUI. NO_COLOR (or TERM=dumb) turns every colour off (bold/dim stay). Components name
// the basic colours (cyan, green, red, yellow...); on a light background each becomes a darker shade that
// stays readable on white (the bright ANSI cyan and yellow nearly vanish there). Dim text needs no change:
// it is the foreground made fainter, so dark grey on a light background, light grey on a dark one.

export interface Theme {
  color: boolean;
  light: boolean;
  /** Syntax highlighter for code blocks, once loaded (null: plain text). */
  highlight: ((code: string, lang: string) => string) | null;
}

/**
 * The light background's colours, as xterm-256 indices (exact on a 256-colour or true-colour terminal, the
 * nearest basic colour on a 16-colour one): 24 #005f87, 25 #005faf, 22 #005f00, 124 #af0000, 94 #875f00,
 * 90 #870087, 238 #444444, 240 #585858.
 */
export const LIGHT_PALETTE: Readonly<Record<string, string>> = {
  cyan: "ansi256(24)",
  blue: "ansi256(25)",
  green: "ansi256(22)",
  red: "ansi256(124)",
  yellow: "ansi256(94)",
  magenta: "ansi256(90)",
  white: "ansi256(238)",
  gray: "ansi256(240)",
  grey: "ansi256(240)",
};

/** The xterm-256 index of a LIGHT_PALETTE entry. */
export function paletteIndex(value: string): number {
  return Number(/^ansi256\((\d+)\)$/.exec(value)?.[1] ?? Number.NaN);
}

/** From the environment: NO_COLOR / TERM=dumb; COLORFGBG for the background until the terminal answers. */
export function themeFromEnv(env: Record<string, string | undefined>): Theme {
  const color = !("NO_COLOR" in env && env.NO_COLOR !== undefined && env.NO_COLOR !== "") && env.TERM !== "dumb";
  return { color, light: backgroundFromColorFgBg(env.COLORFGBG) === "light", highlight: null };
}

/** The colour to draw `name` in under `theme` (undefined: none). */
export function themeColor(theme: Pick<Theme, "color" | "light">, name: string): string | undefined {
  if (!theme.color) return undefined;
  return theme.light ? (LIGHT_PALETTE[name] ?? name) : name;
}

export const ThemeContext = createContext<Theme>({ color: true, light: false, highlight: null });

export function useTheme(): Theme {
  return useContext(ThemeContext);
}

/** A colour name, or undefined when colours are off; on a light background, its readable shade. */
export function useColor(): (name: string) => string | undefined {
  const theme = useTheme();
  return (name) => themeColor(theme, name);
}
