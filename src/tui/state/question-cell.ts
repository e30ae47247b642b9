import type { UserInputResponse } from "../../protocol/user-input.js";
import type { NewCell, UserInputPrompt } from "./types.js";

/**
 * The history cell a question round leaves once answered (or cut off by the turn's end), as the reference's
 * TUI keeps one in the scrollback: each question with its answers; a note as `note`, a secret answer masked.
 */
export function questionsCell(prompt: UserInputPrompt, response: UserInputResponse | null): NewCell {
  return {
    kind: "questions",
    interrupted: response === null,
    items: prompt.questions.map((q) => {
      const given = response?.answers[q.id]?.answers ?? [];
      return {
        question: q.question,
        answers: given.map((a) => {
          const note = a.startsWith("user_note: ");
          const text = note ? a.slice("user_note: ".length) : a;
          return { text: q.isSecret && note ? "•".repeat(Math.min(text.length, 8)) : text, note };
        }),
      };
    }),
  };
}
