import { Box, Text } from "ink";
import type { FileChangeSummary } from "../../protocol/events.js";
import { useColor } from "./theme.js";

/** A unified diff, coloured by line kind; `maxLines` cuts the middle off long diffs (history cells). */
export function DiffView({ diff, maxLines }: { diff: string; maxLines?: number }) {
  const color = useColor();
  let lines = diff.replace(/\n$/, "").split("\n");
  let hidden = 0;
  if (maxLines !== undefined && lines.length > maxLines) {
    hidden = lines.length - maxLines;
    lines = lines.slice(0, maxLines);
  }
  return (
    <Box flexDirection="column">
      {lines.map((l, i) => {
        if (l.startsWith("+++") || l.startsWith("---") || l.startsWith("diff ") || l.startsWith("index ")) {
          return (
            <Text key={i} dimColor>
              {l}
            </Text>
          );
        }
        if (l.startsWith("@@")) return <Text key={i} color={color("cyan")}>{l}</Text>;
        if (l.startsWith("+")) return <Text key={i} color={color("green")}>{l}</Text>;
        if (l.startsWith("-")) return <Text key={i} color={color("red")}>{l}</Text>;
        return <Text key={i}>{l}</Text>;
      })}
      {hidden > 0 ? <Text dimColor>{`… +${hidden} lines`}</Text> : null}
    </Box>
  );
}

/** Added/removed line counts of a unified diff (headers excluded). */
export function diffStats(diff: string): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const l of diff.split("\n")) {
    if (l.startsWith("+++") || l.startsWith("---")) continue;
    if (l.startsWith("+")) added++;
    else if (l.startsWith("-")) removed++;
  }
  return { added, removed };
}

export function changeVerb(change: FileChangeSummary): string {
  if (change.movedFrom) return "Moved";
  return change.kind === "add" ? "Added" : change.kind === "delete" ? "Deleted" : "Edited";
}

/** The changes of a patch, each with its own diff (approval overlay, patch cells). */
export function ChangesView({ changes, fallbackDiff, cwd, maxLines }: { changes: FileChangeSummary[]; fallbackDiff?: string; cwd?: string; maxLines?: number }) {
  const color = useColor();
  const rel = (p: string) => (cwd && p.startsWith(`${cwd}/`) ? p.slice(cwd.length + 1) : p);
  const withDiffs = changes.some((c) => c.unifiedDiff);
  return (
    <Box flexDirection="column">
      {changes.map((c, i) => {
        const stats = diffStats(c.unifiedDiff ?? "");
        return (
          <Box key={i} flexDirection="column">
            <Text>
              <Text bold>{`${changeVerb(c)} ${c.movedFrom ? `${rel(c.movedFrom)} → ` : ""}${rel(c.path)}`}</Text>
              {c.unifiedDiff ? <Text>{" ("}<Text color={color("green")}>{`+${stats.added}`}</Text>{" "}<Text color={color("red")}>{`-${stats.removed}`}</Text>{")"}</Text> : null}
            </Text>
            {c.unifiedDiff ? <DiffView diff={c.unifiedDiff} {...(maxLines !== undefined ? { maxLines } : {})} /> : null}
          </Box>
        );
      })}
      {!withDiffs && fallbackDiff ? <DiffView diff={fallbackDiff} {...(maxLines !== undefined ? { maxLines } : {})} /> : null}
    </Box>
  );
}
