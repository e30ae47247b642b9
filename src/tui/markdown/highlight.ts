import { common, createEmphasize } from "emphasize";

/** A code highlighter for fenced blocks (ANSI colours); unknown languages stay plain. */
export function createHighlighter(): (code: string, lang: string) => string {
  const emphasize = createEmphasize(common);
  return (code, lang) => {
    const name = lang.toLowerCase();
    if (!emphasize.registered(name)) return code;
    try {
      return emphasize.highlight(name, code).value;
    } catch {
      return code;
    }
  };
}
