import { Box, Text } from "ink";
import { useRef, useState } from "react";
import type { UserInputQuestion, UserInputResponse } from "../../protocol/user-input.js";
import type { KeyEvent } from "../input/keys.js";
import type { UserInputPrompt } from "../state/types.js";
import { KEY_PRIORITY, useKeyHandler } from "./key-router.js";
import { useColor } from "./theme.js";

// The model's questions (request_user_input), one at a time: its options (arrow keys or digits, Enter), the
// free-form row a question allows ("None of the above", then the answer typed), notes on an option (Tab).
// The answers go back together after the last question, as the reference's TUI sends them: the chosen
// label, then `user_note: <text>` when something was typed. Esc stops the turn.

/** The row the reference's TUI adds to a question that allows a free-form answer. */
export const OTHER_ROW_LABEL = "None of the above";

interface Row {
  label: string;
  description: string;
  other: boolean;
}

export function questionRows(q: UserInputQuestion): Row[] {
  const rows = (q.options ?? []).map((o) => ({ label: o.label, description: o.description, other: false }));
  if (q.isOther || rows.length === 0) rows.push({ label: OTHER_ROW_LABEL, description: "Type your own answer", other: true });
  return rows;
}

/** One question's answer list: the row's label (none for a question without options), then the typed text as a note. */
export function answerFor(q: UserInputQuestion, row: Row, text: string): string[] {
  const note = text.trim();
  const label = (q.options ?? []).length === 0 ? [] : [row.label];
  return note ? [...label, `user_note: ${note}`] : label;
}

interface Draft {
  question: number;
  cursor: number;
  /** Null while choosing; the text being typed (a free-form answer or notes on the row). */
  typing: string | null;
  answers: Record<string, { answers: string[] }>;
}

export interface UserInputOverlayProps {
  prompt: UserInputPrompt;
  queued: number;
  onAnswer(response: UserInputResponse): void;
  onCancel(): void;
}

export function UserInputOverlay({ prompt, queued, onAnswer, onCancel }: UserInputOverlayProps) {
  const color = useColor();
  const questions = prompt.questions;
  // A question without options is answered by typing straight away.
  const fresh = (question: number, answers: Draft["answers"]): Draft => ({
    question,
    cursor: 0,
    typing: (questions[question]?.options ?? []).length === 0 ? "" : null,
    answers,
  });
  const [draft, setDraftState] = useState<Draft>(() => fresh(0, {}));
  // Several keys can come in one read (text, then Enter): updates go through a ref, read fresh.
  const ref = useRef(draft);
  const setDraft = (next: Draft) => {
    ref.current = next;
    setDraftState(next);
  };

  const commit = (d: Draft, text: string) => {
    const q = questions[d.question];
    if (!q) return onAnswer({ answers: d.answers });
    const row = questionRows(q)[d.cursor]!;
    const answers = { ...d.answers, [q.id]: { answers: answerFor(q, row, text) } };
    if (d.question + 1 >= questions.length) return onAnswer({ answers });
    setDraft(fresh(d.question + 1, answers));
  };

  const handle = (key: KeyEvent): boolean => {
    const d = ref.current;
    const q = questions[d.question];
    if (!q) return false;
    const rows = questionRows(q);
    if (d.typing !== null) {
      if (key.type === "text" || key.type === "paste") setDraft({ ...d, typing: d.typing + key.text });
      else if (key.type === "key" && key.name === "backspace") setDraft({ ...d, typing: d.typing.slice(0, -1) });
      else if (key.type === "key" && key.name === "enter") commit(d, d.typing);
      else if (key.type === "key" && key.name === "escape") {
        if ((q.options ?? []).length === 0) onCancel();
        else setDraft({ ...d, typing: null });
      }
      return !(key.type === "ctrl" && key.letter === "c");
    }
    const pick = (cursor: number) => {
      const next = { ...d, cursor };
      if (rows[cursor]!.other) setDraft({ ...next, typing: "" });
      else commit(next, "");
    };
    if (key.type === "key") {
      if (key.name === "up") setDraft({ ...d, cursor: (d.cursor + rows.length - 1) % rows.length });
      else if (key.name === "down") setDraft({ ...d, cursor: (d.cursor + 1) % rows.length });
      else if (key.name === "enter") pick(d.cursor);
      else if (key.name === "tab") setDraft({ ...d, typing: "" });
      else if (key.name === "escape") onCancel();
      return true;
    }
    if (key.type === "text") {
      if (/^[1-9]$/.test(key.text) && rows[Number(key.text) - 1]) pick(Number(key.text) - 1);
      // Typing goes straight into notes on the highlighted row.
      else setDraft({ ...d, typing: key.text });
      return true;
    }
    if (key.type === "paste") {
      setDraft({ ...d, typing: key.text });
      return true;
    }
    // Ctrl+C falls through to the app (which interrupts); everything else is swallowed.
    return !(key.type === "ctrl" && key.letter === "c");
  };
  useKeyHandler(handle, { priority: KEY_PRIORITY.approval });

  const q = questions[draft.question];
  if (!q) return null;
  const rows = questionRows(q);
  const typingOther = draft.typing !== null && rows[draft.cursor]?.other === true;
  const shown = draft.typing === null ? "" : q.isSecret ? "*".repeat(draft.typing.length) : draft.typing;
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={color("cyan")} paddingX={1}>
      <Text>
        <Text dimColor>{`Question ${draft.question + 1}/${questions.length} · `}</Text>
        <Text bold>{q.header}</Text>
      </Text>
      <Text bold>{q.question}</Text>
      <Box marginTop={1} flexDirection="column">
        {rows.map((r, i) => (
          <Text key={i} {...(i === draft.cursor ? { color: color("cyan"), bold: true } : {})}>
            {`${i === draft.cursor ? "›" : " "} ${i + 1}. ${r.label}  `}
            <Text dimColor>{r.description}</Text>
          </Text>
        ))}
      </Box>
      {draft.typing !== null ? (
        <Box marginTop={1} flexDirection="column">
          <Text dimColor>{typingOther ? "Your answer (Enter to send, Esc to go back):" : `Notes on "${rows[draft.cursor]!.label}" (Enter to send, Esc to go back):`}</Text>
          <Text>
            <Text color={color("cyan")}>{"› "}</Text>
            {shown}
            <Text inverse> </Text>
          </Text>
        </Box>
      ) : (
        <Box marginTop={1}>
          <Text dimColor>{"↑/↓ to choose · Enter to answer · Tab to add notes · Esc to stop the turn"}</Text>
        </Box>
      )}
      {queued > 0 ? <Text dimColor>{`${queued} more question${queued === 1 ? "" : "s"} waiting`}</Text> : null}
    </Box>
  );
}
