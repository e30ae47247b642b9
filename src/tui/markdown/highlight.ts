import chalk from "chalk";
import { common, createEmphasize } from "emphasize";
import { LIGHT_PALETTE, paletteIndex } from "../components/theme.js";

/**
 * A code highlighter for fenced blocks (ANSI colours); unknown languages stay plain. On a light background
 * the shades of the light palette replace emphasize's bright cyan and yellow, which nearly vanish on white.
 */
export function createHighlighter(o: { light?: boolean } = {}): (code: string, lang: string) => string {
  const emphasize = createEmphasize(common);
  const sheet = o.light ? lightSheet() : undefined;
  return (code, lang) => {
    const name = lang.toLowerCase();
    if (!emphasize.registered(name)) return code;
    try {
      return emphasize.highlight(name, code, sheet).value;
    } catch {
      return code;
    }
  };
}

function lightSheet(): Record<string, (text: string) => string> {
  const c = (name: string) => chalk.ansi256(paletteIndex(LIGHT_PALETTE[name]!));
  return {
    comment: c("gray"),
    quote: c("gray"),
    keyword: c("green"),
    "selector-tag": c("green"),
    addition: c("green"),
    number: c("cyan"),
    string: c("cyan"),
    "meta meta-string": c("cyan"),
    literal: c("cyan"),
    doctag: c("cyan"),
    regexp: c("cyan"),
    title: c("blue"),
    section: c("blue"),
    name: c("blue"),
    "selector-id": c("blue"),
    "selector-class": c("blue"),
    attribute: c("yellow"),
    attr: c("yellow"),
    variable: c("yellow"),
    "template-variable": c("yellow"),
    "class title": c("yellow"),
    type: c("yellow"),
    symbol: c("magenta"),
    bullet: c("magenta"),
    subst: c("magenta"),
    meta: c("magenta"),
    "meta keyword": c("magenta"),
    link: c("magenta"),
    built_in: c("red"),
    deletion: c("red"),
    emphasis: chalk.italic,
    strong: chalk.bold,
  };
}
