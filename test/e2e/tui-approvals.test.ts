// Approvals and interrupts in the TUI, in a real terminal (tmux) against the fake Responses server.
import { existsSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, test } from "vitest";
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

/** `codex -a untrusted -s danger-full-access PROMPT`: commands that are not known-safe ask first. */
async function open(prompt: string, o: { approval?: string } = {}) {
  t.writeConfig(fakeProviderConfig(server.url, `[projects."${t.repo}"]\ntrust_level = "trusted"\n`));
  tmux = await startTmux({
    width: 100,
    height: 30,
    command: [process.execPath, CODEX_BIN, "-a", o.approval ?? "untrusted", "-s", "danger-full-access", prompt],
    env: { ...t.env, TERM: "xterm-256color" },
    cwd: t.repo,
  });
  return tmux;
}

const idle = (screen: string) => screen.includes("Ask Codex") && !screen.includes("Working");

describe("approvals in the TUI", () => {
  test("approve a command once: it runs and its output shows", async () => {
    server.enqueue(
      sse(created("r1"), functionCall("c1", "exec_command", { cmd: "touch made.txt && echo APPROVED-OUTPUT" }), completed("r1")),
      sse(created("r2"), textMessage("Made it."), completed("r2")),
    );
    const s = await open("make the file");
    const ask = await s.waitFor("Would you like to run the following command?");
    expect(ask).toContain("$ touch made.txt && echo APPROVED-OUTPUT");
    expect(ask).toContain("Yes, proceed (y)");
    expect(existsSync(path.join(t.repo, "made.txt"))).toBe(false);
    await s.keys("y");
    const done = await s.waitFor((screen) => screen.includes("Made it.") && idle(screen));
    expect(done).toContain("APPROVED-OUTPUT");
    expect(done).toMatch(/✓ exit 0/);
    expect(existsSync(path.join(t.repo, "made.txt"))).toBe(true);
    expect(server.requests[1]!.functionCallOutput("c1").output).toContain("APPROVED-OUTPUT");
  });

  test("deny with feedback: the model reads the refusal, then the person's words", async () => {
    server.enqueue(
      sse(created("r1"), functionCall("c1", "exec_command", { cmd: "rm -rf important" }), completed("r1")),
      sse(created("r2"), textMessage("Understood, not deleting."), completed("r2")),
      sse(created("r3"), textMessage("Will move it instead."), completed("r3")),
    );
    const s = await open("clean up");
    await s.waitFor("$ rm -rf important");
    await s.keys("n");
    await s.waitFor("Tell Codex what to do differently");
    await s.type("move it to /tmp instead");
    await s.keys("Enter");
    await s.waitFor((screen) => screen.includes("Will move it instead.") && idle(screen));
    const refusal = server.requests[1]!.functionCallOutput("c1");
    expect(String(refusal.output)).toMatch(/rejected|denied|declined/i);
    expect(server.requests[2]!.lastUserText()).toBe("move it to /tmp instead");
  });

  test("Esc on the approval aborts the turn; nothing runs and nothing more is sent", async () => {
    server.enqueue(sse(created("r1"), functionCall("c1", "exec_command", { cmd: "touch never.txt" }), completed("r1")));
    const s = await open("do it");
    await s.waitFor("$ touch never.txt");
    await s.keys("Escape");
    const screen = await s.waitFor("Conversation interrupted");
    expect(screen).not.toContain("Would you like");
    await s.waitFor(idle);
    expect(existsSync(path.join(t.repo, "never.txt"))).toBe(false);
    expect(server.requests).toHaveLength(1);
  });

  test("Esc while a command runs interrupts it; a background terminal survives the interrupt", async () => {
    server.enqueue(
      // A server left running: the call returns after 300 ms with the session still alive.
      sse(created("r1"), functionCall("bg", "exec_command", { cmd: "sleep 120", yield_time_ms: 300 }), completed("r1")),
      sse(created("r2"), textMessage("Server started."), completed("r2")),
      sse(created("r3"), functionCall("fg", "exec_command", { cmd: "sleep 60 && echo NEVER-$((6*7))", yield_time_ms: 30000 }), completed("r3")),
    );
    const s = await open("start the server", { approval: "never" });
    await s.waitFor((screen) => screen.includes("Server started.") && idle(screen));
    await s.waitFor("1 background terminal");
    await s.type("now wait");
    await s.keys("Enter");
    await s.waitFor("Running sleep 60");
    await s.keys("Escape");
    const after = await s.waitFor((screen) => screen.includes("Conversation interrupted") && idle(screen));
    expect(after).not.toContain("NEVER-42");
    expect(after).toMatch(/Ran sleep 120\s+↳ still running in the background/);
    // The footer still counts the server, refreshed after the interrupted turn (the interrupted call's own
    // session lives on too, as core keeps unified-exec sessions across an interrupt).
    expect(await s.waitFor(/[12] background terminals?/)).toMatch(/[12] background terminals?/);
  });
});
