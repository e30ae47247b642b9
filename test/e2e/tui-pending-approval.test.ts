// The TUI goes away while it asks for an approval (its terminal is closed: tmux kill-server, SIGHUP): `codex resume ID` opens the session
// and asks again at once, for the same command; approved, it runs and the model goes on from its output.
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { afterEach, expect, test } from "vitest";
import { CODEX_BIN, fakeProviderConfig, useFakeServerEnv, type TestEnv } from "../support/codex-env.js";
import { sse, type FakeServer } from "../support/fake-responses-server.js";
import { completed, created, functionCall, textMessage } from "../support/sse.js";
import { startTmux, type TmuxSession } from "../support/tmux.js";

let server: FakeServer;
let t: TestEnv;
useFakeServerEnv((s, e) => {
  server = s;
  t = e;
});
let tmux: TmuxSession | undefined;
afterEach(async () => {
  await tmux?.kill();
  tmux = undefined;
});

// Policies in config.toml: `codex resume` does not take the root's -a/-s (yet), nor -a after it.
const codex = (args: string[]) =>
  startTmux({
    width: 100,
    height: 30,
    command: [process.execPath, CODEX_BIN, ...args],
    env: { ...t.env, TERM: "xterm-256color" },
    cwd: t.repo,
  });

/** The ids of the sessions under $CODEX_HOME/sessions (from the rollout file names). */
function sessionIds(): string[] {
  const root = path.join(t.codexHome, "sessions");
  const files = existsSync(root) ? (readdirSync(root, { recursive: true }) as string[]) : [];
  return files.flatMap((f) => /rollout-.*-([0-9a-f-]{36})\.jsonl$/.exec(f)?.[1] ?? []);
}

const idle = (screen: string) => screen.includes("Ask Codex") && !screen.includes("Working");

test("killed while asking: codex resume asks again for the same command; approved, it runs", async () => {
  t.writeConfig(
    `approval_policy = "untrusted"\nsandbox_mode = "danger-full-access"\n` +
      fakeProviderConfig(server.url, `[projects."${t.repo}"]\ntrust_level = "trusted"\n`),
  );
  server.enqueue(
    sse(created("r1"), functionCall("c1", "exec_command", { cmd: "touch made.txt && echo RESUMED-OUTPUT" }), completed("r1")),
    sse(created("r2"), textMessage("Made it after all."), completed("r2")),
  );
  tmux = await codex(["make the file"]);
  await tmux.waitFor("Would you like to run the following command?");
  await tmux.kill();
  tmux = undefined;
  expect(existsSync(path.join(t.repo, "made.txt"))).toBe(false);
  const [id] = sessionIds();
  expect(id).toBeDefined();

  tmux = await codex(["resume", id!]);
  const ask = await tmux.waitFor("Would you like to run the following command?");
  expect(ask).toContain("$ touch made.txt && echo RESUMED-OUTPUT");
  await tmux.keys("y");
  const done = await tmux.waitFor((screen) => screen.includes("Made it after all.") && idle(screen));
  expect(done).toContain("RESUMED-OUTPUT");
  expect(existsSync(path.join(t.repo, "made.txt"))).toBe(true);
  expect(server.requests).toHaveLength(2);
  expect(server.requests[1]!.functionCallOutput("c1").output).toContain("RESUMED-OUTPUT");
});
