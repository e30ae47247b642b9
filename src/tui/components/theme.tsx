import { createContext, useContext } from "react";

// Colours used by the TUI. NO_COLOR (or TERM=dumb) turns every colour off (bold/dim stay); a light background
// (COLORFGBG) avoids white/grey text.

export interface Theme {
  color: boolean;
  light: boolean;
  /** Syntax highlighter for code blocks, once loaded (null: plain text). */
  highlight: ((code: string, lang: string) => string) | null;
}

export function themeFromEnv(env: Record<string, string | undefined>): Theme {
  const color = !("NO_COLOR" in env && env.NO_COLOR !== undefined && env.NO_COLOR !== "") && env.TERM !== "dumb";
  const bg = env.COLORFGBG?.split(";").pop();
  const light = bg !== undefined && /^(7|15|1[0-5]|[89])$/.test(bg) && bg !== "8";
  return { color, light, highlight: null };
}

export const ThemeContext = createContext<Theme>({ color: true, light: false, highlight: null });

export function useTheme(): Theme {
  return useContext(ThemeContext);
}

/** A colour name, or undefined when colours are off. */
export function useColor(): (name: string) => string | undefined {
  const theme = useTheme();
  return (name) => (theme.color ? name : undefined);
}
