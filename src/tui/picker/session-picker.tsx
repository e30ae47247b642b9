// The resume/fork picker: a filter line (typing narrows the list), then one row per session with its age,
// branch, cwd (with --all) and first prompt; ↑/↓ (and PgUp/PgDn) move, Enter picks, Esc starts a new
// session instead, Ctrl+C quits. Rows are cut to the terminal width; the list scrolls with the selection.
import { Box, Text, useStdout } from "ink";
import { useKeyHandler } from "../components/key-router.js";
import { useRef, useState } from "react";
import { filterSessionRows, relativeAge, type SessionRow } from "./session-rows.js";
import { useColor } from "../components/theme.js";

export interface SessionPickerProps {
  kind: "resume" | "fork";
  rows: readonly SessionRow[];
  showCwd: boolean;
  now: number;
  onPick(row: SessionRow): void;
  /** Esc: no session picked, start a new one. */
  onNew(): void;
  /** Ctrl+C: leave. */
  onQuit(): void;
  /** Rows shown at once (default: what fits the terminal). */
  pageSize?: number;
}

export function SessionPicker(p: SessionPickerProps) {
  const color = useColor();
  const { stdout } = useStdout();
  const columns = Math.max(20, stdout?.columns ?? 80);
  const pageSize = p.pageSize ?? Math.max(3, (stdout?.rows ?? 24) - 6);
  // Keys can arrive faster than React re-subscribes the handler: the state the keys act on lives in a ref.
  const state = useRef({ query: "", selected: 0 });
  const [, setVersion] = useState(0);
  const update = (next: { query: string; selected: number }) => {
    state.current = next;
    setVersion((v) => v + 1);
  };
  const { query } = state.current;
  const visible = filterSessionRows(p.rows, query);
  const clamp = (n: number, count: number) => Math.max(0, Math.min(n, count - 1));
  const index = clamp(state.current.selected, visible.length);

  useKeyHandler((key) => {
    const s = state.current;
    const rows = filterSessionRows(p.rows, s.query);
    const at = clamp(s.selected, rows.length);
    if (key.type === "ctrl") {
      if (key.letter === "c") p.onQuit();
      return true;
    }
    if (key.type === "text" || key.type === "paste") {
      update({ query: s.query + key.text.replace(/[\r\n]/g, ""), selected: 0 });
      return true;
    }
    if (key.type !== "key") return false;
    switch (key.name) {
      case "escape":
        p.onNew();
        break;
      case "enter": {
        const row = rows[at];
        if (row) p.onPick(row);
        break;
      }
      case "up":
        update({ ...s, selected: clamp(at - 1, rows.length) });
        break;
      case "down":
        update({ ...s, selected: clamp(at + 1, rows.length) });
        break;
      case "pageup":
        update({ ...s, selected: clamp(at - pageSize, rows.length) });
        break;
      case "pagedown":
        update({ ...s, selected: clamp(at + pageSize, rows.length) });
        break;
      case "backspace":
      case "delete":
        update({ query: s.query.slice(0, -1), selected: 0 });
        break;
      default:
        return false;
    }
    return true;
  });

  const first = Math.max(0, Math.min(index - Math.floor(pageSize / 2), visible.length - pageSize));
  const page = visible.slice(first, first + pageSize);
  const rows = page.map((r) => ({ row: r, age: relativeAge(r.updatedAt, p.now), branch: r.branch ?? "-" }));
  const ageWidth = Math.max(7, ...rows.map((r) => r.age.length));
  const branchWidth = Math.min(24, Math.max(6, ...rows.map((r) => r.branch.length)));
  const cwdWidth = p.showCwd ? Math.min(30, Math.max(3, ...rows.map((r) => r.row.cwd.length))) : 0;
  const line = (age: string, branch: string, cwd: string, text: string) => {
    const cells = [pad(age, ageWidth), pad(cut(branch, branchWidth), branchWidth), ...(p.showCwd ? [pad(cutLeft(cwd, cwdWidth), cwdWidth)] : []), text];
    return cut(cells.join("  "), columns - 2);
  };

  return (
    <Box flexDirection="column">
      <Text bold>{p.kind === "resume" ? "Resume a previous session" : "Fork a previous session"}</Text>
      <Text>
        {query === "" ? <Text dimColor>Type to search</Text> : <Text>Search: {query}</Text>}
      </Text>
      <Text dimColor>{"  " + line("Updated", "Branch", "CWD", "Conversation")}</Text>
      {p.rows.length === 0 ? (
        <Text dimColor>  No saved sessions{p.showCwd ? "" : " in this folder (codex resume --all lists every folder's)"}</Text>
      ) : visible.length === 0 ? (
        <Text dimColor>  No sessions match “{query}”</Text>
      ) : (
        rows.map(({ row, age, branch }) => {
          const isSelected = row === visible[index];
          const text = line(age, branch, row.cwd, row.preview);
          return isSelected ? (
            <Text key={row.id} color={color("cyan")} bold>
              {"› " + text}
            </Text>
          ) : (
            <Text key={row.id}>{"  " + text}</Text>
          );
        })
      )}
      <Text dimColor>
        {`enter ${p.kind === "resume" ? "resume" : "fork"} · esc start new · ctrl+c quit · ↑/↓ browse`}
      </Text>
    </Box>
  );
}

const pad = (s: string, w: number) => (s.length >= w ? s : s + " ".repeat(w - s.length));
const cut = (s: string, w: number) => (s.length <= w ? s : w <= 1 ? s.slice(0, w) : s.slice(0, w - 1) + "…");
const cutLeft = (s: string, w: number) => (s.length <= w ? s : "…" + s.slice(s.length - w + 1));
