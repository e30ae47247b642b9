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
  const hunks = updateHunks(change.oldLines, change.replacements);
  if (hunks.length === 0) return "";
  return formatPatch({ oldFileName: oldName, newFileName: newName, oldHeader: undefined, newHeader: undefined, hunks }, HEADERS);
}

interface Block {
  /** Old-line range [start, end) the entries replace, after trimming common lines off both ends. */
  start: number;
  end: number;
  entries: Entry[];
}

/** Each replacement diffed on its own (tiny), with unchanged lines at its edges moved back into the gaps. */
function changeBlocks(oldLines: string[], replacements: Replacement[]): Block[] {
  const blocks: Block[] = [];
  let at = 0;
  for (const r of replacements) {
    const start = Math.max(at, r.start);
    const end = Math.max(start, r.start + r.oldLength);
    at = end;
    const entries: Entry[] = [];
    for (const part of diffArrays(oldLines.slice(start, end), r.newLines)) {
      const t = part.added ? "+" : part.removed ? "-" : "=";
      for (const text of part.value) entries.push({ t, text });
    }
    let lead = 0;
    while (lead < entries.length && entries[lead]?.t === "=") lead++;
    let trail = 0;
    while (trail < entries.length - lead && entries[entries.length - 1 - trail]?.t === "=") trail++;
    if (lead === entries.length) continue;
    blocks.push({ start: start + lead, end: end - trail, entries: entries.slice(lead, entries.length - trail) });
  }
  return blocks;
}

function updateHunks(oldLines: string[], replacements: Replacement[]): StructuredPatchHunk[] {
  const hunks: StructuredPatchHunk[] = [];
  let cur: (StructuredPatchHunk & { oldEnd: number }) | undefined;
  let delta = 0; // new line number minus old line number so far
  const close = () => {
    if (cur === undefined) return;
    const stop = Math.min(oldLines.length, cur.oldEnd + CONTEXT);
    for (let k = cur.oldEnd; k < stop; k++) addLine(cur, " ", oldLines[k] ?? "");
    const { oldEnd: _e, ...hunk } = cur;
    hunks.push(hunk);
  };
  for (const b of changeBlocks(oldLines, replacements)) {
    if (cur !== undefined && b.start - cur.oldEnd <= 2 * CONTEXT) {
      for (let k = cur.oldEnd; k < b.start; k++) addLine(cur, " ", oldLines[k] ?? "");
    } else {
      close();
      const from = Math.max(0, b.start - CONTEXT);
      cur = { oldStart: from + 1, oldLines: 0, newStart: from + delta + 1, newLines: 0, lines: [], oldEnd: b.start };
      for (let k = from; k < b.start; k++) addLine(cur, " ", oldLines[k] ?? "");
    }
    for (const e of b.entries) {
      addLine(cur, e.t === "=" ? " " : e.t, e.text);
      if (e.t === "+") delta++;
      if (e.t === "-") delta--;
    }
    cur.oldEnd = b.end;
  }
  close();
  return hunks;
}

function addLine(h: StructuredPatchHunk, prefix: string, text: string): void {
  h.lines.push(prefix + text);
  if (prefix !== "+") h.oldLines++;
  if (prefix !== "-") h.newLines++;
}
