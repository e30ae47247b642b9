// The `@` file mention under the cursor, anywhere in the composer: the whitespace-delimited token the cursor
// is in (or at either end of) when it begins with `@`. Picking a file replaces just that token with the path
// (quoted when it holds a space) and a space; the text around it stays as it was.

export interface MentionToken {
  /** Index of the `@`. */
  start: number;
  /** Index just past the token. */
  end: number;
  /** The whole token after the `@` (may be empty: the popup opens on a bare `@`). */
  query: string;
}

const isSpace = (ch: string | undefined) => ch !== undefined && /\s/.test(ch);

export function mentionAt(text: string, cursor: number): MentionToken | null {
  let start = Math.max(0, Math.min(cursor, text.length));
  while (start > 0 && !isSpace(text[start - 1])) start--;
  let end = Math.max(start, Math.min(cursor, text.length));
  while (end < text.length && !isSpace(text[end])) end++;
  // `mail me@example.com`: the token begins with `m`, not `@`.
  if (text[start] !== "@") return null;
  return { start, end, query: text.slice(start + 1, end) };
}

/** The text with the token replaced by `filePath` and a space; the cursor goes after that space. */
export function insertMention(text: string, token: MentionToken, filePath: string): { text: string; cursor: number } {
  const shown = /\s/.test(filePath) ? `"${filePath.replace(/"/g, '\\"')}"` : filePath;
  const next = `${text.slice(0, token.start)}${shown} ${text.slice(token.end).replace(/^ /, "")}`;
  return { text: next, cursor: token.start + shown.length + 1 };
}
