import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { createRolloutEventEncoder, fromRolloutEvent } from "../../src/core/persistence/event-codec.js";
import type { EventMsg, HookRunSummary } from "../../src/protocol/events.js";

const usage = (n: number) => ({ input_tokens: n, cached_input_tokens: 0, output_tokens: 5, reasoning_output_tokens: 1, total_tokens: n + 5 });
const run: HookRunSummary = {
  id: "Stop:0:/home/u/.codex/hooks.json",
  eventName: "Stop",
  scope: "user",
  sourcePath: "/home/u/.codex/hooks.json",
  displayOrder: 0,
  command: "./check.sh",
  status: "completed",
  turnId: "t1",
  startedAt: 1_700_000_000_000,
  durationMs: 12,
  entries: [{ kind: "feedback", text: "fine" }],
};

/** Every event the thread journals (thread-state's JOURNALED_EVENTS and the journal-only ones), in memory. */
const EVENTS: EventMsg[] = [
  { type: "task_started", turnId: "t1" },
  { type: "user_message", message: "fix it\n\nplease", images: ["/tmp/a.png"] },
  { type: "user_message", message: "", images: ["/tmp/only.png"] },
  { type: "agent_message", message: "done", itemId: "msg_1" },
  { type: "agent_reasoning", text: "thinking" },
  {
    type: "exec_command_end",
    callId: "c1",
    command: "/bin/bash -lc 'ls'",
    argv: ["/bin/bash", "-lc", "ls"],
    cwd: "/work/my repo",
    exitCode: 0,
    aggregatedOutput: "a\n",
    status: "completed",
    durationMs: 1234,
  },
  { type: "exec_command_end", callId: "c2", command: "rm -rf x", exitCode: null, aggregatedOutput: "", status: "declined", durationMs: 3.4, source: "user_shell" },
  {
    type: "patch_apply_end",
    callId: "p1",
    changes: [
      { path: "/w/new.txt", kind: "add", unifiedDiff: "+hi\n" },
      { path: "/w/b.ts", kind: "update", movedFrom: "/w/a.ts", unifiedDiff: "@@ -1 +1 @@\n-a\n+b\n" },
      { path: "/w/gone.txt", kind: "delete" },
    ],
    success: true,
    diff: "diff --git a/x b/x\n",
    output: "Success.",
  },
  { type: "patch_apply_end", callId: "p2", changes: [{ path: "/w/x", kind: "update" }, { path: "/w/x", kind: "update", unifiedDiff: "d" }], success: false, diff: "", output: "failed" },
  { type: "plan_update", explanation: "steps", plan: [{ step: "read", status: "completed" }, { step: "write", status: "in_progress" }] },
  { type: "token_count", total: usage(300), last: usage(100), contextWindow: 258_400 },
  { type: "token_count", total: usage(3), last: usage(1) },
  { type: "task_complete", turnId: "t1", lastAgentMessage: "done" },
  { type: "task_complete", turnId: "t1", lastAgentMessage: null },
  { type: "turn_failed", turnId: "t2", error: { kind: "rate_limited", message: "slow down", httpStatus: 429, retryAfterMs: 2000 } },
  { type: "turn_failed", turnId: "t2", error: { kind: "internal", message: "boom" } },
  { type: "turn_aborted", turnId: "t3", reason: "interrupted" },
  {
    type: "mcp_tool_call_end",
    callId: "m1",
    server: "docs",
    tool: "search",
    arguments: { queryText: "x", nested: { camelKey: 1 } },
    result: { content: [{ type: "text", text: "hit" }], structured_content: { hitCount: 1 } },
    isError: false,
  },
  { type: "mcp_tool_call_end", callId: "m2", server: "docs", tool: "search", arguments: {}, error: "server gone" },
  { type: "mcp_tool_call_end", callId: "m3", server: "docs", tool: "search", arguments: null, result: { content: [] }, error: "late", isError: true },
  { type: "web_search_end", callId: "ws1", query: "weather", action: { type: "search", query: "weather", someKey: 1 } },
  { type: "context_compacted", trigger: "auto", tokensBefore: 9000, tokensAfter: 1200 },
  { type: "hook_started", run: { ...run, status: "running", durationMs: undefined } as HookRunSummary },
  { type: "hook_completed", run },
  {
    type: "collab_tool_call_end",
    callId: "k1",
    tool: "spawn_agent",
    senderThreadId: "th-root",
    receiverThreadIds: ["th-child"],
    prompt: "do it",
    agentsStates: { "th-child": { status: "running", message: "ok" } },
    status: "completed",
    receiverAgents: [{ threadId: "th-child", path: "/root/worker" }],
    spawnedWith: { model: "gpt-5.5", reasoningEffort: null },
  },
  { type: "collab_tool_call_end", callId: "k2", tool: "wait", senderThreadId: "th-root", receiverThreadIds: [], prompt: null, agentsStates: {}, status: "failed" },
  {
    type: "guardian_review_completed",
    callId: "g1",
    action: { type: "command", commandLine: "ls" },
    status: "approved",
    riskLevel: "low",
    userAuthorization: "high",
    rationale: "harmless",
  },
  {
    type: "request_user_input",
    callId: "q1",
    turnId: "t1",
    questions: [{ id: "color", header: "Color", question: "Which?", isOther: true, isSecret: false, options: [{ label: "red", description: "warm" }] }],
    isBlocking: true,
  },
  { type: "exec_approval_request", callId: "c9", command: ["git", "push"], cwd: "/w", reason: "network", proposedPrefix: ["git", "push"] },
  { type: "apply_patch_approval_request", callId: "p9", changes: [{ path: "/w/a", kind: "update", unifiedDiff: "d" }], reason: "outside" },
  {
    type: "mcp_tool_call_approval_request",
    callId: "m9",
    server: "docs",
    tool: "write",
    arguments: { filePath: "/w/a" },
    message: "Allow?",
    annotations: { destructiveHint: true },
    toolDescription: "writes",
    persist: ["session", "always"],
  },
  { type: "approval_answered", callId: "c9", decision: "approved" },
  { type: "approval_answered", callId: "c8", decision: { approved_execpolicy_amendment: { proposed_execpolicy_amendment: ["git", "push"] } } as never },
  { type: "user_input_answered", callId: "q1" },
  { type: "thread_rolled_back", numTurns: 2 },
];

const clock = () => new Date(Date.UTC(2026, 0, 2, 3, 4, 5));
const encoderFor = () => createRolloutEventEncoder({ threadId: "th-root", now: clock, newId: () => "id-1" });
/** As a reader sees it: through JSON (the file), undefined fields gone. */
const viaFile = (v: unknown): Record<string, unknown> => JSON.parse(JSON.stringify(v));
const camelKeys = (o: Record<string, unknown>): string[] => Object.keys(o).filter((k) => /[A-Z]/.test(k));

describe("event codec", () => {
  test.each(EVENTS.map((e) => [e.type, e] as const))("%s: written without camelCase keys, read back as the same event", (_, msg) => {
    const encoder = encoderFor();
    encoder.encode({ type: "task_started", turnId: "t1" });
    const disk = viaFile(encoder.encode(msg));
    expect(camelKeys(disk)).toEqual([]);
    expect(fromRolloutEvent(disk)).toEqual(viaFile(msg));
  });

  test.each(EVENTS.map((e) => [e.type, e] as const))("%s in the camelCase form earlier versions wrote reads as it was", (_, msg) => {
    expect(fromRolloutEvent(viaFile(msg))).toEqual(viaFile(msg));
  });

  test("nested user data passes through untouched: tool arguments, MCP results, paths as keys, hook entries", () => {
    const enc = encoderFor();
    const mcp = viaFile(enc.encode(EVENTS.find((e) => e.type === "mcp_tool_call_end")!));
    expect(mcp.item).toMatchObject({
      type: "McpToolCall",
      server: "docs",
      tool: "search",
      arguments: { queryText: "x", nested: { camelKey: 1 } },
      status: "completed",
      result: { content: [{ type: "text", text: "hit" }], structuredContent: { hitCount: 1 }, isError: false },
    });
    const approval = viaFile(enc.encode(EVENTS.find((e) => e.type === "mcp_tool_call_approval_request")!));
    expect(approval.arguments).toEqual({ filePath: "/w/a" });
    expect(approval.annotations).toEqual({ destructiveHint: true });
    const patch = viaFile(enc.encode(EVENTS.find((e) => e.type === "patch_apply_end")!)) as { item: { changes: Record<string, unknown> } };
    expect(Object.keys(patch.item.changes)).toEqual(["/w/new.txt", "/w/b.ts", "/w/gone.txt"]);
    expect(patch.item.changes["/w/b.ts"]).toEqual({ type: "update", unified_diff: "@@ -1 +1 @@\n-a\n+b\n", move_path: "/w/a.ts" });
    const hook = viaFile(enc.encode({ type: "hook_completed", run })) as { run: Record<string, unknown> };
    expect(hook.run).toMatchObject({ event_name: "Stop", source_path: run.sourcePath, duration_ms: 12, entries: run.entries });
    const guardian = viaFile(enc.encode(EVENTS.find((e) => e.type === "guardian_review_completed")!));
    expect(guardian.action).toEqual({ type: "command", commandLine: "ls" });
    const input = viaFile(enc.encode(EVENTS.find((e) => e.type === "request_user_input")!)) as { questions: Array<Record<string, unknown>> };
    expect(input.questions[0]).toHaveProperty("isOther", true);
  });

  test("items carry the thread and the running turn; a turn's end has its start, end and duration", () => {
    let now = Date.UTC(2026, 0, 2, 3, 4, 5);
    const enc = createRolloutEventEncoder({ threadId: "th-1", now: () => new Date(now), newId: () => "u1" });
    expect(enc.encode({ type: "task_started", turnId: "t7" })).toEqual({ type: "task_started", turn_id: "t7", started_at: Math.floor(now / 1000) });
    now += 1500;
    expect(enc.encode({ type: "user_message", message: "hi", images: [] })).toEqual({
      type: "item_completed",
      thread_id: "th-1",
      turn_id: "t7",
      item: { type: "UserMessage", id: "u1", content: [{ type: "text", text: "hi", text_elements: [] }] },
      started_at_ms: now,
      completed_at_ms: now,
    });
    now += 500;
    expect(enc.encode({ type: "task_complete", turnId: "t7", lastAgentMessage: "ok" })).toEqual({
      type: "task_complete",
      turn_id: "t7",
      last_agent_message: "ok",
      started_at: Math.floor((now - 2000) / 1000),
      duration_ms: 2000,
      completed_at: Math.floor(now / 1000),
    });
    // After the turn ended, an item belongs to no turn.
    expect(enc.encode({ type: "agent_reasoning", text: "x" })).toMatchObject({ turn_id: "" });
  });

  test("a failed turn is the reference's task_complete with its error; the reference's own failed turn reads as turn_failed", () => {
    const disk = viaFile(encoderFor().encode({ type: "turn_failed", turnId: "t2", error: { kind: "server_error", message: "500" } }));
    expect(disk).toMatchObject({ type: "task_complete", turn_id: "t2", last_agent_message: null, error: { message: "500", codex_error_info: "other", kind: "server_error" } });
    const reference = { type: "task_complete", turn_id: "t9", last_agent_message: null, error: { message: "bad thing", codex_error_info: "other" }, started_at: 1, completed_at: 2 };
    expect(fromRolloutEvent(reference)).toEqual({ type: "turn_failed", turnId: "t9", error: { kind: "internal", message: "bad thing" } });
  });

  test("unknown event types and item kinds pass through both ways as they are", () => {
    const settings = { type: "thread_settings_applied", thread_id: "x", thread_settings: { model: "m", camelKey: 1 } };
    expect(fromRolloutEvent(settings)).toEqual(settings);
    const plan = { type: "item_completed", thread_id: "x", turn_id: "t", item: { type: "Plan", id: "p", text: "t" } };
    expect(fromRolloutEvent(plan)).toEqual(plan);
    expect(encoderFor().encode(plan as never)).toEqual(plan);
    const nullCount = { type: "token_count", info: null, rate_limits: null };
    expect(fromRolloutEvent(nullCount)).toEqual(nullCount);
    expect(encoderFor().encode(nullCount as never)).toEqual(nullCount);
  });
});

// What the reference 0.169 wrote (recorded from its binary: test/fixtures/rollout-reference/README.md).
const FIXTURES = path.join(import.meta.dirname, "..", "fixtures", "rollout-reference");
const referenceLines = (): Array<Record<string, unknown>> =>
  readFileSync(path.join(FIXTURES, "event-msg-0.169.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => (JSON.parse(l) as { payload: Record<string, unknown> }).payload);

/** Shape key of a payload: its type, an item's kind, a failed turn. */
const shapeOf = (p: Record<string, unknown>): string => {
  const item = p.item as { type?: string } | undefined;
  return `${String(p.type)}${item?.type ? `:${item.type}` : ""}${p.error ? ":error" : ""}`;
};

/**
 * The reference's fields we do not write (we have no value for them), and ours it does not have. Each
 * list is exact, so a change on either side shows here.
 */
const KEY_GAPS: Record<string, { missing: string[]; extra: string[]; itemMissing?: string[]; itemExtra?: string[] }> = {
  task_started: { missing: ["collaboration_mode_kind", "model_context_window", "root_turn_id", "turn_attribution"], extra: [] },
  task_complete: { missing: ["root_turn_id", "time_to_first_token_ms"], extra: [] },
  "task_complete:error": { missing: ["root_turn_id", "time_to_first_token_ms"], extra: [] },
  turn_aborted: { missing: ["root_turn_id"], extra: [] },
  token_count: { missing: [], extra: [] },
  "item_completed:UserMessage": { missing: [], extra: [] },
  "item_completed:AgentMessage": { missing: [], extra: [] },
  "item_completed:Reasoning": { missing: [], extra: [] },
  "item_completed:CommandExecution": { missing: [], extra: [], itemMissing: ["process_id"], itemExtra: ["command_line"] },
  "item_completed:FileChange": { missing: [], extra: [], itemExtra: ["diff"] },
  "item_completed:WebSearch": { missing: [], extra: [] },
  "item_completed:McpToolCall": { missing: [], extra: [], itemMissing: ["duration", "readOnlyHint"] },
  "item_completed:CollabAgentToolCall": { missing: [], extra: [], itemExtra: ["prompt", "spawned_with"] },
  "item_completed:ContextCompaction": { missing: [], extra: [], itemExtra: ["tokens_after", "tokens_before", "trigger"] },
};

const diff = (a: string[], b: string[]): string[] => a.filter((k) => !b.includes(k)).sort();

describe("rollout event_msg payloads against the reference's", () => {
  const ours = new Map<string, Record<string, unknown>>();
  const enc = encoderFor();
  for (const msg of EVENTS) {
    // Each event inside its own turn, as a thread writes them.
    enc.encode({ type: "task_started", turnId: "turnId" in msg ? msg.turnId : "t1" });
    const disk = viaFile(enc.encode(msg));
    if (!ours.has(shapeOf(disk))) ours.set(shapeOf(disk), disk);
  }

  test.each(Object.keys(KEY_GAPS))("%s: same field names as the reference wrote", (shape) => {
    const reference = referenceLines().find((p) => shapeOf(p) === shape);
    const mine = ours.get(shape);
    expect(reference, `fixture has ${shape}`).toBeDefined();
    expect(mine, `we write ${shape}`).toBeDefined();
    const gaps = KEY_GAPS[shape]!;
    expect(diff(Object.keys(reference!), Object.keys(mine!))).toEqual(gaps.missing);
    expect(diff(Object.keys(mine!), Object.keys(reference!))).toEqual(gaps.extra);
    if (reference!.item !== undefined) {
      const [r, m] = [reference!.item as Record<string, unknown>, mine!.item as Record<string, unknown>];
      expect(diff(Object.keys(r), Object.keys(m))).toEqual(gaps.itemMissing ?? []);
      expect(diff(Object.keys(m), Object.keys(r))).toEqual(gaps.itemExtra ?? []);
    }
    if (shape === "token_count") {
      const info = (p: Record<string, unknown>) => Object.keys(p.info as object).sort();
      expect(diff(info(reference!), info(mine!))).toEqual(["last_usage_includes_reasoning"]);
    }
  });

  test("the reference's lines read as our events", () => {
    const read = referenceLines().map((p) => fromRolloutEvent(p));
    const types = read.map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(["task_started", "user_message", "agent_reasoning", "exec_command_end", "token_count", "patch_apply_end", "web_search_end", "agent_message", "task_complete", "turn_failed"]));
    expect(read.find((e) => e.type === "user_message")).toEqual({ type: "user_message", message: "first prompt", images: [] });
    const cmd = read.find((e) => e.type === "exec_command_end") as Extract<EventMsg, { type: "exec_command_end" }>;
    expect(cmd).toMatchObject({ callId: "c1", command: "/bin/bash -lc echo hi-from-shell", exitCode: 0, aggregatedOutput: "hi-from-shell\n", status: "completed" });
    expect(cmd.argv).toEqual(["/bin/bash", "-lc", "echo hi-from-shell"]);
    expect(cmd.cwd?.startsWith("/")).toBe(true);
    expect(Math.round(cmd.durationMs)).toBe(257);
    const patch = read.find((e) => e.type === "patch_apply_end") as Extract<EventMsg, { type: "patch_apply_end" }>;
    expect(patch.changes).toEqual([{ path: expect.stringMatching(/hello\.txt$/), kind: "add" }]);
    expect(patch.success).toBe(true);
    const mcp = read.filter((e) => e.type === "mcp_tool_call_end");
    expect(mcp).toEqual([
      { type: "mcp_tool_call_end", callId: "m1", server: "fault", tool: "get-sum", arguments: { a: 1, b: 2 }, result: { content: [{ type: "text", text: "3" }], structured_content: { sum: 3 } } },
      { type: "mcp_tool_call_end", callId: "m2", server: "fault", tool: "fail", arguments: {}, result: { content: [{ type: "text", text: "it broke" }] }, isError: true },
    ]);
    const count = read.find((e) => e.type === "token_count") as Extract<EventMsg, { type: "token_count" }>;
    expect(count).toEqual({ type: "token_count", total: usage(100), last: usage(100), contextWindow: 258_400 });
  });
});
