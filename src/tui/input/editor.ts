// The composer's text buffer: pure functions over an immutable state (text, cursor, collapsed pastes, history).

export interface CollapsedPaste {
  placeholder: string;
  text: string;
}

export interface EditorState {
  text: string;
  /** Offset into `text` (UTF-16 units, always on a code point boundary). */
  cursor: number;
  pastes: CollapsedPaste[];
  /** Earlier submissions, oldest first. */
  history: string[];
  /** Index into `history` while browsing it with Up/Down; null when editing a fresh draft. */
  historyIndex: number | null;
  /** The draft put aside while browsing the history. */
  draft: string;
}

/** Pastes above these bounds show as a placeholder; the full text is sent. */
export const PASTE_COLLAPSE_LINES = 5;
export const PASTE_COLLAPSE_CHARS = 1000;

export function emptyEditor(history: string[] = []): EditorState {
  return { text: "", cursor: 0, pastes: [], history, historyIndex: null, draft: "" };
}

export function insertText(s: EditorState, text: string): EditorState {
  return { ...s, text: s.text.slice(0, s.cursor) + text + s.text.slice(s.cursor), cursor: s.cursor + text.length, historyIndex: null };
}

export function pasteText(s: EditorState, text: string): EditorState {
  const lines = text.split("\n").length;
  if (lines <= PASTE_COLLAPSE_LINES && text.length <= PASTE_COLLAPSE_CHARS) return insertText(s, text);
  const base = `[Pasted ${lines} lines]`;
  let placeholder = base;
  for (let n = 2; s.pastes.some((p) => p.placeholder === placeholder); n++) placeholder = `${base.slice(0, -1)} #${n}]`;
  return { ...insertText(s, placeholder), pastes: [...s.pastes, { placeholder, text }] };
}

export function backspace(s: EditorState): EditorState {
  if (s.cursor === 0) return s;
  const before = s.text.slice(0, s.cursor);
  // A placeholder goes as a whole, with its paste.
  const paste = s.pastes.find((p) => before.endsWith(p.placeholder));
  if (paste) {
    const cut = s.cursor - paste.placeholder.length;
    return { ...s, text: s.text.slice(0, cut) + s.text.slice(s.cursor), cursor: cut, pastes: s.pastes.filter((p) => p !== paste) };
  }
  const cut = s.cursor - lastCodePointLength(before);
  return { ...s, text: s.text.slice(0, cut) + s.text.slice(s.cursor), cursor: cut };
}

export function deleteForward(s: EditorState): EditorState {
  if (s.cursor >= s.text.length) return s;
  const len = String.fromCodePoint(s.text.codePointAt(s.cursor)!).length;
  return { ...s, text: s.text.slice(0, s.cursor) + s.text.slice(s.cursor + len) };
}

/** Ctrl+W: the word before the cursor. */
export function deleteWordBack(s: EditorState): EditorState {
  const before = s.text.slice(0, s.cursor);
  const cut = before.replace(/\S+\s*$|\s+$/, "").length;
  return { ...s, text: s.text.slice(0, cut) + s.text.slice(s.cursor), cursor: cut };
}

/** Ctrl+U: the line up to the cursor. */
export function deleteToLineStart(s: EditorState): EditorState {
  const start = s.text.lastIndexOf("\n", s.cursor - 1) + 1;
  return { ...s, text: s.text.slice(0, start) + s.text.slice(s.cursor), cursor: start };
}

/** Ctrl+K: the rest of the line. */
export function deleteToLineEnd(s: EditorState): EditorState {
  const nl = s.text.indexOf("\n", s.cursor);
  const end = nl === -1 ? s.text.length : nl === s.cursor ? nl + 1 : nl;
  return { ...s, text: s.text.slice(0, s.cursor) + s.text.slice(end) };
}

export function moveLeft(s: EditorState): EditorState {
  return s.cursor === 0 ? s : { ...s, cursor: s.cursor - lastCodePointLength(s.text.slice(0, s.cursor)) };
}

export function moveRight(s: EditorState): EditorState {
  if (s.cursor >= s.text.length) return s;
  return { ...s, cursor: s.cursor + String.fromCodePoint(s.text.codePointAt(s.cursor)!).length };
}

export function moveLineStart(s: EditorState): EditorState {
  return { ...s, cursor: s.text.lastIndexOf("\n", s.cursor - 1) + 1 };
}

export function moveLineEnd(s: EditorState): EditorState {
  const nl = s.text.indexOf("\n", s.cursor);
  return { ...s, cursor: nl === -1 ? s.text.length : nl };
}

/** Up: the line above; on the first line, the previous history entry. */
export function moveUp(s: EditorState): EditorState {
  const lineStart = s.text.lastIndexOf("\n", s.cursor - 1) + 1;
  if (lineStart > 0) {
    const column = s.cursor - lineStart;
    const prevStart = s.text.lastIndexOf("\n", lineStart - 2) + 1;
    return { ...s, cursor: Math.min(prevStart + column, lineStart - 1) };
  }
  if (s.history.length === 0 || s.historyIndex === 0) return s;
  const index = s.historyIndex === null ? s.history.length - 1 : s.historyIndex - 1;
  const text = s.history[index]!;
  return { ...s, historyIndex: index, draft: s.historyIndex === null ? s.text : s.draft, text, cursor: 0, pastes: s.historyIndex === null ? s.pastes : [] };
}

/** Down: the line below; on the last line while browsing, the next history entry (then the draft). */
export function moveDown(s: EditorState): EditorState {
  const nl = s.text.indexOf("\n", s.cursor);
  if (nl !== -1) {
    const lineStart = s.text.lastIndexOf("\n", s.cursor - 1) + 1;
    const column = s.cursor - lineStart;
    const nextEnd = s.text.indexOf("\n", nl + 1);
    return { ...s, cursor: Math.min(nl + 1 + column, nextEnd === -1 ? s.text.length : nextEnd) };
  }
  if (s.historyIndex === null) return s;
  if (s.historyIndex >= s.history.length - 1) return { ...s, historyIndex: null, text: s.draft, cursor: s.draft.length, draft: "" };
  const text = s.history[s.historyIndex + 1]!;
  return { ...s, historyIndex: s.historyIndex + 1, text, cursor: text.length };
}

/**
 * Up would go past the oldest entry loaded so far (the cursor on the first line; no entry yet, or browsing the
 * oldest): time to fetch older ones (the persisted history.jsonl) before moving.
 */
export function wantsOlderHistory(s: EditorState): boolean {
  if (s.text.lastIndexOf("\n", s.cursor - 1) !== -1) return false;
  return s.history.length === 0 || s.historyIndex === 0;
}

/**
 * Older entries (newest first, as the file gives them) put before the ones loaded; an entry equal to the one
 * just newer than it is left out (the same prompt sent twice in a row is one stop for Up). Browsing stays on
 * the entry it was on.
 */
export function withOlderHistory(s: EditorState, olderNewestFirst: readonly string[]): EditorState {
  const added: string[] = [];
  let newer = s.history[0];
  for (const entry of olderNewestFirst) {
    if (entry === newer || entry.trim() === "") continue;
    added.unshift(entry);
    newer = entry;
  }
  if (added.length === 0) return s;
  return { ...s, history: [...added, ...s.history], historyIndex: s.historyIndex === null ? null : s.historyIndex + added.length };
}

/** The text to send: placeholders replaced by what was pasted. */
export function expandedText(s: EditorState): string {
  let text = s.text;
  for (const p of s.pastes) text = text.split(p.placeholder).join(p.text);
  return text;
}

/** After a submission: an empty buffer, the submission remembered. */
export function submitted(s: EditorState): EditorState {
  const entry = s.text;
  const history = entry.trim() === "" || s.history[s.history.length - 1] === entry ? s.history : [...s.history, entry];
  return emptyEditor(history);
}

export function cleared(s: EditorState): EditorState {
  return { ...emptyEditor(s.history) };
}

export function setText(s: EditorState, text: string, o: { cursor?: number } = {}): EditorState {
  const cursor = Math.max(0, Math.min(o.cursor ?? text.length, text.length));
  return { ...s, text, cursor, pastes: s.pastes.filter((p) => text.includes(p.placeholder)), historyIndex: null };
}

function lastCodePointLength(text: string): number {
  if (text.length >= 2) {
    const low = text.charCodeAt(text.length - 1);
    const high = text.charCodeAt(text.length - 2);
    if (low >= 0xdc00 && low <= 0xdfff && high >= 0xd800 && high <= 0xdbff) return 2;
  }
  return text.length === 0 ? 0 : 1;
}
