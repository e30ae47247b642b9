import chalk from "chalk";
import { createElement as h } from "react";
import { afterEach, describe, expect, test } from "vitest";
import type { ResolvedConfig } from "../../core/index.js";
import type { EventMsg } from "../../protocol/events.js";
import { createTuiController } from "../session/controller.js";
import type { SlashCommand, TuiExtensions } from "../slash/registry.js";
import { createTuiStore } from "../state/store.js";
import { initialState } from "../state/types.js";
import { renderInTerminal, scriptedThread, stripAnsi, type FakeTerminal } from "../testing-harness.js";
import { App } from "./app.js";
import { ThemeContext, type Theme } from "./theme.js";

const session: EventMsg = {
  type: "session_configured",
  threadId: "0199aaaa-bbbb-7ccc-8ddd-eeeeffff0000",
  model: "gpt-5.5",
  modelProvider: "openai",
  cwd: "/repo",
  approvalPolicy: "on-request",
  sandboxPolicy: { mode: "workspace-write", writableRoots: [], networkAccess: false, excludeTmpdirEnvVar: false, excludeSlashTmp: false },
  reasoningEffort: "high",
  reasoningSummary: "auto",
  rolloutPath: null,
};

let term: FakeTerminal | undefined;
afterEach(() => {
  term?.unmount();
  term = undefined;
});

function setup(o: { columns?: number; theme?: Partial<Theme>; extensions?: TuiExtensions; now?: () => number } = {}) {
  const thread = scriptedThread();
  const store = createTuiStore(initialState({ version: "1.2.3" }));
  const controller = createTuiController({ store, thread, ...(o.now ? { now: o.now } : {}) });
  const exits: number[] = [];
  const theme: Theme = { color: false, light: false, highlight: null, ...o.theme };
  term = renderInTerminal(
    h(
      ThemeContext.Provider,
      { value: theme },
      h(App, {
        controller,
        cwd: "/repo",
        context: { config: () => ({ cwd: "/repo" }) as ResolvedConfig, runtime: () => ({ threads: {} as never, warnings: [], flushLogs: () => {}, dispose: async () => {} }), exit: () => void exits.push(1) },
        ...(o.extensions ? { extensions: o.extensions } : {}),
        ...(o.now ? { now: o.now } : {}),
      }),
    ),
    { columns: o.columns ?? 100 },
  );
  thread.emit(session);
  return { thread, store, term, exits };
}

describe("app frames", () => {
  test("a streamed answer renders as Markdown (heading, list, table, code, link)", async () => {
    const { thread, term } = setup();
    await term.waitForText("gpt-5.5 high");
    thread.emit({ type: "task_started", turnId: "t1" });
    thread.emit({ type: "user_message", message: "explain", images: [] });
    for (const delta of ["## Plan\n\n", "1. first\n2. second\n\n", "| a | b |\n|---|--:|\n| x | 10 |\n\n", "```ts\nconst x = 1;\n```\n\n", "See [docs](https://example.com)."]) {
      thread.emit({ type: "agent_message_delta", delta });
    }
    thread.emit({ type: "agent_message", message: "" });
    thread.emit({ type: "task_complete", turnId: "t1", lastAgentMessage: null });
    const text = await term.waitForText("See docs (https://example.com).");
    expect(text).toContain("› explain");
    expect(text).toContain("• Plan");
    expect(text).toMatch(/1\. first\n\s+2\. second/);
    expect(text).toMatch(/a\s+│\s+b/);
    expect(text).toMatch(/x\s+│\s+10/);
    expect(text).toContain("const x = 1;");
    expect(text).not.toContain("```");
    expect(text).not.toContain("Working");
  });

  test("Working line with elapsed seconds while a turn runs; context left and background terminals in the footer", async () => {
    let clock = 10_000;
    const { thread, term } = setup({ now: () => clock });
    await term.waitForText("gpt-5.5 high");
    term.type("go\r");
    await thread.waitForOp((op) => op.type === "user_turn");
    await term.waitForText("Working (0s • esc to interrupt)");
    clock += 12_000;
    thread.emit({ type: "task_started", turnId: "t1" });
    thread.emit({ type: "token_count", total: { input_tokens: 1, cached_input_tokens: 0, output_tokens: 1, reasoning_output_tokens: 0, total_tokens: 2 }, last: { input_tokens: 1, cached_input_tokens: 0, output_tokens: 1, reasoning_output_tokens: 0, total_tokens: 2 }, contextLeftPercent: 88 });
    await term.waitForText("Working (12s • esc to interrupt)");
    term.type("\x1b");
    await thread.waitForOp((op) => op.type === "interrupt");
    thread.emit({ type: "turn_aborted", turnId: "t1", reason: "interrupted" });
    thread.emit({ type: "background_terminals", terminals: [{ id: 3, command: "npm run dev", cwd: "/repo", tty: true, pid: 9, startedAtMs: 0, exitCode: null, running: true }] });
    const text = await term.waitForText("1 background terminal");
    expect(text).toContain("88% context left");
    expect(text).toContain("Conversation interrupted");
    expect(text).not.toContain("Working");
    // After the turn ended the TUI asked for the background terminals (the footer count).
    expect(thread.ops.some((op) => op.type === "list_background_terminals")).toBe(true);
  });

  test("composer: Ctrl+J and Shift+Enter add lines, Enter sends, Up recalls, a big paste is a placeholder but sent whole", async () => {
    const { thread, term } = setup();
    await term.waitForText("Ask Codex");
    term.type("first");
    term.type("\n");
    term.type("second");
    term.type("\x1b[13;2u");
    term.type("third");
    await term.waitForText(/› first\n\s+second\n\s+third/);
    term.type("\r");
    const op = await thread.waitForOp((o) => o.type === "user_turn");
    expect(op).toEqual({ type: "user_turn", items: [{ type: "text", text: "first\nsecond\nthird" }] });
    const big = Array.from({ length: 5000 }, (_, i) => `line ${i}`).join("\n");
    term.type("\x1b[200~");
    term.type(big.slice(0, 20_000));
    term.type(big.slice(20_000));
    term.type("\x1b[201~");
    await term.waitForText("[Pasted 5000 lines]");
    term.type("\r");
    const second = await thread.waitForOp((o) => o.type === "user_turn" && o !== op);
    expect(second).toEqual({ type: "user_turn", items: [{ type: "text", text: big }] });
    term.type("\x1b[A");
    await term.waitForText("› [Pasted 5000 lines]");
  });

  test("an image path typed alone (or pasted) attaches the image to the next message", async () => {
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const dir = mkdtempSync(`${(await import("node:os")).tmpdir()}/tui-img-`);
    writeFileSync(`${dir}/shot.png`, "not really a png");
    const { thread, term } = setup();
    await term.waitForText("Ask Codex");
    term.type(`${dir}/shot.png\r`);
    await term.waitForText("[image: shot.png]");
    expect(thread.ops.filter((o) => o.type === "user_turn")).toEqual([]);
    term.type("what is on it?\r");
    const op = await thread.waitForOp((o) => o.type === "user_turn");
    expect(op).toEqual({ type: "user_turn", items: [{ type: "local_image", path: `${dir}/shot.png` }, { type: "text", text: "what is on it?" }] });
  });

  test("Ctrl+C clears the composer, twice on empty quits; Ctrl+D on empty quits", async () => {
    const { term, exits } = setup();
    await term.waitForText("Ask Codex");
    term.type("draft");
    await term.waitForText("› draft");
    term.type("\x03");
    await term.waitForText("Ask Codex to do anything");
    expect(exits).toEqual([]);
    term.type("\x03");
    await term.waitForText("Press Ctrl+C again to quit");
    term.type("\x03");
    expect(exits).toEqual([1]);
    term.type("\x04");
    expect(exits).toEqual([1, 1]);
  });

  test("approval overlay: command with reason, queued requests, approve once", async () => {
    const { thread, term } = setup();
    await term.waitForText("Ask Codex");
    thread.emit({ type: "task_started", turnId: "t1" });
    thread.emit({ type: "exec_approval_request", callId: "c1", command: ["bash", "-lc", "rm -rf build"], cwd: "/repo", reason: "writes outside the sandbox", proposedPrefix: ["rm", "-rf"] });
    thread.emit({ type: "apply_patch_approval_request", callId: "p1", changes: [{ path: "/repo/src/a.ts", kind: "update", unifiedDiff: "@@ -1 +1 @@\n-old line\n+new line\n" }] });
    const text = await term.waitForText("Would you like to run the following command?");
    expect(text).toContain("Reason: writes outside the sandbox");
    expect(text).toContain("$ rm -rf build");
    expect(text).toContain("Yes, proceed (y)");
    expect(text).toContain("Yes, and always allow commands starting with `rm -rf` (p)");
    expect(text).toContain("1 more request waiting");
    term.type("y");
    await thread.waitForOp((op) => op.type === "exec_approval");
    expect(thread.ops.at(-1)).toEqual({ type: "exec_approval", callId: "c1", decision: "approved" });
    // The queued patch request comes next, with its full diff.
    const patch = await term.waitForText("Would you like to make the following edits?");
    expect(patch).toContain("Edited src/a.ts (+1 -1)");
    expect(patch).toContain("-old line");
    expect(patch).toContain("+new line");
    term.type("a");
    await thread.waitForOp((op) => op.type === "patch_approval");
    expect(thread.ops.at(-1)).toEqual({ type: "patch_approval", callId: "p1", decision: "approved_for_session" });
    await term.waitForText((t) => !t.includes("Would you like"));
  });

  test("approval overlay: remember, deny with feedback (sent as the next message), abort with Esc", async () => {
    const { thread, term } = setup();
    await term.waitForText("Ask Codex");
    thread.emit({ type: "task_started", turnId: "t1" });
    thread.emit({ type: "exec_approval_request", callId: "c1", command: ["git", "push"], cwd: "/repo" });
    await term.waitForText("$ git push");
    term.type("p");
    await thread.waitForOp((op) => op.type === "exec_approval" && op.decision === "approved_execpolicy_amendment");
    thread.emit({ type: "exec_approval_request", callId: "c2", command: ["rm", "x"], cwd: "/repo" });
    await term.waitForText("$ rm x");
    term.type("n");
    await term.waitForText("Tell Codex what to do differently");
    // Text and Enter in one read (as a fast typist or tmux delivers them).
    term.type("keep the file\r");
    await thread.waitForOp((op) => op.type === "user_turn");
    expect(thread.ops.slice(-2)).toEqual([
      { type: "exec_approval", callId: "c2", decision: "denied" },
      { type: "user_turn", items: [{ type: "text", text: "keep the file" }] },
    ]);
    thread.emit({ type: "exec_approval_request", callId: "c3", command: ["ls"], cwd: "/repo" });
    await term.waitForText("$ ls");
    term.type("\x1b");
    await thread.waitForOp((op) => op.type === "exec_approval" && op.callId === "c3");
    expect(thread.ops.at(-1)).toEqual({ type: "exec_approval", callId: "c3", decision: "abort" });
  });

  test("approval overlay for an MCP call: the question, the call, the choices it may remember", async () => {
    const { thread, term } = setup();
    await term.waitForText("Ask Codex");
    thread.emit({ type: "mcp_tool_call_approval_request", callId: "m1", server: "docs", tool: "delete_page", arguments: { id: 7 }, message: "Allow the docs MCP server to run tool \"delete_page\"?", persist: ["session"] });
    const text = await term.waitForText("Allow the docs MCP server to run delete_page?");
    expect(text).toContain('docs.delete_page({"id":7})');
    expect(text).toContain("Yes, and don't ask again this session (a)");
    expect(text).not.toContain("(p)");
    term.type("a");
    await thread.waitForOp((op) => op.type === "mcp_tool_approval");
    expect(thread.ops.at(-1)).toEqual({ type: "mcp_tool_approval", callId: "m1", decision: "approved_for_session" });
  });

  test("exec and patch cells; 40 columns wide: no line is wider than the terminal", async () => {
    const { thread, term } = setup({ columns: 40 });
    await term.waitForText("Ask Codex");
    thread.emit({ type: "exec_command_begin", callId: "c1", command: "npm test -- --reporter verbose --coverage", argv: [], cwd: "/repo" });
    thread.emit({ type: "exec_command_output_delta", callId: "c1", stream: "stdout", chunk: "a\nb\nc\nd\ne\nf\ng\n" });
    await term.waitForText("Running npm test");
    expect(term.text()).toContain("… +2 lines");
    thread.emit({ type: "exec_command_end", callId: "c1", command: "npm test -- --reporter verbose --coverage", exitCode: 1, aggregatedOutput: "a\nb\nc\nd\ne\nf\ng\n", status: "completed", durationMs: 1500 });
    thread.emit({ type: "patch_apply_end", callId: "p1", changes: [{ path: "/repo/README.md", kind: "add", unifiedDiff: "+# Title\n" }], success: true, diff: "+# Title\n", output: "" });
    thread.emit({ type: "plan_update", plan: [{ step: "write the tests", status: "completed" }, { step: "fix the bug", status: "in_progress" }] });
    const text = await term.waitForText("Updated Plan");
    expect(text).toContain("✗ exit 1 • 1.5s");
    expect(text).toContain("Applied patch");
    expect(text).toContain("+# Title");
    expect(text).toContain("✔ write the tests");
    for (const line of text.split("\n")) expect([...line].length).toBeLessThanOrEqual(40);
  });

  test("NO_COLOR: no colour codes; with colour the diff is green and red", async () => {
    // Colours depend on the terminal chalk detects (none under the test runner): force 16 colours here.
    const level = chalk.level;
    chalk.level = 1;
    const plain = setup();
    plain.thread.emit({ type: "patch_apply_end", callId: "p1", changes: [{ path: "/repo/f", kind: "update", unifiedDiff: "-a\n+b\n" }], success: true, diff: "", output: "" });
    await plain.term.waitForText("+b");
    expect(plain.term.frame()).not.toMatch(/\x1b\[3[0-7]m/);
    plain.term.unmount();
    const colored = setup({ theme: { color: true } });
    colored.thread.emit({ type: "patch_apply_end", callId: "p1", changes: [{ path: "/repo/f", kind: "update", unifiedDiff: "-a\n+b\n" }], success: true, diff: "", output: "" });
    await colored.term.waitForText("+b");
    expect(colored.term.frame()).toMatch(/\x1b\[32m\+b/);
    expect(colored.term.frame()).toMatch(/\x1b\[31m-a/);
    chalk.level = level;
  });

  test("hook runs: status message while running, then blocked with feedback", async () => {
    const { thread, term } = setup();
    const run = { id: "Stop:0:/h", eventName: "Stop", scope: "project" as const, sourcePath: "/h", displayOrder: 0, command: "x", statusMessage: "Running the checks", status: "running" as const, turnId: "t", startedAt: 0, entries: [] };
    thread.emit({ type: "hook_started", run });
    await term.waitForText("hook: Stop Running the checks");
    thread.emit({ type: "hook_completed", run: { ...run, status: "blocked", durationMs: 40, entries: [{ kind: "feedback", text: "tests are red" }, { kind: "warning", text: "slow" }] } });
    const text = await term.waitForText("hook: Stop Blocked");
    expect(text).toContain("feedback: tests are red");
    expect(text).toContain("warning: slow");
  });

  test("slash commands run with their arguments; an overlay takes the keyboard until closed", async () => {
    const seen: string[] = [];
    const command: SlashCommand = {
      name: "echo",
      description: "say it",
      run(ctx, args) {
        seen.push(args);
        ctx.pushCell({ kind: "info", title: "Echo", lines: [args] });
        ctx.openOverlay({ id: "picker", props: { title: "Pick one" } });
      },
    };
    const extensions: TuiExtensions = {
      commands: [command],
      overlays: [{ id: "picker", render: ({ overlay }) => h("ink-text", null, `[${String(overlay.props.title)}]`) }],
    };
    const { thread, term } = setup({ extensions });
    await term.waitForText("Ask Codex");
    term.type("/echo hello world\r");
    await term.waitForText("[Pick one]");
    expect(seen).toEqual(["hello world"]);
    expect(term.text()).toContain("• Echo");
    expect(thread.ops.filter((o) => o.type === "user_turn")).toEqual([]);
    term.type("\x1b");
    await term.waitForText((t) => !t.includes("[Pick one]"));
    // An unknown command goes to the model as text.
    term.type("/nope\r");
    const op = await thread.waitForOp((o) => o.type === "user_turn");
    expect(op).toEqual({ type: "user_turn", items: [{ type: "text", text: "/nope" }] });
  });
});

test("focus reports reach the app; the controller asks for attention on approvals and turn ends", async () => {
  const thread = scriptedThread();
  const store = createTuiStore(initialState({ version: "1" }));
  const attention: string[] = [];
  const controller = createTuiController({ store, thread, onAttention: (r) => void attention.push(`${r.kind}: ${r.message}`) });
  const focus: boolean[] = [];
  term = renderInTerminal(
    h(App, {
      controller,
      cwd: "/repo",
      context: { config: () => ({ cwd: "/repo" }) as ResolvedConfig, runtime: () => ({ threads: {} as never, warnings: [], flushLogs: () => {}, dispose: async () => {} }), exit: () => {} },
      onFocusChange: (f) => void focus.push(f),
    }),
  );
  await term.waitForText("Ask Codex");
  term.type("\x1b[O");
  term.type("\x1b[I");
  thread.emit({ type: "exec_approval_request", callId: "c1", command: ["make"], cwd: "/repo" });
  thread.emit({ type: "task_complete", turnId: "t", lastAgentMessage: "All done." });
  await thread.waitForOp((op) => op.type === "list_background_terminals");
  expect(focus).toEqual([false, true]);
  expect(attention).toEqual(["approval: Approval requested: make", "turn_complete: All done."]);
});

test("a thread with an approval left unanswered is asked again as soon as the TUI has it (attach or switch)", async () => {
  const store = createTuiStore(initialState({ version: "1" }));
  const pending = { ...scriptedThread("resumed"), pendingApprovals: () => ["call_1"] };
  const controller = createTuiController({ store });
  controller.attach(pending);
  expect(await pending.waitForOp((op) => op.type === "resume_pending")).toEqual({ type: "resume_pending" });
  const next = { ...scriptedThread("other"), pendingApprovals: () => ["call_2"] };
  await controller.switchThread(next);
  await next.waitForOp((op) => op.type === "resume_pending");
  const idle = scriptedThread("idle");
  await controller.switchThread(idle);
  expect(idle.ops).toEqual([]);
});

test("stripAnsi leaves plain text alone", () => {
  expect(stripAnsi("\x1b[1mbold\x1b[22m")).toBe("bold");
});
