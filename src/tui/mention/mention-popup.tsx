// The `@` popup above the composer: the best file matches for the typed query, matched characters bold, the
// selected row marked; Tab/Enter inserts it, ↑/↓ move, Esc closes (the composer owns those keys and passes
// the selection in).
import { Box, Text } from "ink";
import type { FileMatch } from "../../core/index.js";
import { useColor } from "../components/theme.js";

export interface MentionPopupProps {
  query: string;
  matches: readonly FileMatch[];
  selected: number;
  searching: boolean;
  /** Terminal columns available. */
  width: number;
}

export function MentionPopup(p: MentionPopupProps) {
  const color = useColor();
  if (p.query === "") return <Text dimColor>  type to search files</Text>;
  if (p.matches.length === 0) return <Text dimColor>{p.searching ? "  searching…" : "  no matches"}</Text>;
  return (
    <Box flexDirection="column">
      {p.matches.map((m, i) => (
        <Text key={m.path} {...(i === p.selected ? { color: color("cyan") } : {})}>
          {i === p.selected ? "› " : "  "}
          <Highlighted text={fit(m.path, p.width - 2)} indices={m.indices} offset={m.path.length - fit(m.path, p.width - 2).length} />
        </Text>
      ))}
    </Box>
  );
}

function Highlighted(p: { text: string; indices: readonly number[]; offset: number }) {
  const marked = new Set(p.indices.map((i) => i - p.offset));
  const pieces: { text: string; bold: boolean }[] = [];
  for (let i = 0; i < p.text.length; i++) {
    const bold = marked.has(i);
    const last = pieces[pieces.length - 1];
    if (last && last.bold === bold) last.text += p.text[i];
    else pieces.push({ text: p.text[i]!, bold });
  }
  return (
    <>
      {pieces.map((piece, i) => (piece.bold ? <Text key={i} bold>{piece.text}</Text> : <Text key={i}>{piece.text}</Text>))}
    </>
  );
}

/** Long paths keep their end (the file name), cut at the front. */
function fit(s: string, width: number): string {
  if (s.length <= width || width < 2) return s;
  return "…" + s.slice(s.length - width + 1);
}
