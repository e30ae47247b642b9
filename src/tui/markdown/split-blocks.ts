import { Lexer } from "marked";

/**
 * Splits streaming Markdown into the blocks that can no longer change and the block still being written:
 * every top-level token but the last is finished (a later delta cannot alter it). `done + rest === text`.
 */
export function splitFinishedBlocks(text: string): { done: string; rest: string } {
  if (!text.includes("\n")) return { done: "", rest: text };
  const tokens = new Lexer({ gfm: true }).blockTokens(text, []);
  // The last token that is not blank space is still open; trailing blank space belongs to it too.
  let last = tokens.length - 1;
  while (last > 0 && tokens[last]!.type === "space") last--;
  if (last <= 0) return { done: "", rest: text };
  let cut = 0;
  for (let i = 0; i < last; i++) cut += tokens[i]!.raw.length;
  // The lexer may normalise (tabs, CRLF): only trust the cut when the raws reproduce the text.
  if (text.slice(0, cut) !== tokens.slice(0, last).map((t) => t.raw).join("")) return { done: "", rest: text };
  return { done: text.slice(0, cut), rest: text.slice(cut) };
}
