import { createElement as h } from "react";
import { afterEach, expect, test } from "vitest";
import type { ResolvedConfig } from "../../core/index.js";
import type { EventMsg } from "../../protocol/events.js";
import { createTuiController } from "../session/controller.js";
import { createTuiStore } from "../state/store.js";
import { initialState } from "../state/types.js";
import { renderInTerminal, scriptedThread, type FakeTerminal } from "../testing-harness.js";
import { App } from "./app.js";
import { ThemeContext, type Theme } from "./theme.js";

// Cells written to the terminal's scrollback leave the view state: a long session keeps counts, not cells.

const session: EventMsg = {
  type: "session_configured",
  threadId: "0199aaaa-bbbb-7ccc-8ddd-eeeeffff0000",
  model: "gpt-5.5",
  modelProvider: "openai",
  cwd: "/repo",
  approvalPolicy: "on-request",
  sandboxPolicy: { mode: "read-only", networkAccess: false },
  reasoningEffort: null,
  reasoningSummary: "auto",
  rolloutPath: null,
};

let term: FakeTerminal | undefined;
afterEach(() => {
  term?.unmount();
  term = undefined;
});

test("after many turns the state holds no written cells, and every cell reached the scrollback exactly once", async () => {
  const thread = scriptedThread();
  const store = createTuiStore(initialState({ version: "1" }));
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
  thread.emit(session);
  await term.waitForText("gpt-5.5");
  const TURNS = 100;
  let most = 0;
  for (let i = 1; i <= TURNS; i++) {
    thread.emit({ type: "task_started", turnId: `t${i}` });
    thread.emit({ type: "user_message", message: `question ${i}`, images: [] });
    // Two blocks: the first is committed while the second streams.
    thread.emit({ type: "agent_message_delta", delta: `first block of answer ${i}.\n\n` });
    thread.emit({ type: "agent_message_delta", delta: `answer ${i} ends here.` });
    thread.emit({ type: "agent_message", message: "" });
    thread.emit({ type: "task_complete", turnId: `t${i}`, lastAgentMessage: null });
    if (i % 10 === 0) {
      await term.waitForText(`answer ${i} ends here.`);
      most = Math.max(most, store.getState().history.length);
    }
  }
  await term.waitForText(`answer ${TURNS} ends here.`);
  const state = store.getState();
  // Nothing written stays in the state: at most the cells of the batch being printed.
  expect(state.history).toEqual([]);
  expect(most).toBeLessThan(20);
  expect(state.live).toEqual([]);
  // session + per turn: the question and the answer's two blocks.
  expect(state.scrollback.cells).toBe(1 + TURNS * 3);
  expect(state.scrollback.userMessages).toBe(TURNS);
  // The terminal got each cell once, in order.
  const out = term.text();
  for (const i of [1, 2, 77, TURNS]) {
    expect(out.split(`› question ${i}\n`).length - 1).toBe(1);
    expect(out.split(`answer ${i} ends here.`).length - 1).toBe(1);
  }
  const order = Array.from({ length: TURNS }, (_, k) => out.indexOf(`first block of answer ${k + 1}.`));
  expect(order.every((at, k) => at > 0 && (k === 0 || at > order[k - 1]!))).toBe(true);
});
