// tuicmds' commands, popups and helpers in the app's frames (scripted thread, fake terminal): what each
// submits to the thread and what it shows.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createElement as h } from "react";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import * as core from "../../src/core/index.js";
import type { ResolvedConfig } from "../../src/core/index.js";
import type { EventMsg } from "../../src/protocol/events.js";
import type { Op } from "../../src/protocol/ops.js";
import { App } from "../../src/tui/components/app.js";
import { ThemeContext, type Theme } from "../../src/tui/components/theme.js";
import { createTuiController } from "../../src/tui/session/controller.js";
import { createTuiExtensions, builtinCommands } from "../../src/tui/slash/commands/index.js";
import { INIT_PROMPT } from "../../src/tui/slash/commands/turn.js";
import { createTuiStore } from "../../src/tui/state/store.js";
import { initialState } from "../../src/tui/state/types.js";
import { renderInTerminal, scriptedThread, type FakeTerminal } from "../../src/tui/testing-harness.js";

const THREAD_ID = "0199aaaa-bbbb-7ccc-8ddd-eeeeffff0000";
let root: string;
let term: FakeTerminal | undefined;
beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), "slash-"));
  mkdirSync(path.join(root, "home"));
  mkdirSync(path.join(root, "repo"));
});
afterEach(() => {
  term?.unmount();
  term = undefined;
  rmSync(root, { recursive: true, force: true });
});

async function setup() {
  const cwd = path.join(root, "repo");
  const codexHome = path.join(root, "home");
  const config = {
    cwd,
    codexHome,
    model: "gpt-5.5",
    modelProviderId: "openai",
    raw: {},
    features: {},
    sandboxMode: "workspace-write",
    sandboxWorkspaceWrite: { writableRoots: [], networkAccess: false, excludeTmpdirEnvVar: true, excludeSlashTmp: true },
    additionalWritableRoots: [],
  } as unknown as ResolvedConfig;
  const thread = scriptedThread(THREAD_ID);
  const store = createTuiStore(initialState({ version: "1.2.3" }));
  const controller = createTuiController({ store, thread });
  const extensions = await createTuiExtensions(core, { codexHome, cwd });
  const theme: Theme = { color: false, light: false, highlight: null };
  const exits: number[] = [];
  term = renderInTerminal(
    h(ThemeContext.Provider, { value: theme }, h(App, { controller, context: { config: () => config, runtime: () => ({ threads: {} as never, warnings: [], flushLogs: () => {}, dispose: async () => {} }), exit: () => void exits.push(1) }, cwd, extensions })),
    { columns: 100 },
  );
  const session: EventMsg = {
    type: "session_configured",
    threadId: THREAD_ID,
    model: "gpt-5.5",
    modelProvider: "openai",
    cwd,
    approvalPolicy: "on-request",
    sandboxPolicy: { mode: "workspace-write", writableRoots: [cwd], networkAccess: false, excludeTmpdirEnvVar: true, excludeSlashTmp: true },
    reasoningEffort: "high",
    reasoningSummary: "auto",
    rolloutPath: null,
  };
  thread.emit(session);
  await term.waitForText("gpt-5.5 high");
  return { thread, term, cwd, codexHome, exits };
}

const opOf = <T extends Op["type"]>(type: T) => (op: Op): op is Extract<Op, { type: T }> => op.type === type;

describe("the / popup", () => {
  test("filters by prefix, arrows move, Tab completes, no match says so", async () => {
    const { term } = await setup();
    term.type("/st");
    const popup = await term.waitForText("/stop");
    expect(popup).toMatch(/› \/status\s+show current session configuration/);
    expect(popup).not.toContain("/model");
    term.type("\u001b[B");
    await term.waitForText(/› \/stop\s+stop all background terminals/);
    term.type("\t");
    await term.waitForText((t) => t.includes("/stop ") && !t.includes("› /status"));
    term.type("\u0015"); // Ctrl+U clears the line
    term.type("/zz");
    await term.waitForText("no matches");
  });

  test("the built-in list has every command of the brief, in Codex's order for the common ones", () => {
    const names = builtinCommands(core).map((c) => c.name);
    for (const n of ["model", "approvals", "experimental", "new", "resume", "fork", "init", "compact", "diff", "mention", "status", "mcp", "stop", "ps", "logout", "quit", "exit"]) {
      expect(names).toContain(n);
    }
    expect(builtinCommands(core).find((c) => c.name === "stop")!.aliases).toEqual(["clean"]);
    expect(names.indexOf("model")).toBeLessThan(names.indexOf("status"));
  });
});

describe("commands", () => {
  test("/model: model list then effort list; the choice becomes an override_turn_context op and is saved", async () => {
    const { thread, term, codexHome } = await setup();
    term.type("/model\r");
    const models = await term.waitForText("Select Model and Effort");
    expect(models).toMatch(/› 1\. GPT-5\.5 \(current\)/);
    term.type("\r");
    await term.waitForText("Select Reasoning Level for GPT-5.5");
    await term.waitForText(/› 3\. high/);
    term.type("\u001b[A");
    await term.waitForText(/› 2\. medium \(default\)/);
    term.type("\r");
    const op = await thread.waitForOp(opOf("override_turn_context"));
    expect(op).toEqual({ type: "override_turn_context", model: "gpt-5.5", effort: "medium" });
    await term.waitForText("Model changed to gpt-5.5 medium");
    const { readFileSync } = await import("node:fs");
    const saved = readFileSync(path.join(codexHome, "config.toml"), "utf8");
    expect(saved).toContain(`model = "gpt-5.5"`);
    expect(saved).toContain(`model_reasoning_effort = "medium"`);

    // `s`: this session only, config.toml left as it is.
    term.type("/model\r");
    await term.waitForText("Select Model and Effort");
    term.type("2\r");
    await term.waitForText("Select Reasoning Level for");
    term.type("s");
    await term.waitForText(/Model changed to \S+ \S+ for this session/);
    expect(readFileSync(path.join(codexHome, "config.toml"), "utf8")).toBe(saved);
  });

  test("/approvals: Full Access sends never + danger-full-access; Read Only sends read-only", async () => {
    const { thread, term } = await setup();
    term.type("/approvals\r");
    await term.waitForText(/› 2\. Ask for approval \(current\)/);
    term.type("3\r");
    const op = await thread.waitForOp(opOf("override_turn_context"));
    expect(op).toEqual({ type: "override_turn_context", approvalPolicy: "never", sandboxPolicy: { mode: "danger-full-access" }, approvalsReviewer: "user" });
    await term.waitForText("Permissions updated to Full Access");
  });

  test("/approvals offers Smart Approvals: on-request + workspace-write with the guardian answering", async () => {
    const { thread, term } = await setup();
    term.type("/approvals\r");
    await term.waitForText(/4\. Smart Approvals/);
    term.type("4\r");
    const op = (await thread.waitForOp(opOf("override_turn_context"))) as { approvalPolicy: string; sandboxPolicy: { mode: string }; approvalsReviewer: string };
    expect(op.approvalPolicy).toBe("on-request");
    expect(op.sandboxPolicy.mode).toBe("workspace-write");
    expect(op.approvalsReviewer).toBe("guardian");
    await term.waitForText("Permissions updated to Smart Approvals");
  });

  test("/status names the session, model and sandbox", async () => {
    const { term, cwd } = await setup();
    term.type("/status\r");
    const text = await term.waitForText(`Session:          ${THREAD_ID}`);
    expect(text).toContain("Model:            gpt-5.5 (reasoning high)");
    expect(text).toContain(`Directory:        ${cwd}`);
    expect(text).toContain(`Sandbox:          workspace-write (${cwd})`);
    expect(text).toContain("Agents.md:        <none>");
  });

  test("/ps lists running background terminals; /clean stops them", async () => {
    const { thread, term } = await setup();
    term.type("/ps\r");
    await thread.waitForOp(opOf("list_background_terminals"));
    thread.emit({
      type: "background_terminals",
      terminals: [
        { id: 3, command: "npm run dev", cwd: "/r", tty: true, pid: 10, startedAtMs: Date.now() - 5000, exitCode: null, running: true },
        { id: 4, command: "finished job", cwd: "/r", tty: false, pid: 11, startedAtMs: Date.now(), exitCode: 0, running: false },
      ],
    });
    const text = await term.waitForText("npm run dev");
    expect(text).not.toContain("finished job");
    term.type("/clean\r");
    await thread.waitForOp(opOf("clean_background_terminals"));
    thread.emit({ type: "background_terminals_cleaned", stopped: 1 });
    await term.waitForText("Stopped 1 background terminal.");
  });

  test("/init asks the model for an AGENTS.md, unless one exists", async () => {
    const { thread, term, cwd } = await setup();
    writeFileSync(path.join(cwd, "AGENTS.md"), "# rules\n");
    term.type("/init\r");
    await term.waitForText("AGENTS.md already exists here");
    expect(thread.ops.some((o) => o.type === "user_turn")).toBe(false);
    rmSync(path.join(cwd, "AGENTS.md"));
    term.type("/init\r");
    const op = await thread.waitForOp(opOf("user_turn"));
    expect(op).toEqual({ type: "user_turn", items: [{ type: "text", text: INIT_PROMPT }] });
  });

  test("/compact submits the compact op; /quit exits", async () => {
    const { thread, term, exits } = await setup();
    term.type("/compact\r");
    await thread.waitForOp(opOf("compact"));
    thread.emit({ type: "task_complete", turnId: "t", lastAgentMessage: null });
    term.type("/quit\r");
    await term.waitForText(() => exits.length === 1);
  });
});

describe("more commands", () => {
  test("/mcp without servers says how to add one", async () => {
    const { term } = await setup();
    term.type("/mcp\r");
    await term.waitForText("No MCP servers configured");
  });

  test("/experimental lists the experimental features and toggles one into config.toml", async () => {
    const { term, codexHome } = await setup();
    term.type("/experimental\r");
    const list = await term.waitForText("Experimental features");
    const first = core.FEATURES.find((f) => f.stage === "experimental" || f.stage === "under development")!;
    expect(list).toContain(first.name);
    expect(list).toContain("Smart Approvals");
    term.type("\x1b[B");
    await term.waitForText(new RegExp(`› 2\\. \\[.\\] ${first.name}`));
    term.type("\r");
    await term.waitForText(`${first.name} ${first.defaultEnabled ? "disabled" : "enabled"} in config.toml`);
    const { readFileSync } = await import("node:fs");
    expect(readFileSync(path.join(codexHome, "config.toml"), "utf8")).toContain(`[features]\n${first.name} = ${!first.defaultEnabled}`);
  });
});

describe("Smart Approvals in /experimental", () => {
  test("toggling it on switches the session to the guardian and saves approvals_reviewer", async () => {
    const { thread, term, codexHome } = await setup();
    term.type("/experimental\r");
    await term.waitForText(/› 1\. \[ \] Smart Approvals/);
    term.type("\r");
    const op = (await thread.waitForOp(opOf("override_turn_context"))) as { approvalsReviewer: string; approvalPolicy: string };
    expect(op).toMatchObject({ approvalsReviewer: "guardian", approvalPolicy: "on-request" });
    await term.waitForText("Smart Approvals on (saved to config.toml)");
    const { readFileSync } = await import("node:fs");
    expect(readFileSync(path.join(codexHome, "config.toml"), "utf8")).toContain('approvals_reviewer = "guardian_subagent"');
  });
});

describe("composer helpers", () => {
  test("!cmd submits run_user_shell_command; a custom prompt expands its arguments", async () => {
    mkdirSync(path.join(root, "home", "prompts"));
    writeFileSync(path.join(root, "home", "prompts", "fixit.md"), "Fix $1 now, then $ARGUMENTS.");
    const { thread, term } = await setup();
    term.type("!ls -la | head\r");
    expect(await thread.waitForOp(opOf("run_user_shell_command"))).toEqual({ type: "run_user_shell_command", command: "ls -la | head" });
    term.type("/fi");
    await term.waitForText(/› \/fixit\s+send saved prompt/);
    term.type("xit bug-12\r");
    expect(await thread.waitForOp(opOf("user_turn"))).toEqual({ type: "user_turn", items: [{ type: "text", text: "Fix bug-12 now, then bug-12." }] });
  });
});
