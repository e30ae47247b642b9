import { readFile } from "node:fs/promises";
import type { RolloutLine } from "./contract.js";
import { isKnownRolloutLine, parseRolloutText, type RawRolloutLine } from "./rollout-reader.js";

/**
 * The lines a resume needs. A `compacted` line replaces the history before it, so when there is
 * one only what follows the last one is parsed, plus the few lines from before it that still
 * count: the session_meta (first), the last turn_context and the last token_count. The search
 * is textual (`"type":"compacted"` cannot occur unescaped inside a JSON string) and every
 * candidate line is parsed to confirm it; without a compacted line this is a full read.
 */
export async function readRolloutForResume(path: string): Promise<RolloutLine[]> {
  return rolloutLinesForResume(await readFile(path, "utf8"));
}

export function rolloutLinesForResume(text: string): RolloutLine[] {
  const cut = lastLineStart(text, text.length, '"type":"compacted"', (l) => l.type === "compacted");
  if (cut === null) return parseRolloutText(text).filter(isKnownRolloutLine);
  const before: RawRolloutLine[] = [];
  const meta = firstLine(text, cut);
  if (meta) before.push(meta);
  const context = lastLineStart(text, cut, '"type":"turn_context"', (l) => l.type === "turn_context");
  const usage = lastLineStart(text, cut, '"type":"token_count"', isTokenCount);
  for (const start of [context, usage].filter((s): s is number => s !== null).sort((a, b) => a - b)) {
    const line = lineAt(text, start);
    if (line) before.push(line);
  }
  return [...before, ...parseRolloutText(text.slice(cut))].filter(isKnownRolloutLine);
}

const isTokenCount = (l: RawRolloutLine): boolean =>
  l.type === "event_msg" && (l.payload as { type?: unknown }).type === "token_count";

/** Start of the last complete line before `end` holding `needle` for which `test` holds. */
function lastLineStart(text: string, end: number, needle: string, test: (l: RawRolloutLine) => boolean): number | null {
  let from = end;
  while (from > 0) {
    const hit = text.lastIndexOf(needle, from - 1);
    if (hit < 0) return null;
    const start = text.lastIndexOf("\n", hit) + 1;
    const line = lineAt(text, start);
    if (line && test(line)) return start;
    from = start;
  }
  return null;
}

function lineAt(text: string, start: number): RawRolloutLine | null {
  const end = text.indexOf("\n", start);
  if (end < 0) return null; // a torn last line
  return parseRolloutText(text.slice(start, end + 1))[0] ?? null;
}

function firstLine(text: string, cut: number): RawRolloutLine | null {
  // session_meta is the first line of a rollout; skip torn/blank lines before it, never past the cut.
  let start = 0;
  while (start < cut) {
    const line = lineAt(text, start);
    if (line?.type === "session_meta") return line;
    if (line) return null;
    const next = text.indexOf("\n", start);
    if (next < 0) return null;
    start = next + 1;
  }
  return null;
}
