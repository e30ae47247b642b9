// The `@` file mention being typed in the composer: an `@` at the start or after whitespace, up to the cursor,
// with no whitespace in between. Picking a file replaces that token with the path (quoted when it holds a
// space) and a trailing space.

export interface MentionToken {
  /** Index of the `@`. */
  start: number;
  /** Index just past the token (the cursor). */
  end: number;
  /** What follows the `@` (may be empty: the popup opens on a bare `@`). */
  query: string;
}

export function mentionAt(text: string, cursor: number): MentionToken | null {
  const before = text.slice(0, cursor);
  const at = before.lastIndexOf("@");
  if (at < 0) return null;
  if (at > 0 && !/\s/.test(before[at - 1]!)) return null;
  const query = before.slice(at + 1);
  if (/\s/.test(query)) return null;
  // The token must also end at the cursor: a word running on past it is not being typed.
  if (cursor < text.length && !/\s/.test(text[cursor]!)) return null;
  return { start: at, end: cursor, query };
}

/** The text with the token replaced by `filePath` and a space; the cursor goes after that space. */
export function insertMention(text: string, token: MentionToken, filePath: string): { text: string; cursor: number } {
  const shown = /\s/.test(filePath) ? `"${filePath.replace(/"/g, '\\"')}"` : filePath;
  const next = `${text.slice(0, token.start)}${shown} ${text.slice(token.end).replace(/^ /, "")}`;
  return { text: next, cursor: token.start + shown.length + 1 };
}
