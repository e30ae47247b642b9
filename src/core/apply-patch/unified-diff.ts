import { createTwoFilesPatch, diffArrays, formatPatch, type StructuredPatchHunk } from "diff";
import type { Replacement } from "./apply-chunks.js";

const CONTEXT = 3;
const HEADERS = { includeIndex: false, includeUnderline: false, includeFileHeaders: true };

type Entry = { t: "=" | "-" | "+"; text: string };

/** Diff of a whole-file add or delete (either side may be empty). */
export function wholeFileDiff(oldName: string, newName: string, oldText: string, newText: string): string {
  return createTwoFilesPatch(oldName, newName, oldText, newText, undefined, undefined, {
    context: CONTEXT,
    headerOptions: HEADERS,
  });
}

/**
 * Diff of an update, built from the replacements the engine already located, so a 5 MB file with a
 * thousand hunks costs a thousand tiny diffs instead of one huge one. Falls back to a full diff when the
 * old file lacked a final newline (the last line then changes too).
 */
export function updateDiff(
  oldName: string,
  newName: string,
  change: { oldContent: string; newContent: string; oldLines: string[]; replacements: Replacement[] },
): string {
  if (change.oldContent !== "" && !change.oldContent.endsWith("\n")) {
    return wholeFileDiff(oldName, newName, change.oldContent, change.newContent);
  }
  const entries = editScript(change.oldLines, change.replacements);
  const hunks = buildHunks(entries);
  if (hunks.length === 0) return "";
  return formatPatch({ oldFileName: oldName, newFileName: newName, oldHeader: undefined, newHeader: undefined, hunks }, HEADERS);
}

/** The whole-file edit script; unchanged stretches are entries too, but they are cheap references to text. */
function editScript(oldLines: string[], replacements: Replacement[]): Entry[] {
  const out: Entry[] = [];
  let at = 0;
  for (const r of replacements) {
    for (let k = at; k < r.start; k++) out.push({ t: "=", text: oldLines[k] ?? "" });
    const start = Math.max(at, r.start);
    const oldSlice = oldLines.slice(start, r.start + r.oldLength);
    for (const part of diffArrays(oldSlice, r.newLines)) {
      const t = part.added ? "+" : part.removed ? "-" : "=";
      for (const text of part.value) out.push({ t, text });
    }
    at = Math.max(at, r.start + r.oldLength);
  }
  for (let k = at; k < oldLines.length; k++) out.push({ t: "=", text: oldLines[k] ?? "" });
  return out;
}

function buildHunks(entries: Entry[]): StructuredPatchHunk[] {
  const hunks: StructuredPatchHunk[] = [];
  let i = 0;
  let oldNo = 1;
  let newNo = 1;
  while (i < entries.length) {
    const firstChange = findChange(entries, i);
    if (firstChange === -1) break;
    // Advance the line counters over the unchanged stretch before this hunk's leading context.
    const lead = Math.max(i, firstChange - CONTEXT);
    oldNo += lead - i;
    newNo += lead - i;
    const hunk: StructuredPatchHunk = { oldStart: oldNo, oldLines: 0, newStart: newNo, newLines: 0, lines: [] };
    let k = lead;
    let lastChange = firstChange;
    while (k < entries.length) {
      const e = entries[k];
      if (e === undefined) break;
      if (e.t === "=" && k - lastChange > CONTEXT) {
        const next = findChange(entries, k);
        if (next === -1 || next - lastChange > 2 * CONTEXT + 1) break;
      }
      if (e.t !== "=") lastChange = k;
      hunk.lines.push(`${e.t === "=" ? " " : e.t}${e.text}`);
      if (e.t !== "+") hunk.oldLines++;
      if (e.t !== "-") hunk.newLines++;
      k++;
    }
    oldNo += hunk.oldLines;
    newNo += hunk.newLines;
    hunks.push(hunk);
    i = k;
  }
  return hunks;
}

function findChange(entries: Entry[], from: number): number {
  for (let k = from; k < entries.length; k++) if (entries[k]?.t !== "=") return k;
  return -1;
}
