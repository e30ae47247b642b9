import { createElement as h } from "react";
import { afterEach, describe, expect, test } from "vitest";
import type { ResolvedConfig } from "../../core/index.js";
import type { EventMsg } from "../../protocol/events.js";
import type { UserInputQuestion } from "../../protocol/user-input.js";
import { createTuiController } from "../session/controller.js";
import { createTuiStore } from "../state/store.js";
import { initialState } from "../state/types.js";
import { renderInTerminal, scriptedThread, type FakeTerminal } from "../testing-harness.js";
import { App } from "./app.js";
import { ThemeContext, type Theme } from "./theme.js";
import { answerFor, questionRows } from "./user-input-overlay.js";

let term: FakeTerminal | undefined;
afterEach(() => {
  term?.unmount();
  term = undefined;
});

const color: UserInputQuestion = {
  id: "color",
  header: "Color",
  question: "Which color?",
  isOther: true,
  isSecret: false,
  options: [{ label: "Red (Recommended)", description: "warm" }, { label: "Blue", description: "cool" }],
};
const size: UserInputQuestion = { ...color, id: "size", header: "Size", question: "Which size?", options: [{ label: "S", description: "small" }, { label: "L", description: "large" }] };

function setup() {
  const thread = scriptedThread();
  const store = createTuiStore(initialState({ version: "1.2.3" }));
  const controller = createTuiController({ store, thread });
  const theme: Theme = { color: false, light: false, highlight: null };
  term = renderInTerminal(
    h(
      ThemeContext.Provider,
      { value: theme },
      h(App, {
        controller,
        cwd: "/repo",
        context: { config: () => ({ cwd: "/repo" }) as ResolvedConfig, runtime: () => ({ threads: {} as never, warnings: [], flushLogs: () => {}, dispose: async () => {} }), exit: () => {} },
      }),
    ),
    { columns: 100 },
  );
  const ask = (questions: UserInputQuestion[], callId = "call_q") => {
    thread.emit({ type: "task_started", turnId: "t1" });
    thread.emit({ type: "request_user_input", callId, turnId: "t1", questions, isBlocking: false } satisfies EventMsg);
  };
  return { thread, store, term, ask };
}

describe("request_user_input overlay", () => {
  test("rows: the options, then the free-form row; answers as the reference's TUI sends them", () => {
    expect(questionRows(color).map((r) => r.label)).toEqual(["Red (Recommended)", "Blue", "None of the above"]);
    const rows = questionRows(color);
    expect(answerFor(color, rows[1]!, "")).toEqual(["Blue"]);
    expect(answerFor(color, rows[1]!, " darker ")).toEqual(["Blue", "user_note: darker"]);
    expect(answerFor(color, rows[2]!, "green")).toEqual(["None of the above", "user_note: green"]);
    const open: UserInputQuestion = { ...color, options: null };
    expect(answerFor(open, questionRows(open)[0]!, "anything")).toEqual(["user_note: anything"]);
  });

  test("arrow keys and Enter answer each question; the answers go back together after the last", async () => {
    const { thread, term, ask } = setup();
    ask([color, size]);
    let text = await term.waitForText("Which color?");
    expect(text).toContain("Question 1/2 · Color");
    expect(text).toMatch(/› 1\. Red \(Recommended\)\s+warm/);
    expect(text).toContain("3. None of the above");
    term.type("\x1b[B"); // down to Blue
    await term.waitForText("› 2. Blue");
    term.type("\r");
    text = await term.waitForText("Which size?");
    expect(text).toContain("Question 2/2 · Size");
    // Free-form: the last row, then the text.
    term.type("3");
    await term.waitForText("Your answer");
    term.type("extra large");
    await term.waitForText("extra large");
    term.type("\r");
    const op = await thread.waitForOp((o) => o.type === "user_input_answer");
    expect(op).toEqual({
      type: "user_input_answer",
      callId: "call_q",
      response: { answers: { color: { answers: ["Blue"] }, size: { answers: ["None of the above", "user_note: extra large"] } } },
    });
    await term.waitForText((f) => !f.includes("Question 2/2"));
    // The round stays in the scrollback with its answers.
    const out = await term.waitForText((f) => f.includes("Questions 2/2 answered"), { all: true });
    expect(out).toMatch(/• Which color\?\s+answer: Blue/);
    expect(out).toMatch(/• Which size\?\s+answer: None of the above\s+note: extra large/);
  });

  test("Tab adds notes to the highlighted option; a secret answer is masked", async () => {
    const { thread, term, ask } = setup();
    ask([{ ...color, isSecret: true }]);
    await term.waitForText("Which color?");
    term.type("\t");
    await term.waitForText('Notes on "Red (Recommended)"');
    term.type("hunter2");
    const frame = await term.waitForText("*******");
    expect(frame).not.toContain("hunter2");
    term.type("\r");
    const op = await thread.waitForOp((o) => o.type === "user_input_answer");
    expect(op).toMatchObject({ response: { answers: { color: { answers: ["Red (Recommended)", "user_note: hunter2"] } } } });
    const out = await term.waitForText((f) => f.includes("Questions 1/1 answered"), { all: true });
    expect(out).toMatch(/answer: Red \(Recommended\)\s+note: •+/);
    expect(out).not.toContain("hunter2");
  });

  test("a question without options is answered by typing straight away", async () => {
    const { thread, term, ask } = setup();
    ask([{ ...color, options: null }]);
    await term.waitForText("Your answer");
    term.type("teal");
    await term.waitForText("› teal");
    term.type("\r");
    const op = await thread.waitForOp((o) => o.type === "user_input_answer");
    expect(op).toMatchObject({ response: { answers: { color: { answers: ["user_note: teal"] } } } });
  });

  test("Esc stops the turn (the question's cancel: not asked again); the overlay goes when the turn ends", async () => {
    const { thread, term, ask } = setup();
    ask([color]);
    await term.waitForText("Which color?");
    term.type("\x1b");
    expect(await thread.waitForOp((o) => o.type === "user_input_cancel")).toEqual({ type: "user_input_cancel", callId: "call_q" });
    expect(thread.ops.some((o) => o.type === "user_input_answer")).toBe(false);
    thread.emit({ type: "turn_aborted", turnId: "t1", reason: "interrupted" });
    const out = await term.waitForText((f) => f.includes("Questions 0/1 answered (interrupted)"), { all: true });
    expect(out).toContain("Which color? (unanswered)");
  });
});
