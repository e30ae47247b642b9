// The span tree of one thread, driven through its seams with an in-memory exporter: approvals under their call,
// MCP calls with their own span whose traceparent reaches the tool context (and `_meta`), compaction, a turn
// parented by the caller's trace context, a stop-continued turn, and spans still open when the thread closes.
import { ROOT_CONTEXT } from "@opentelemetry/api";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { beforeEach, expect, test } from "vitest";
import type { ResponseItem, ToolCallItem } from "../../src/protocol/items.js";
import type { ApprovalGate } from "../../src/core/approval/contract.js";
import { noCompactionHooks } from "../../src/core/compaction/index.js";
import { callMeta } from "../../src/core/mcp/caller.js";
import type { ModelClient, ModelRequest } from "../../src/core/model/contract.js";
import type { ToolContext } from "../../src/core/tools/contract.js";
import type { ToolRegistry } from "../../src/core/tools/registry.js";
import type { ThreadTelemetry } from "../../src/core/telemetry/contract.js";
import { createThreadSpans } from "../../src/core/telemetry/thread-spans.js";

let exporter: InMemorySpanExporter;
let spans: ThreadTelemetry;
const SECRET = "sk-secret-abcdef0123456789";

beforeEach(() => {
  exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  spans = createThreadSpans({
    tracer: provider.getTracer("test"),
    parent: ROOT_CONTEXT,
    facts: { threadId: "thread-1", model: "gpt-5.5", sandbox: "workspace-write" },
    logUserPrompt: false,
    secrets: [SECRET],
    flush: () => provider.forceFlush(),
  });
});

const finished = (): ReadableSpan[] => exporter.getFinishedSpans();
const named = (name: string): ReadableSpan[] => finished().filter((s) => s.name === name);
const only = (name: string): ReadableSpan => {
  const found = named(name);
  expect(found, name).toHaveLength(1);
  return found[0]!;
};
const parentOf = (s: ReadableSpan): string | undefined => s.parentSpanContext?.spanId;
const emit = () => {};
const signal = new AbortController().signal;

const call = (callId: string, over: Partial<ToolCallItem> = {}): ToolCallItem =>
  ({ type: "function_call", call_id: callId, name: "exec_command", arguments: "{}", ...over }) as ToolCallItem;
const output = (callId: string, text: string): ResponseItem => ({ type: "function_call_output", call_id: callId, output: text });

async function startTurn(turnId: string, trace?: { traceparent: string }): Promise<void> {
  await spans.threadObserver.beforeTurn!({ turnId, origin: "user", prompt: `prompt with ${SECRET}`, emit, signal, ...(trace ? { trace } : {}) });
}

test("an approval span sits under its call's span and records the decision", async () => {
  await startTurn("turn-1");
  const gate: ApprovalGate = {
    decide: async () => "approved",
    review: async () => ({ decision: "denied", sandboxed: true, reason: "policy" }),
  };
  const traced = spans.wrapGate(gate);
  spans.turnObserver.beforeToolCall!(call("c1"));
  await traced.decide({ kind: "exec", callId: "c1", argv: ["ls"], cwd: "/", escalated: false }, { signal });
  await spans.turnObserver.afterToolCall!(call("c1"), output("c1", "Process exited with code 2"));
  await traced.review({ kind: "patch", callId: "c9", paths: ["a"], cwd: "/" }, { signal });
  await spans.turnObserver.onStop!({ status: "completed", lastAgentMessage: null });
  await spans.close();
  const tool = only("handle_tool_call");
  const approvals = named("codex.approval");
  expect(approvals.map((a) => a.attributes["approval.decision"])).toEqual(["approved", "denied"]);
  expect(parentOf(approvals[0]!)).toBe(tool.spanContext().spanId);
  // An approval with no open call span (the call is unknown) hangs under the turn.
  expect(parentOf(approvals[1]!)).toBe(only("session_task.turn").spanContext().spanId);
  expect(tool.attributes).toMatchObject({ exit_code: 2, sandbox: "workspace-write", tool_name: "exec_command" });
  expect(tool.status.code).toBe(2); // ERROR for a non-zero exit
  expect(only("session_task.turn").attributes["codex.turn.user_prompt"]).toBeUndefined();
});

test("an MCP call gets its own span; its traceparent reaches the tool context and the _meta sent", async () => {
  await startTurn("turn-1");
  const seen: ToolContext[] = [];
  const registry: ToolRegistry = {
    specs: () => [],
    isMutating: () => false,
    isExclusive: () => false,
    dispatch: async (c, ctx) => {
      seen.push(ctx);
      return output(c.call_id, "ok");
    },
  };
  const traced = spans.wrapRegistry(registry);
  const mcpCall = call("m1", { name: "read", namespace: "mcp__files" } as Partial<ToolCallItem>);
  spans.turnObserver.beforeToolCall!(mcpCall);
  const ctx = { callId: "m1", turn: { threadId: "thread-1", turnId: "turn-1" } } as unknown as ToolContext;
  await traced.dispatch(mcpCall, ctx);
  spans.turnObserver.beforeToolCall!(call("c2"));
  await traced.dispatch(call("c2"), { ...ctx, callId: "c2" });
  await spans.turnObserver.afterToolCall!(call("c2"), output("c2", "x"));
  await spans.turnObserver.afterToolCall!(mcpCall, output("m1", "ok"));
  await spans.close();
  const mcp = only("mcp.tools.call");
  expect(mcp.attributes).toMatchObject({ "mcp.server": "files", "mcp.tool": "read" });
  const mcpTool = named("handle_tool_call").find((s) => s.attributes.call_id === "m1")!;
  const plainTool = named("handle_tool_call").find((s) => s.attributes.call_id === "c2")!;
  expect(parentOf(mcp)).toBe(mcpTool.spanContext().spanId);
  expect(mcpTool.attributes.tool_name).toBe("mcp__files__read");
  const traceId = mcp.spanContext().traceId;
  expect(seen[0]!.traceContext?.traceparent).toBe(`00-${traceId}-${mcp.spanContext().spanId}-01`);
  expect(seen[1]!.traceContext?.traceparent).toBe(`00-${traceId}-${plainTool.spanContext().spanId}-01`);
  expect(callMeta(seen[0]!, undefined)).toMatchObject({ callId: "m1", traceparent: seen[0]!.traceContext!.traceparent });
  expect(callMeta({ ...seen[0]!, traceContext: undefined } as ToolContext, undefined).traceparent).toBeUndefined();
});

test("a compaction span between PreCompact and PostCompact; its summary request is its child", async () => {
  const hooks = spans.wrapCompactionHooks(noCompactionHooks);
  const requests: ModelRequest[] = [];
  const model: ModelClient = {
    async *stream(req) {
      requests.push(req);
      yield { type: "completed", responseId: "r1", usage: null };
    },
  };
  const traced = spans.wrapModel(model);
  await hooks.preCompact({ trigger: "manual" });
  for await (const _ of traced.stream({ model: "gpt-5.5", input: [], tools: [], parallelToolCalls: false, promptCacheKey: "t", headers: {} }, signal)) void _;
  await hooks.postCompact({ trigger: "manual" });
  await spans.close();
  const compact = only("codex.compact");
  const sampling = only("codex.sampling");
  expect(compact.attributes.trigger).toBe("manual");
  expect(parentOf(compact)).toBe(only("session_loop").spanContext().spanId);
  expect(parentOf(sampling)).toBe(compact.spanContext().spanId);
  expect(requests[0]!.traceContext?.traceparent).toContain(sampling.spanContext().spanId);
});

test("the caller's trace context (user_turn.trace) parents the turn; the session keeps its own parent", async () => {
  const traceparent = "00-11111111111111111111111111111111-2222222222222222-01";
  await startTurn("turn-1", { traceparent });
  await spans.turnObserver.onStop!({ status: "interrupted" });
  await spans.close();
  const turn = only("session_task.turn");
  expect(turn.spanContext().traceId).toBe("11111111111111111111111111111111");
  expect(parentOf(turn)).toBe("2222222222222222");
  expect(turn.attributes["codex.turn.status"]).toBe("interrupted");
  expect(only("session_loop").spanContext().traceId).not.toBe("11111111111111111111111111111111");
});

test("a turn continued after onStop (a Stop hook) ends once, at its last stop; spans open at close are ended", async () => {
  await startTurn("turn-1");
  await spans.turnObserver.onStop!({ status: "completed", lastAgentMessage: null });
  await spans.turnObserver.beforeSampling!({ history: [], request: 2 });
  expect(named("session_task.turn")).toHaveLength(0);
  await spans.turnObserver.onStop!({ status: "failed", error: { kind: "internal", message: `bad ${SECRET}` } });
  spans.turnObserver.beforeToolCall!(call("dangling"));
  await startTurn("turn-2");
  expect(named("session_task.turn")).toHaveLength(1);
  const first = only("session_task.turn");
  expect(first.attributes["codex.turn.status"]).toBe("failed");
  expect(String(first.attributes["error.message"])).not.toContain(SECRET);
  expect(only("handle_tool_call").status.message).toBe("turn ended before the call did");
  await spans.threadObserver.onSessionEnd!({ emit });
  await spans.close();
  expect(named("session_task.turn")).toHaveLength(2);
  expect(named("session_loop")).toHaveLength(1);
});
