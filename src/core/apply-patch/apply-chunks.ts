import { seekSequence } from "./seek.js";
import { ApplyPatchError, type UpdateChunk } from "./types.js";

export interface Replacement {
  /** Index in the original lines. */
  start: number;
  oldLength: number;
  newLines: string[];
}

export interface ChunkApplication {
  /** Original content split into lines (no trailing empty line for a final newline, no `\r`). */
  oldLines: string[];
  replacements: Replacement[];
  newContent: string;
  eol: "\n" | "\r\n";
}

/** Split file content into lines; a final newline does not make an extra line. CRLF files are kept CRLF. */
export function splitContent(content: string): { lines: string[]; eol: "\n" | "\r\n" } {
  const crlf = content.includes("\r\n") && !/(^|[^\r])\n/.test(content);
  const lines = content.split(crlf ? "\r\n" : "\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return { lines, eol: crlf ? "\r\n" : "\n" };
}

/** Apply an Update op's chunks to `content`; `displayPath` (absolute) is used in error messages. */
export function applyChunks(content: string, chunks: readonly UpdateChunk[], displayPath: string): ChunkApplication {
  const { lines, eol } = splitContent(content);
  const replacements = computeReplacements(lines, chunks, displayPath);
  return { oldLines: lines, replacements, newContent: render(content, lines, eol, replacements), eol };
}

/**
 * Build the new content from slices of the old one (cheap ropes) rather than re-joining every line, so
 * a large file with few changes costs little. Ends with exactly one newline (none for an empty result).
 */
function render(content: string, lines: string[], eol: string, replacements: Replacement[]): string {
  const base = content === "" || content.endsWith(eol) ? content : content + eol;
  const offsets = new Array<number>(lines.length + 1);
  let pos = 0;
  for (let k = 0; k < lines.length; k++) {
    offsets[k] = pos;
    pos += (lines[k] ?? "").length + eol.length;
  }
  offsets[lines.length] = base.length;
  const slice = (from: number, to: number) => (from < to ? base.slice(offsets[from], offsets[to]) : "");
  let out = "";
  let at = 0;
  let lineCount = 0;
  let lastLine: string | undefined;
  for (const r of replacements) {
    if (r.start > at) {
      out += slice(at, r.start);
      lineCount += r.start - at;
      lastLine = lines[r.start - 1];
    }
    if (r.newLines.length > 0) {
      out += r.newLines.join(eol) + eol;
      lineCount += r.newLines.length;
      lastLine = r.newLines[r.newLines.length - 1];
    }
    at = Math.max(at, r.start + r.oldLength);
  }
  if (lines.length > at) {
    out += slice(at, lines.length);
    lineCount += lines.length - at;
    lastLine = lines[lines.length - 1];
  }
  if (lineCount === 0) return "";
  // A final empty line means the text already ends with a blank line: it absorbs the closing newline.
  return lastLine === "" ? out.slice(0, out.length - eol.length) : out;
}

function computeReplacements(lines: string[], chunks: readonly UpdateChunk[], displayPath: string): Replacement[] {
  const replacements: Replacement[] = [];
  let cursor = 0;
  chunks.forEach((chunk, index) => {
    const hunk = index + 1;
    for (const ctx of chunk.contexts) {
      const found = seekSequence(lines, [ctx], cursor, { eof: false });
      if (found === null) {
        throw new ApplyPatchError(`Failed to find context '${ctx}' in ${displayPath}`, {
          path: displayPath,
          hunk,
          unmatchedLines: [ctx],
        });
      }
      cursor = found + 1;
    }
    if (chunk.oldLines.length === 0) {
      // Pure addition: append at the end of the file, before a trailing blank line if there is one.
      const at = lines.length > 0 && lines[lines.length - 1] === "" ? lines.length - 1 : lines.length;
      replacements.push({ start: at, oldLength: 0, newLines: chunk.newLines });
      return;
    }
    let pattern = chunk.oldLines;
    let newLines = chunk.newLines;
    let found = seekSequence(lines, pattern, cursor, { eof: chunk.eof });
    if (found === null && pattern[pattern.length - 1] === "") {
      // A trailing empty line in the hunk usually stands for the file's final newline.
      pattern = pattern.slice(0, -1);
      if (newLines[newLines.length - 1] === "") newLines = newLines.slice(0, -1);
      found = seekSequence(lines, pattern, cursor, { eof: chunk.eof });
    }
    if (found === null) {
      throw new ApplyPatchError(`Failed to find expected lines in ${displayPath}:\n${chunk.oldLines.join("\n")}`, {
        path: displayPath,
        hunk,
        unmatchedLines: chunk.oldLines,
      });
    }
    replacements.push({ start: found, oldLength: pattern.length, newLines });
    cursor = found + pattern.length;
  });
  return replacements.sort((a, b) => a.start - b.start);
}
