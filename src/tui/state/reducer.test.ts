import { describe, expect, test } from "vitest";
import type { EventMsg, HookRunSummary } from "../../protocol/events.js";
import { reduce, type UiAction } from "./reducer.js";
import { initialState, type TuiState } from "./types.js";

const ev = (msg: EventMsg, now = 1000): UiAction => ({ type: "core", msg, now });
const run = (msgs: Array<EventMsg | UiAction>, start: TuiState = initialState({ version: "9.9.9" })) =>
  msgs.reduce((s, m) => reduce(s, isUi(m) ? m : ev(m)), start);
function isUi(m: EventMsg | UiAction): m is UiAction {
  return ["core", "turn_submitted", "push_cell", "approval_answered", "open_overlay", "close_overlay", "hint"].includes(m.type);
}
const kinds = (s: TuiState) => s.history.map((c) => c.kind);
const usage = { input_tokens: 10, cached_input_tokens: 0, output_tokens: 5, reasoning_output_tokens: 0, total_tokens: 15 };

describe("reducer: core events -> history and live region", () => {
  test("session header, user prompt and a streamed answer: finished Markdown blocks are committed while the rest streams", () => {
    let s = run([
      {
        type: "session_configured",
        threadId: "th-1",
        model: "gpt-5.5",
        modelProvider: "openai",
        cwd: "/repo",
        approvalPolicy: "on-request",
        sandboxPolicy: { mode: "read-only", networkAccess: false },
        reasoningEffort: "medium",
        reasoningSummary: "auto",
        rolloutPath: null,
      },
      { type: "turn_submitted", now: 500 },
      { type: "task_started", turnId: "t1" },
      { type: "user_message", message: "hi", images: [] },
      { type: "agent_message_delta", delta: "# Title\n\nfirst para" },
    ]);
    expect(s.session).toMatchObject({ threadId: "th-1", model: "gpt-5.5", effort: "medium" });
    expect(s.turn).toEqual({ startedAt: 500, turnId: "t1" });
    expect(kinds(s)).toEqual(["session", "user", "assistant"]);
    expect(s.history[2]).toMatchObject({ text: "# Title\n\n", continuation: false });
    expect(s.live).toEqual([expect.objectContaining({ kind: "assistant", text: "first para", streaming: true, continuation: true })]);

    s = run([{ type: "agent_message_delta", delta: " goes on\n\n- a\n" }, { type: "agent_message_delta", delta: "- b\n" }], s);
    // The list is still open (a third item may come): it stays live.
    expect(s.history.at(-1)).toMatchObject({ kind: "assistant", text: "first para goes on\n\n", continuation: true });
    expect(s.live[0]).toMatchObject({ text: "- a\n- b\n" });

    s = run([{ type: "agent_message", message: "# Title\n\nfirst para goes on\n\n- a\n- b\n" }, { type: "task_complete", turnId: "t1", lastAgentMessage: "x" }], s);
    expect(s.live).toEqual([]);
    expect(s.turn).toBeNull();
    expect(s.history.at(-1)).toMatchObject({ kind: "assistant", text: "- a\n- b\n", final: true });
    // Ids are unique and increasing: ink <Static> keys.
    const ids = s.history.map((c) => c.id);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  test("an answer that was never streamed comes whole from agent_message", () => {
    const s = run([{ type: "agent_message", message: "plain answer" }]);
    expect(s.history).toEqual([expect.objectContaining({ kind: "assistant", text: "plain answer", final: true })]);
  });

  test("an unclosed code fence is one block until it closes", () => {
    const s = run([{ type: "agent_message_delta", delta: "Intro\n\n```js\nconst a = 1;\n\nconst b = 2;\n" }]);
    expect(s.history.map((c) => (c.kind === "assistant" ? c.text : ""))).toEqual(["Intro\n\n"]);
    expect(s.live[0]).toMatchObject({ text: "```js\nconst a = 1;\n\nconst b = 2;\n" });
  });

  test("exec cell: live output, then exit status and duration in the history", () => {
    let s = run([
      { type: "exec_command_begin", callId: "c1", command: "echo hi", argv: ["bash", "-lc", "echo hi"], cwd: "/repo" },
      { type: "exec_command_output_delta", callId: "c1", stream: "stdout", chunk: "h" },
      { type: "exec_command_output_delta", callId: "c1", stream: "stdout", chunk: "i\n" },
    ]);
    expect(s.live).toEqual([expect.objectContaining({ kind: "exec", status: "running", output: "hi\n" })]);
    s = run([{ type: "exec_command_end", callId: "c1", command: "echo hi", exitCode: 0, aggregatedOutput: "hi\n", status: "completed", durationMs: 12 }], s);
    expect(s.live).toEqual([]);
    // `bash -lc '<script>'` shows as the script.
    expect(s.history).toEqual([expect.objectContaining({ kind: "exec", command: "echo hi", status: "completed", exitCode: 0, durationMs: 12, output: "hi\n" })]);
  });

  test("command output keeps only its tail", () => {
    const big = "x".repeat(40_000) + "\nlast line\n";
    const s = run([
      { type: "exec_command_begin", callId: "c1", command: "yes", argv: ["yes"], cwd: "/" },
      { type: "exec_command_output_delta", callId: "c1", stream: "stdout", chunk: big },
    ]);
    const cell = s.live[0]!;
    expect(cell.kind === "exec" && cell.output.length).toBeLessThanOrEqual(16 * 1024);
    expect(cell.kind === "exec" && cell.output.endsWith("last line\n")).toBe(true);
  });

  test("patches, plans, MCP calls, hooks, compaction, warnings", () => {
    const hook: HookRunSummary = {
      id: "Stop:0:/h.json",
      eventName: "Stop",
      scope: "user",
      sourcePath: "/h.json",
      displayOrder: 0,
      command: "check",
      statusMessage: "Checking the result",
      status: "running",
      turnId: "t1",
      startedAt: 1,
      entries: [],
    };
    let s = run([
      { type: "patch_apply_begin", callId: "p1", changes: [{ path: "/repo/a.txt", kind: "add" }] },
      { type: "patch_apply_end", callId: "p1", changes: [{ path: "/repo/a.txt", kind: "add", unifiedDiff: "+hello\n" }], success: true, diff: "+hello\n", output: "" },
      { type: "plan_update", plan: [{ step: "read", status: "completed" }, { step: "write", status: "in_progress" }] },
      { type: "mcp_tool_call_begin", callId: "m1", server: "fs", tool: "read", arguments: { path: "x" } },
      { type: "hook_started", run: hook },
    ]);
    expect(s.live.map((c) => c.kind)).toEqual(["mcp", "hook"]);
    s = run([
      { type: "mcp_tool_call_end", callId: "m1", server: "fs", tool: "read", arguments: { path: "x" }, result: { content: [{ type: "text", text: "contents" }] } },
      { type: "hook_completed", run: { ...hook, status: "blocked", durationMs: 5, entries: [{ kind: "feedback", text: "tests fail" }] } },
      { type: "context_compacted", trigger: "auto", tokensBefore: 1000, tokensAfter: 100 },
      { type: "warning", message: "careful" },
    ], s);
    expect(s.live).toEqual([]);
    expect(kinds(s)).toEqual(["patch", "plan", "mcp", "hook", "compacted", "warning"]);
    expect(s.history[0]).toMatchObject({ status: "applied", diff: "+hello\n" });
    expect(s.history[2]).toMatchObject({ status: "completed", result: "contents" });
    expect(s.history[3]).toMatchObject({ run: { status: "blocked", entries: [{ kind: "feedback", text: "tests fail" }] } });
  });

  test("sub-agent calls and Smart Approvals reviews: live, then settled with their outcome", () => {
    let s = run([
      { type: "collab_tool_call_begin", callId: "a1", tool: "spawn_agent", senderThreadId: "root", receiverThreadIds: [], prompt: "look into it" },
      { type: "guardian_review_started", callId: "g1", action: { command: "rm x" } },
    ]);
    expect(s.live.map((c) => c.kind)).toEqual(["collab", "guardian"]);
    s = run([
      { type: "collab_tool_call_end", callId: "a1", tool: "spawn_agent", senderThreadId: "root", receiverThreadIds: ["child"], prompt: "look into it", agentsStates: { child: { status: "running" } }, status: "completed" },
      { type: "guardian_review_completed", callId: "g1", action: {}, status: "denied", riskLevel: "high", rationale: "deletes files" },
    ], s);
    expect(s.live).toEqual([]);
    expect(s.history).toEqual([
      expect.objectContaining({ kind: "collab", status: "completed", receivers: ["child"], states: { child: { status: "running" } } }),
      expect.objectContaining({ kind: "guardian", status: "denied", riskLevel: "high", rationale: "deletes files" }),
    ]);
  });

  test("a failed MCP call says why", () => {
    const s = run([
      { type: "mcp_tool_call_begin", callId: "m1", server: "fs", tool: "read", arguments: {} },
      { type: "mcp_tool_call_end", callId: "m1", server: "fs", tool: "read", arguments: {}, error: "timed out" },
    ]);
    expect(s.history[0]).toMatchObject({ kind: "mcp", status: "failed", result: "timed out" });
  });

  test("reasoning deltas stream live and land dimmed in the history", () => {
    let s = run([{ type: "agent_reasoning_delta", delta: "**Thinking** about" }]);
    expect(s.live[0]).toMatchObject({ kind: "reasoning", text: "**Thinking** about" });
    s = run([{ type: "agent_reasoning", text: "**Thinking** about it" }], s);
    expect(s.history).toEqual([expect.objectContaining({ kind: "reasoning", text: "**Thinking** about it" })]);
  });

  test("approvals queue in arrival order and leave when answered or when the turn ends", () => {
    let s = run([
      { type: "turn_submitted", now: 1 },
      { type: "exec_approval_request", callId: "a", command: ["rm", "x"], cwd: "/repo", reason: "outside the sandbox" },
      { type: "apply_patch_approval_request", callId: "b", changes: [{ path: "/repo/f", kind: "update", unifiedDiff: "-a\n+b\n" }] },
      { type: "exec_approval_request", callId: "a", command: ["rm", "x"], cwd: "/repo" },
    ]);
    expect(s.approvals.map((a) => a.callId)).toEqual(["a", "b"]);
    expect(s.approvals[0]).toMatchObject({ kind: "exec", reason: "outside the sandbox" });
    s = reduce(s, { type: "approval_answered", callId: "a" });
    expect(s.approvals.map((a) => a.callId)).toEqual(["b"]);
    s = run([{ type: "turn_aborted", turnId: "t", reason: "interrupted" }], s);
    expect(s.approvals).toEqual([]);
  });

  test("turn endings: failure and interruption become error cells; what was still live is settled", () => {
    let s = run([
      { type: "turn_submitted", now: 1 },
      { type: "agent_message_delta", delta: "half an ans" },
      { type: "exec_command_begin", callId: "c", command: "sleep 9", argv: ["sleep", "9"], cwd: "/" },
      { type: "turn_aborted", turnId: "t", reason: "interrupted" },
    ]);
    expect(s.live).toEqual([]);
    expect(kinds(s)).toEqual(["assistant", "exec", "error"]);
    // A command whose end never came is still running (a unified-exec session outlives the turn).
    expect(s.history[1]).toMatchObject({ status: "background" });
    expect(s.history[2]).toMatchObject({ errorKind: "interrupted" });
    s = run([
      { type: "turn_submitted", now: 1 },
      { type: "turn_failed", turnId: "t2", error: { kind: "rate_limited", message: "Rate limit reached" } },
    ], s);
    expect(s.history.at(-1)).toMatchObject({ kind: "error", errorKind: "rate_limited", message: "Rate limit reached" });
    expect(s.turn).toBeNull();
  });

  test("footer facts: tokens, context left, background terminals, status", () => {
    let s = run([
      { type: "token_count", total: usage, last: usage, contextWindow: 1000, contextLeftPercent: 97 },
      { type: "background_terminals", terminals: [
        { id: 1, command: "srv", cwd: "/", tty: false, pid: 1, startedAtMs: 0, exitCode: null, running: true },
        { id: 2, command: "old", cwd: "/", tty: false, pid: 2, startedAtMs: 0, exitCode: 0, running: false },
      ] },
      { type: "stream_error", message: "Reconnecting... 1/5", attempt: 1, maxAttempts: 5 },
    ]);
    expect(s).toMatchObject({ tokensUsed: 15, contextLeftPercent: 97, backgroundTerminals: 1, status: "Reconnecting... 1/5" });
    s = run([{ type: "background_terminals_cleaned", stopped: 1 }], s);
    expect(s.backgroundTerminals).toBe(0);
  });
});

describe("reducer: UI actions", () => {
  test("pushed cells are numbered and appended; overlays open and close by id; hints", () => {
    let s = reduce(initialState({ version: "1" }), { type: "push_cell", cell: { kind: "info", title: "Status", lines: ["a"] } });
    expect(s.history).toEqual([{ kind: "info", id: 1, title: "Status", lines: ["a"] }]);
    s = reduce(s, { type: "open_overlay", overlay: { id: "picker", props: { n: 1 } } });
    expect(reduce(s, { type: "close_overlay", id: "other" }).overlay).toEqual({ id: "picker", props: { n: 1 } });
    expect(reduce(s, { type: "close_overlay", id: "picker" }).overlay).toBeNull();
    expect(reduce(s, { type: "hint", text: "Press again" }).hint).toBe("Press again");
  });

  test("unchanged state is the same object (no re-render)", () => {
    const s = initialState({ version: "1" });
    expect(reduce(s, ev({ type: "raw_response_item", item: { type: "message", role: "assistant", content: [] } as never }))).toBe(s);
  });
});
