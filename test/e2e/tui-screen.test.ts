// The interactive TUI inside GNU screen (a detached session, read with hardcopy, typed into with stuff)
// against the fake Responses server: a typed prompt gets its streamed answer; resizing the terminal loses and
// duplicates no line; the session goes on afterwards.
import { afterEach, describe, expect, test } from "vitest";
import { CODEX_BIN, fakeProviderConfig, useFakeServerEnv, type TestEnv } from "../support/codex-env.js";
import { sse, stallAfter, type FakeServer } from "../support/fake-responses-server.js";
import { startScreen } from "../support/gnu-screen.js";
import { completed, created, textMessage } from "../support/sse.js";
import type { TerminalSession } from "../support/terminal-session.js";

let server: FakeServer;
let t: TestEnv;
useFakeServerEnv((s, e) => {
  server = s;
  t = e;
});
let term: TerminalSession | undefined;
afterEach(async () => {
  await term?.kill();
  term = undefined;
});

const count = (text: string, needle: string) => text.split("\n").filter((l) => l.includes(needle)).length;

describe("codex under GNU screen", () => {
  test("a typed prompt streams its answer; resizing narrower and wider loses and duplicates no line", async () => {
    const lines = Array.from({ length: 30 }, (_, i) => `Paragraph ${String(i + 1).padStart(2, "0")} of the answer.`);
    const text = lines.join("\n\n");
    server.enqueue(
      sse(created("r1"), textMessage(text, { chunks: lines.map((l, i) => (i === 0 ? l : `\n\n${l}`)) }), completed("r1")),
      sse(created("r2"), textMessage("Still here after the resizes."), completed("r2")),
    );
    t.writeConfig(fakeProviderConfig(server.url, `\n[projects."${t.repo}"]\ntrust_level = "trusted"\n`));
    term = await startScreen({
      width: 80,
      height: 24,
      command: [process.execPath, CODEX_BIN],
      env: { ...t.env, TERM: "screen-256color" },
      cwd: t.repo,
    });
    const s = term;
    await s.waitFor("Ask Codex to do anything");
    await s.type("stream in screen");
    await s.keys("Enter");
    await s.waitFor((screen) => screen.includes("Paragraph 30") && !screen.includes("Working"));
    expect(server.requests[0]!.lastUserText()).toBe("stream in screen");

    await s.resize(50, 20);
    await s.waitFor((screen) => screen.includes("Ask Codex") && screen.split("\n").every((l) => [...l].length <= 50));
    await s.resize(100, 30);
    await s.waitFor((screen) => screen.includes("Ask Codex") && screen.split("\n").length >= 30);

    await s.type("again");
    await s.keys("Enter");
    await s.waitFor((screen) => screen.includes("Still here after the resizes.") && !screen.includes("Working"));
    expect(server.requests[1]!.lastUserText()).toBe("again");

    const transcript = await s.transcript();
    for (const l of lines) expect({ l, count: count(transcript, l) }).toEqual({ l, count: 1 });
    // (hardcopy keeps only ASCII intact: the prompt's "› " is not matched.)
    expect(count(transcript, "stream in screen")).toBe(1);
    expect(count(transcript, "again")).toBe(1);
    expect(count(transcript, "Still here after the resizes.")).toBe(1);

    await s.keys("C-c");
    await s.waitFor("Press Ctrl+C again to quit");
    await s.keys("C-c");
    expect(await s.waitForExit()).toBe(0);
  });

  test("resizing while an answer streams loses and duplicates no line", async () => {
    const lines = Array.from({ length: 30 }, (_, i) => `Streamed ${String(i + 1).padStart(2, "0")} of the answer.`);
    const partial = textMessage(lines.join("\n\n"), { chunks: lines.map((l, i) => (i === 0 ? l : `\n\n${l}`)) }).slice(0, -1);
    server.enqueue(stallAfter(created("r1"), partial));
    t.writeConfig(fakeProviderConfig(server.url, `\n[projects."${t.repo}"]\ntrust_level = "trusted"\n`));
    term = await startScreen({ width: 80, height: 20, command: [process.execPath, CODEX_BIN, "stream please"], env: { ...t.env, TERM: "screen-256color" }, cwd: t.repo });
    const s = term;
    // Line 29 is committed once line 30 started; 30 is still streaming (the server went quiet).
    await s.waitFor("Streamed 30", { transcript: true });
    await s.resize(50, 20);
    await s.waitFor((screen) => screen.includes("Working") && screen.split("\n").every((l) => [...l].length <= 50));
    await s.resize(100, 30);
    await s.waitFor((screen) => screen.includes("Working") && screen.includes("Ask Codex") && screen.split("\n").length >= 30);
    await s.keys("Escape");
    await s.waitFor("Conversation interrupted");
    const transcript = await s.transcript();
    for (const l of lines) expect({ l, count: count(transcript, l.slice(0, 11)) }).toEqual({ l, count: 1 });
  });
});
