// The composer across sessions in a real terminal (tmux) against the fake Responses server: a prompt sent in one
// session comes back with Up in the next (history.jsonl), and an `@` mention completes the token under the cursor.
import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { CODEX_BIN, fakeProviderConfig, useFakeServerEnv, type TestEnv } from "../support/codex-env.js";
import { sse, type FakeServer } from "../support/fake-responses-server.js";
import { completed, created, textMessage } from "../support/sse.js";
import { pollScreen } from "../support/terminal-session.js";
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

async function open(o: { extraConfig?: string } = {}) {
  t.writeConfig(fakeProviderConfig(server.url, `${o.extraConfig ?? ""}\n[projects."${t.repo}"]\ntrust_level = "trusted"\n`));
  tmux = await startTmux({ width: 80, height: 24, command: [process.execPath, CODEX_BIN], env: { ...t.env, TERM: "xterm-256color" }, cwd: t.repo });
  await tmux.waitFor("Ask Codex to do anything");
  return tmux;
}

const composerLine = (screen: string) => screen.split("\n").find((l) => l.startsWith("› ")) ?? "";

async function quit(s: TmuxSession) {
  await s.keys("C-c");
  await s.waitFor("Press Ctrl+C again to quit");
  await s.keys("C-c");
  expect(await s.waitForExit()).toBe(0);
  await s.kill();
  tmux = undefined;
}

describe("composer history (history.jsonl)", () => {
  test("a prompt typed in one session comes back with Up in the next", async () => {
    server.enqueue(sse(created("r1"), textMessage("First answer."), completed("r1")));
    const first = await open();
    await first.type("remember this prompt");
    await first.keys("Enter");
    await first.waitFor((s) => s.includes("First answer.") && !s.includes("Working"));
    await quit(first);

    const file = path.join(t.codexHome, "history.jsonl");
    const lines = readFileSync(file, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(lines).toEqual([{ session_id: expect.stringMatching(/^[0-9a-f-]{36}$/), ts: expect.any(Number), text: "remember this prompt" }]);
    expect(statSync(file).mode & 0o777).toBe(0o600);

    const second = await open();
    await second.keys("Up");
    await second.waitFor((s) => composerLine(s) === "› remember this prompt");
    await second.keys("Down");
    await second.waitFor((s) => composerLine(s).includes("Ask Codex to do anything"));
  });

  test('with persistence = "none" nothing is written', async () => {
    server.enqueue(sse(created("r1"), textMessage("Not kept."), completed("r1")));
    const s = await open({ extraConfig: '[history]\npersistence = "none"\n' });
    await s.type("do not keep me");
    await s.keys("Enter");
    await s.waitFor((screen) => screen.includes("Not kept.") && !screen.includes("Working"));
    await quit(s);
    expect(() => statSync(path.join(t.codexHome, "history.jsonl"))).toThrow(/ENOENT/);
  });
});

describe("@ mention at the cursor", () => {
  test("moving back into an @token in the middle opens the popup; Tab replaces only that token", async () => {
    mkdirSync(path.join(t.repo, "src"), { recursive: true });
    writeFileSync(path.join(t.repo, "src", "main.ts"), "export {};\n");
    writeFileSync(path.join(t.repo, "notes.txt"), "n\n");
    server.enqueue(sse(created("r1"), textMessage("Looked."), completed("r1")));
    const s = await open();
    await s.type("open @mai please");
    await s.waitFor((screen) => composerLine(screen).startsWith("› open @mai please"));
    await s.keys(...Array<string>(7).fill("Left"));
    await s.waitFor("src/main.ts");
    await s.keys("Tab");
    await s.waitFor((screen) => composerLine(screen).startsWith("› open src/main.ts please"));
    await s.keys("Enter");
    await s.waitFor("Looked.");
    expect(server.requests[0]!.lastUserText()).toBe("open src/main.ts please");
  });
});

describe("light background", () => {
  test("a terminal that answers OSC 11 with white gets the light palette (the prompt marker in dark cyan, 256-colour 24)", async () => {
    t.writeConfig(fakeProviderConfig(server.url, `\n[projects."${t.repo}"]\ntrust_level = "trusted"\n`));
    const { NO_COLOR: _off, ...env } = t.env;
    // tmux answers a pane's OSC 11 query with the window style's background.
    tmux = await startTmux({
      width: 80,
      height: 24,
      command: [process.execPath, CODEX_BIN],
      env: { ...env, TERM: "xterm-256color" },
      cwd: t.repo,
      conf: ['set -g window-style "bg=#ffffff"'],
    });
    const s = tmux;
    await s.waitFor("Ask Codex to do anything");
    // (capture-pane -e may put other attributes between the colour and the character.)
    const lightMarker = /\x1b\[38;5;24m(?:\x1b\[[0-9;]*m)*›/;
    await pollScreen(() => s.screenWithEscapes(), lightMarker, { timeoutMs: 10_000 });
    // Nothing of the reply was typed into the composer.
    expect(await s.screen()).not.toContain("rgb:");
  });

  test("without an answer (no window style) it stays on the dark palette", async () => {
    t.writeConfig(fakeProviderConfig(server.url, `\n[projects."${t.repo}"]\ntrust_level = "trusted"\n`));
    const { NO_COLOR: _off, ...env } = t.env;
    tmux = await startTmux({ width: 80, height: 24, command: [process.execPath, CODEX_BIN], env: { ...env, TERM: "xterm-256color" }, cwd: t.repo });
    await tmux.waitFor("Ask Codex to do anything");
    const escaped = await tmux.screenWithEscapes();
    expect(escaped).toMatch(/\x1b\[36m(?:\x1b\[[0-9;]*m)*›/);
    expect(escaped).not.toContain("38;5;24m");
  });
});
