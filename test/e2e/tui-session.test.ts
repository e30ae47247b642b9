// The interactive TUI in a real terminal (tmux) against the fake Responses server: start, streamed answers,
// follow-ups, quitting, a 5,000-line paste, resizing while an answer streams.
import { existsSync } from "node:fs";
import { afterEach, describe, expect, test } from "vitest";
import { CODEX_BIN, fakeProviderConfig, runCodex, useFakeServerEnv, type TestEnv } from "../support/codex-env.js";
import { sse, stallAfter, type FakeServer } from "../support/fake-responses-server.js";
import { completed, created, textMessage } from "../support/sse.js";
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

/** Starts `codex ARGS` in an 80×24 tmux pane (the repo marked trusted, so no trust prompt is asked). */
async function open(args: string[], o: { width?: number; height?: number; extraConfig?: string; env?: Record<string, string> } = {}) {
  t.writeConfig(fakeProviderConfig(server.url, `${o.extraConfig ?? ""}\n[projects."${t.repo}"]\ntrust_level = "trusted"\n`));
  tmux = await startTmux({
    width: o.width ?? 80,
    height: o.height ?? 24,
    command: [process.execPath, CODEX_BIN, ...args],
    env: { ...t.env, TERM: "xterm-256color", ...o.env },
    cwd: t.repo,
  });
  return tmux;
}

describe("codex (interactive)", () => {
  test("without a terminal it refuses and points at codex exec, writing nothing", async () => {
    const r = await runCodex(["hello"], { env: t.env, cwd: t.repo });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("needs a terminal");
    expect(r.stderr).toContain("codex exec");
    expect(r.stdout).toBe("");
    expect(server.requests).toHaveLength(0);
  });

  test("a bad -c override fails before anything is drawn; a missing API key takes the first frame away again", async () => {
    const bad = await open(["-c", "model_reasoning_effort=[nonsense"]);
    expect(await bad.waitForExit()).toBe(1);
    const badScreen = await bad.transcript();
    expect(badScreen).toMatch(/Error: .*model_reasoning_effort|Error: .*-c/);
    expect(badScreen).not.toContain("Ask Codex");
    await bad.kill();
    const { CODEX_API_KEY: _key, ...withoutKey } = t.env;
    tmux = await startTmux({ width: 80, height: 24, command: [process.execPath, CODEX_BIN], env: { ...withoutKey, TERM: "xterm-256color" }, cwd: t.repo });
    expect(await tmux.waitForExit()).toBe(1);
    const screen = await tmux.transcript();
    expect(screen).toContain("CODEX_API_KEY");
    expect(screen).not.toContain("Ask Codex");
    expect(server.requests).toHaveLength(0);
  });

  test("the prompt argument gets a streamed answer; a follow-up from the composer; Ctrl+C twice quits", async () => {
    server.enqueue(
      sse(created("r1"), textMessage("Hello **there**.\n\n- alpha\n- beta\n", { chunks: ["Hello **th", "ere**.\n\n- al", "pha\n- beta\n"] }), completed("r1")),
      sse(created("r2"), textMessage("Second answer."), completed("r2")),
    );
    const s = await open(["-m", "gpt-5.5", "say hello"]);
    await s.waitFor("- beta");
    const first = await s.waitFor((screen) => screen.includes("gpt-5.5") && !screen.includes("Working"));
    expect(first).toContain("› say hello");
    expect(first).toContain("• Hello there.");
    expect(first).toContain("- alpha");
    expect(server.requests[0]!.lastUserText()).toBe("say hello");

    await s.type("and again");
    await s.keys("Enter");
    await s.waitFor((screen) => screen.includes("Second answer.") && !screen.includes("Working"));
    expect(server.requests[1]!.lastUserText()).toBe("and again");

    await s.keys("C-c");
    await s.waitFor("Press Ctrl+C again to quit");
    await s.keys("C-c");
    expect(await s.waitForExit()).toBe(0);
    const transcript = await s.transcript();
    expect(transcript).toMatch(/To continue this session, run codex resume [0-9a-f-]{36}/);
    // Every line of the answers is in the scrollback exactly once.
    for (const line of ["• Hello there.", "- alpha", "- beta", "Second answer."]) {
      expect(transcript.split("\n").filter((l) => l.includes(line))).toHaveLength(1);
    }
  });

  test("a 5,000-line paste shows as a placeholder and is sent whole", async () => {
    server.enqueue(sse(created("r1"), textMessage("Got it."), completed("r1")));
    const s = await open([]);
    await s.waitFor("Ask Codex to do anything");
    const pasted = Array.from({ length: 5000 }, (_, i) => `pasted line ${i + 1}`).join("\n");
    await s.paste(pasted);
    await s.waitFor("[Pasted 5000 lines]");
    await s.type(" summarise");
    await s.keys("Enter");
    await s.waitFor("Got it.");
    expect(server.requests[0]!.lastUserText()).toBe(`${pasted} summarise`);
  });

  test("resizing while an answer streams loses and duplicates no line", async () => {
    const lines = Array.from({ length: 30 }, (_, i) => `Paragraph ${String(i + 1).padStart(2, "0")} of the streamed answer.`);
    const text = lines.join("\n\n");
    const partial = textMessage(text, { chunks: lines.map((l, i) => (i === 0 ? l : `\n\n${l}`)) }).slice(0, -1);
    server.enqueue(stallAfter(created("r1"), partial));
    const s = await open(["stream please"], { extraConfig: "", height: 20 });
    // Paragraph 29 is committed once paragraph 30 started; 30 is still streaming (the server went quiet).
    await s.waitFor("Paragraph 30", { transcript: true });
    await s.resize(50, 20);
    await s.waitFor((screen) => screen.split("\n").every((l) => [...l].length <= 50) && screen.includes("Working"));
    await s.resize(100, 30);
    await s.waitFor((screen) => screen.includes("Working") && screen.includes("Ask Codex"));
    await s.keys("Escape");
    await s.waitFor("Conversation interrupted");
    const transcript = await s.transcript();
    for (const l of lines) expect({ l, count: transcript.split("\n").filter((x) => x.includes(l.slice(0, 12))).length }).toEqual({ l, count: 1 });
  });

  test("-i attaches an image to the first message", async () => {
    server.enqueue(sse(created("r1"), textMessage("A red square."), completed("r1")));
    const png = `${t.repo}/red.png`;
    // A 1×1 PNG.
    const { writeFileSync } = await import("node:fs");
    writeFileSync(png, Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==", "base64"));
    expect(existsSync(png)).toBe(true);
    const s = await open(["what is this?", "-i", "red.png"]);
    await s.waitFor("A red square.");
    const content = server.requests[0]!.input.filter((i: { role?: string }) => i.role === "user").at(-1).content;
    expect(content.some((c: { type: string; image_url?: string }) => c.type === "input_image" && c.image_url?.startsWith("data:image/png;base64,"))).toBe(true);
  });
});
