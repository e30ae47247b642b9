// The TUI goes away while it asks for an approval (its terminal is closed: tmux kill-server, SIGHUP): `codex resume ID` opens the session
// and asks again at once, for the same command; approved, it runs and the model goes on from its output.
import { existsSync } from "node:fs";
import path from "node:path";
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

// Policies in config.toml: `codex resume` does not take the root's -a/-s (yet), nor -a after it.
const codex = (args: string[]) => tui.codex(args);

const idle = (screen: string) => screen.includes("Ask Codex") && !screen.includes("Working");

test("killed while asking: codex resume asks again for the same command; approved, it runs", async () => {
  t.writeConfig(
    `approval_policy = "untrusted"\nsandbox_mode = "danger-full-access"\n` +
      tui.trustedConfig(),
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
  const [id] = tui.sessionIds();
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
