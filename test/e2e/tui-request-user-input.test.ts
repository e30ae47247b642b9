// The model's questions (request_user_input) in the TUI, in a real terminal (tmux) against the fake
// Responses server, with features.default_mode_request_user_input on: the overlay lists the question and its
// options, the person picks one with the arrow keys and Enter (or types a free-form answer), and the model
// receives the answers as the call's output.
import { describe, expect, test } from "vitest";
import type { TestEnv } from "../support/codex-env.js";
import { sse, type FakeServer } from "../support/fake-responses-server.js";
import { completed, created, functionCall, textMessage } from "../support/sse.js";
import type { TmuxSession } from "../support/tmux.js";
import { useTuiE2E } from "../support/tui-e2e.js";

let server: FakeServer;
let t: TestEnv;
const tui = useTuiE2E((s, e) => {
  server = s;
  t = e;
});
let tmux: TmuxSession | undefined;

async function open(prompt: string) {
  t.writeConfig(tui.trustedConfig(`[features]\ndefault_mode_request_user_input = true`));
  tmux = await tui.codex([prompt]);
  return tmux;
}

const idle = (screen: string) => screen.includes("Ask Codex") && !screen.includes("Working");

const QUESTIONS = {
  questions: [
    { id: "db", header: "Database", question: "Which database should I use?", options: [{ label: "Postgres (Recommended)", description: "robust" }, { label: "SQLite", description: "simple" }] },
    { id: "name", header: "Name", question: "What should the table be called?", options: [{ label: "users", description: "plural" }, { label: "user", description: "singular" }] },
  ],
};

describe("request_user_input in the TUI", () => {
  test("choose an option with the arrow keys, type a free-form answer: the model receives both", async () => {
    server.enqueue(
      sse(created("r1"), textMessage("Two choices first."), functionCall("call_q", "request_user_input", QUESTIONS), completed("r1")),
      sse(created("r2"), textMessage("Going with SQLite."), completed("r2")),
    );
    const s = await open("set up storage");
    const ask = await s.waitFor("Which database should I use?");
    expect(ask).toContain("Question 1/2");
    expect(ask).toMatch(/› 1\. Postgres \(Recommended\)\s+robust/);
    expect(ask).toContain("2. SQLite");
    expect(ask).toContain("3. None of the above");
    await s.keys("Down");
    await s.waitFor("› 2. SQLite");
    await s.keys("Enter");
    await s.waitFor("What should the table be called?");
    await s.keys("Up");
    await s.waitFor("› 3. None of the above");
    await s.keys("Enter");
    await s.waitFor("Your answer");
    await s.type("accounts");
    await s.waitFor("› accounts");
    await s.keys("Enter");
    const done = await s.waitFor((screen) => screen.includes("Going with SQLite.") && idle(screen));
    // The round stays in the scrollback with its answers.
    expect(done).toContain("Questions 2/2 answered");
    expect(done).toMatch(/answer: SQLite/);
    expect(done).toMatch(/note: accounts/);
    expect(JSON.parse(server.requests[1]!.functionCallOutput("call_q").output)).toEqual({
      answers: { db: { answers: ["SQLite"] }, name: { answers: ["None of the above", "user_note: accounts"] } },
    });
  });
});
