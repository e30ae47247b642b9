// The TUI goes away while the model's question is open (its terminal is closed: tmux kill-server, SIGHUP):
// `codex resume ID` opens the session and shows the same question again at once; answered, the model reads
// the answer as the call's output and goes on. Esc on the question is the person's answer (stop): not asked again.
import { expect, test } from "vitest";
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

const codex = (args: string[]) => tui.codex(args);

const idle = (screen: string) => screen.includes("Ask Codex") && !screen.includes("Working");

const QUESTIONS = {
  questions: [{ id: "db", header: "Database", question: "Which database should I use?", options: [{ label: "Postgres (Recommended)", description: "robust" }, { label: "SQLite", description: "simple" }] }],
};

test("killed while asking: codex resume shows the same question again; answered, the model goes on", async () => {
  t.writeConfig(tui.trustedConfig(`[features]\ndefault_mode_request_user_input = true`));
  server.enqueue(
    sse(created("r1"), functionCall("call_q", "request_user_input", QUESTIONS), completed("r1")),
    sse(created("r2"), textMessage("Going with SQLite."), completed("r2")),
  );
  tmux = await codex(["set up storage"]);
  await tmux.waitFor("Which database should I use?");
  await tmux.kill();
  tmux = undefined;
  const [id] = tui.sessionIds();
  expect(id).toBeDefined();

  tmux = await codex(["resume", id!]);
  const ask = await tmux.waitFor((screen) => screen.includes("Which database should I use?") && screen.includes("2. SQLite"));
  expect(ask).toContain("Question 1/1");
  expect(server.requests).toHaveLength(1);
  await tmux.keys("Down");
  await tmux.waitFor("› 2. SQLite");
  await tmux.keys("Enter");
  const done = await tmux.waitFor((screen) => screen.includes("Going with SQLite.") && idle(screen));
  expect(done).toMatch(/answer: SQLite/);
  expect(server.requests).toHaveLength(2);
  expect(JSON.parse(server.requests[1]!.functionCallOutput("call_q").output)).toEqual({ answers: { db: { answers: ["SQLite"] } } });
});

test("Esc on the question stops the turn as an answer: the next prompt goes to the model without asking again", async () => {
  t.writeConfig(tui.trustedConfig(`[features]\ndefault_mode_request_user_input = true`));
  server.enqueue(
    sse(created("r1"), functionCall("call_q", "request_user_input", QUESTIONS), completed("r1")),
    sse(created("r2"), textMessage("Then no database."), completed("r2")),
  );
  tmux = await codex(["set up storage"]);
  await tmux.waitFor("Which database should I use?");
  await tmux.keys("Escape");
  await tmux.waitFor((screen) => !screen.includes("Esc to stop the turn") && idle(screen));
  await tmux.type("skip it");
  await tmux.keys("Enter");
  const done = await tmux.waitFor((screen) => screen.includes("Then no database.") && idle(screen));
  expect(done).not.toContain("Esc to stop the turn");
  expect(server.requests).toHaveLength(2);
  expect(String(server.requests[1]!.functionCallOutput("call_q").output)).toMatch(/aborted/);
});
