// tuicmds in a real terminal (tmux) against the fake Responses server: the slash popup's filtering, /model,
// /status, /diff, a custom prompt, `!cmd` and the `@` file mention.
import { existsSync, readdirSync, readFileSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { CODEX_BIN, fakeProviderConfig, useFakeServerEnv, type TestEnv } from "../support/codex-env.js";
import { sse, type FakeServer } from "../support/fake-responses-server.js";
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

async function open(args: string[] = [], o: { width?: number } = {}) {
  t.writeConfig(fakeProviderConfig(server.url, `\n[projects."${t.repo}"]\ntrust_level = "trusted"\n`));
  tmux = await startTmux({
    width: o.width ?? 100,
    height: 30,
    command: [process.execPath, CODEX_BIN, ...args],
    env: { ...t.env, TERM: "xterm-256color" },
    cwd: t.repo,
  });
  await tmux.waitFor("Ask Codex to do anything");
  // The first frame comes before the session: wait for its header (session_configured).
  await tmux.waitFor("directory:");
  return tmux;
}

const idle = (s: string) => !s.includes("Working");

describe("slash commands", () => {
  test("the popup filters by prefix; /model picks a model and effort that the next request uses", async () => {
    const s = await open();
    await s.type("/st");
    const popup = await s.waitFor((screen) => screen.includes("/status") && screen.includes("/stop"));
    expect(popup).toMatch(/› \/status\s+show current session configuration/);
    expect(popup).not.toContain("/model");
    await s.type("x");
    await s.waitFor("no matches");
    await s.keys("BSpace", "BSpace", "BSpace");
    await s.type("mo");
    await s.waitFor(/› \/model\s+choose what model/);
    await s.keys("Enter");
    await s.waitFor("Select Model and Effort");
    await s.keys("Down");
    await s.waitFor(/› 2\. GPT-5\.4/);
    await s.keys("Enter");
    await s.waitFor("Select Reasoning Level for GPT-5.4");
    // The default effort is highlighted first; one down is "high".
    await s.waitFor(/› 2\. medium \(default\)/);
    await s.keys("Down");
    await s.waitFor(/› 3\. high/);
    await s.keys("Enter");
    await s.waitFor("Model changed to gpt-5.4 high");
    const saved = readFileSync(path.join(t.codexHome, "config.toml"), "utf8");
    expect(saved).toContain(`model = "gpt-5.4"`);
    expect(saved).toContain(`model_reasoning_effort = "high"`);
    expect(saved).toContain("[model_providers.fake]");
    await s.waitFor(/gpt-5\.4 high/);

    server.enqueue(sse(created("r1"), textMessage("answered by the new model"), completed("r1")));
    await s.type("hello");
    await s.keys("Enter");
    await s.waitFor((screen) => screen.includes("answered by the new model") && idle(screen));
    expect(server.requests[0]!.body.model).toBe("gpt-5.4");
    expect(server.requests[0]!.body.reasoning).toMatchObject({ effort: "high" });
  });

  test("/status shows the session id, model, provider and sandbox", async () => {
    const s = await open();
    await s.type("/status");
    await s.keys("Enter");
    const screen = await s.waitFor(/Session:\s+[0-9a-f-]{36}/);
    const id = /Session:\s+([0-9a-f-]{36})/.exec(screen)![1]!;
    const files = readdirSync(path.join(t.codexHome, "sessions"), { recursive: true }).map(String);
    expect(files.some((f) => f.endsWith(`${id}.jsonl`))).toBe(true);
    expect(screen).toMatch(/Model:\s+gpt-5\.5/);
    expect(screen).toMatch(/Model provider:\s+fake/);
    expect(screen).toMatch(/Directory:\s+/);
    expect(screen).toMatch(/Sandbox:\s+\S+/);
    expect(screen).toMatch(/Config layers:\s+.*config\.toml/);
  });

  test("/diff shows tracked changes and untracked files", async () => {
    writeFileSync(path.join(t.repo, "notes.txt"), "first line\n");
    const s = await open();
    await s.type("/diff");
    await s.keys("Enter");
    const screen = await s.waitFor("+first line");
    expect(screen).toContain("+++ b/notes.txt");
    expect(screen).toContain("new file mode");
  });

  test("a custom prompt from $CODEX_HOME/prompts is a /name command with its arguments filled in", async () => {
    mkdirSync(path.join(t.codexHome, "prompts"), { recursive: true });
    writeFileSync(path.join(t.codexHome, "prompts", "greet.md"), "---\ndescription: greet someone\n---\nSay hello to $1 (all: $ARGUMENTS).\n");
    server.enqueue(sse(created("r1"), textMessage("hello Bob"), completed("r1")));
    const s = await open();
    await s.type("/gr");
    await s.waitFor(/› \/greet\s+greet someone/);
    await s.type("eet Bob Alice");
    await s.keys("Enter");
    await s.waitFor((screen) => screen.includes("hello Bob") && idle(screen));
    expect(server.requests[0]!.lastUserText()).toBe("Say hello to Bob (all: Bob Alice).\n");
  });
});

describe("session files", () => {
  test("/feedback writes this session's bundle and prints its path", async () => {
    server.enqueue(sse(created("r1"), textMessage("first answer"), completed("r1")));
    const s = await open();
    await s.type("hello");
    await s.keys("Enter");
    await s.waitFor((screen) => screen.includes("first answer") && idle(screen));
    await s.type("/feedback");
    await s.keys("Enter");
    const screen = await s.waitFor("Feedback bundle written", { transcript: true });
    const bundles = readdirSync(path.join(t.codexHome, "feedback")).filter((f) => f.endsWith(".tar.gz"));
    expect(bundles).toHaveLength(1);
    // The path is printed (ink wraps it at the terminal's width).
    expect(screen.replace(/\n/g, "")).toContain(path.join(t.codexHome, "feedback", bundles[0]!));
    expect(existsSync(path.join(t.codexHome, "feedback", bundles[0]!))).toBe(true);
  });
});

describe("composer helpers", () => {
  test("!cmd runs in the person's shell, shows its output, and the model sees it next turn", async () => {
    const s = await open();
    await s.type("!echo shell-says-hi");
    await s.waitFor("runs a shell command");
    await s.keys("Enter");
    await s.waitFor((screen) => screen.includes("shell-says-hi") && idle(screen) && !screen.includes("!echo"));
    server.enqueue(sse(created("r1"), textMessage("noted"), completed("r1")));
    await s.type("what ran?");
    await s.keys("Enter");
    await s.waitFor((screen) => screen.includes("noted") && idle(screen));
    expect(server.requests[0]!.inputText()).toMatch(/<user_shell_command>\n<command>\necho shell-says-hi\n<\/command>[\s\S]*Exit code: 0[\s\S]*shell-says-hi/);
  });

  test("@ opens the file search; Tab inserts the path", async () => {
    mkdirSync(path.join(t.repo, "src"), { recursive: true });
    writeFileSync(path.join(t.repo, "src", "hello-world.ts"), "");
    writeFileSync(path.join(t.repo, "README.md"), "");
    server.enqueue(sse(created("r1"), textMessage("looked"), completed("r1")));
    const s = await open();
    await s.type("look at @helwo");
    await s.waitFor(/› src\/hello-world\.ts/);
    await s.keys("Tab");
    await s.waitFor("look at src/hello-world.ts");
    await s.keys("Enter");
    await s.waitFor((screen) => screen.includes("looked") && idle(screen));
    expect(server.requests[0]!.lastUserText()?.trimEnd()).toBe("look at src/hello-world.ts");
  });
});
