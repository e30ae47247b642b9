import type { EventMsg } from "../protocol/events.js";
import { AutoReviewNotifications as AR } from "../protocol/app-server/auto-review.js";
import type { ThreadItem } from "../protocol/app-server/items.js";
import type { NotificationDef } from "../protocol/app-server/jsonrpc.js";
import { Notifications as N } from "../protocol/app-server/notifications.js";
import type { Turn, TurnError } from "../protocol/app-server/turn.js";
import { dynamicToolCallItem } from "./methods/dynamic-tools.js";
import { agentActivity, collabItem, reviewCompleted, reviewStarted, showsAtBegin, type ReviewsUnderWay } from "./wire-agents.js";
import { fileChangesWire, hookRunWire, turnErrorWire, usageWire } from "./wire-convert.js";

// The pure mapper: one core event (plus the thread's mapping state) → the v2 notifications it stands for,
// and the approvals to ask. It holds no I/O; thread-session.ts sends what it returns. Replaying a rollout's
// journaled events through it rebuilds the thread's turns (thread/read, resume).

export type Out =
  | { kind: "notify"; def: NotificationDef<any>; params: unknown }
  | { kind: "approveCommand"; callId: string; turnId: string; command: string; cwd: string; reason: string | null; proposedPrefix: string[] | null }
  | { kind: "approvePatch"; callId: string; turnId: string; reason: string | null }
  | { kind: "approveMcp"; turnId: string; request: Extract<EventMsg, { type: "mcp_tool_call_approval_request" }> }
  | { kind: "askUserInput"; request: Extract<EventMsg, { type: "request_user_input" }> };

export interface TurnState {
  id: string;
  startedAtMs: number;
  /** Every item of the turn, completed ones in order (thread/read's `full` view). */
  items: ThreadItem[];
  diff: string;
}

export interface MapperState {
  threadId: string;
  turn: TurnState | null;
  /** Turns ended so far (kept only when `keepTurns`). */
  turns: Turn[];
  keepTurns: boolean;
  open: Map<string, ThreadItem>;
  agentMessageId: string | null;
  reasoningId: string | null;
  nextItem: number;
  contextWindow: number | null;
  /** Reasoning items completed when the answer began streaming, whose `agent_reasoning` is still to come. */
  reasoningClosedEarly: number;
  /** Guardian reviews under way, by the reviewed call's id. */
  reviews: ReviewsUnderWay;
}

export function newMapperState(o: { threadId: string; keepTurns: boolean }): MapperState {
  return { threadId: o.threadId, turn: null, turns: [], keepTurns: o.keepTurns, open: new Map(), agentMessageId: null, reasoningId: null, nextItem: 0, contextWindow: null, reasoningClosedEarly: 0, reviews: new Map() };
}

const seconds = (ms: number) => Math.floor(ms / 1000);

export function turnWire(t: TurnState, o: { status: Turn["status"]; error: TurnError | null; endedAtMs: number | null; view: "summary" | "full" | "notLoaded" }): Turn {
  const items = o.view === "full" ? t.items : o.view === "summary" ? t.items.filter((i) => i.type === "agentMessage") : [];
  return {
    id: t.id,
    rootTurnId: t.id,
    items,
    itemsView: o.view === "summary" && items.length === 0 ? "notLoaded" : o.view,
    status: o.status,
    error: o.error,
    startedAt: seconds(t.startedAtMs),
    completedAt: o.endedAtMs === null ? null : seconds(o.endedAtMs),
    durationMs: o.endedAtMs === null ? null : o.endedAtMs - t.startedAtMs,
  };
}

export function mapEvent(s: MapperState, msg: EventMsg, nowMs: number): Out[] {
  const out: Out[] = [];
  const threadId = s.threadId;
  const notify = <P>(def: NotificationDef<P>, params: P) => out.push({ kind: "notify", def, params });
  const turnId = s.turn?.id ?? "";
  const newId = (prefix: string) => `${prefix}_${s.turn?.id ?? "0"}_${++s.nextItem}`;
  const start = (item: ThreadItem) => {
    const begun = { ...item, startedAtMs: nowMs, completedAtMs: null } as ThreadItem;
    s.open.set(item.id, begun);
    notify(N.itemStarted, { item: { ...begun }, threadId, turnId, startedAtMs: nowMs });
  };
  const complete = (item: ThreadItem) => {
    if (!s.open.has(item.id)) start(item);
    const startedAtMs = (s.open.get(item.id) as { startedAtMs?: number | null } | undefined)?.startedAtMs ?? nowMs;
    s.open.delete(item.id);
    const done = { ...item, startedAtMs, completedAtMs: nowMs } as ThreadItem;
    s.turn?.items.push(done);
    notify(N.itemCompleted, { item: done, threadId, turnId, contentTokenCount: null, completedAtMs: nowMs });
  };
  const finishOpenText = () => {
    if (s.agentMessageId) {
      const item = s.open.get(s.agentMessageId);
      if (item) complete(item);
      s.agentMessageId = null;
    }
    if (s.reasoningId) {
      const item = s.open.get(s.reasoningId);
      if (item) complete(item);
      s.reasoningId = null;
    }
  };
  const endTurn = (status: Turn["status"], error: TurnError | null) => {
    if (!s.turn) return;
    finishOpenText();
    for (const item of s.open.values()) complete({ ...item, ...("status" in item ? { status: "failed" } : {}) } as ThreadItem);
    notify(N.threadStatusChanged, { threadId, status: { type: "idle" } });
    notify(N.turnCompleted, { threadId, turn: turnWire(s.turn, { status, error, endedAtMs: nowMs, view: "summary" }) });
    if (s.keepTurns) s.turns.push(turnWire(s.turn, { status, error, endedAtMs: nowMs, view: "full" }));
    s.turn = null;
  };

  switch (msg.type) {
    case "task_started":
      s.turn = { id: msg.turnId, startedAtMs: nowMs, items: [], diff: "" };
      s.open.clear();
      s.reviews.clear();
      s.reasoningClosedEarly = 0;
      notify(N.threadStatusChanged, { threadId, status: { type: "active", activeFlags: [] } });
      notify(N.turnStarted, { threadId, turn: turnWire(s.turn, { status: "inProgress", error: null, endedAtMs: null, view: "notLoaded" }) });
      break;
    case "user_message": {
      if (!s.turn) break;
      const content = [
        ...(msg.message ? [{ type: "text" as const, text: msg.message, text_elements: [] }] : []),
        ...msg.images.map((path) => ({ type: "localImage" as const, path })),
      ];
      complete({ type: "userMessage", id: newId("user"), clientId: null, content });
      break;
    }
    case "agent_message_delta": {
      if (!s.turn) break;
      if (s.reasoningId) {
        // The summary streamed before the answer: it is complete once the answer begins (as the reference shows it).
        const item = s.open.get(s.reasoningId);
        if (item) complete(item);
        s.reasoningId = null;
        s.reasoningClosedEarly++;
      }
      if (!s.agentMessageId) {
        s.agentMessageId = newId("msg");
        start(agentMessage(s.agentMessageId, ""));
      }
      const item = s.open.get(s.agentMessageId) as Extract<ThreadItem, { type: "agentMessage" }> | undefined;
      if (item) item.text += msg.delta;
      notify(N.agentMessageDelta, { threadId, turnId, itemId: s.agentMessageId, delta: msg.delta });
      break;
    }
    case "agent_message": {
      if (!s.turn) break;
      const id = s.agentMessageId ?? msg.itemId ?? newId("msg");
      s.agentMessageId = null;
      complete(agentMessage(id, msg.message));
      break;
    }
    case "agent_reasoning_delta": {
      if (!s.turn) break;
      if (!s.reasoningId) {
        s.reasoningId = newId("rs");
        start({ type: "reasoning", id: s.reasoningId, summary: [], content: [] });
        notify(N.reasoningSummaryPartAdded, { threadId, turnId, itemId: s.reasoningId, summaryIndex: 0 });
      }
      const open = s.open.get(s.reasoningId) as Extract<ThreadItem, { type: "reasoning" }> | undefined;
      if (open) open.summary = [(open.summary[0] ?? "") + msg.delta];
      notify(N.reasoningSummaryTextDelta, { threadId, turnId, itemId: s.reasoningId, delta: msg.delta, summaryIndex: 0 });
      break;
    }
    case "agent_reasoning": {
      if (!s.turn) break;
      if (!s.reasoningId && s.reasoningClosedEarly > 0) {
        s.reasoningClosedEarly--;
        break;
      }
      const id = s.reasoningId ?? newId("rs");
      s.reasoningId = null;
      complete({ type: "reasoning", id, summary: [msg.text], content: [] });
      break;
    }
    case "exec_command_begin":
      if (!s.turn) break;
      finishOpenText();
      if (!s.open.has(msg.callId)) start(commandItem(msg.callId, msg.command, msg.cwd));
      break;
    case "exec_command_output_delta":
      if (!s.turn) break;
      notify(N.commandExecutionOutputDelta, { threadId, turnId, itemId: msg.callId, delta: msg.chunk });
      break;
    case "exec_command_end": {
      if (!s.turn) break;
      const begun = s.open.get(msg.callId) as Extract<ThreadItem, { type: "commandExecution" }> | undefined;
      complete({
        ...(begun ?? commandItem(msg.callId, msg.command, "")),
        status: msg.status,
        aggregatedOutput: msg.aggregatedOutput,
        exitCode: msg.exitCode,
        durationMs: Math.round(msg.durationMs),
      });
      break;
    }
    case "exec_approval_request": {
      if (!s.turn) break;
      finishOpenText();
      const command = msg.command.join(" ");
      if (!s.open.has(msg.callId)) start(commandItem(msg.callId, command, msg.cwd));
      out.push({ kind: "approveCommand", callId: msg.callId, turnId, command, cwd: msg.cwd, reason: msg.reason ?? null, proposedPrefix: msg.proposedPrefix ?? null });
      break;
    }
    case "apply_patch_approval_request":
      if (!s.turn) break;
      finishOpenText();
      if (!s.open.has(msg.callId)) start({ type: "fileChange", id: msg.callId, changes: fileChangesWire(msg.changes), status: "inProgress" });
      out.push({ kind: "approvePatch", callId: msg.callId, turnId, reason: msg.reason ?? null });
      break;
    case "patch_apply_begin":
      if (!s.turn) break;
      finishOpenText();
      if (!s.open.has(msg.callId)) start({ type: "fileChange", id: msg.callId, changes: fileChangesWire(msg.changes), status: "inProgress" });
      break;
    case "patch_apply_end": {
      if (!s.turn) break;
      const declined = !msg.success && /rejected by user/.test(msg.output);
      complete({ type: "fileChange", id: msg.callId, changes: fileChangesWire(msg.changes), status: msg.success ? "completed" : declined ? "declined" : "failed" });
      if (msg.success && msg.diff) {
        s.turn.diff += msg.diff.endsWith("\n") ? msg.diff : msg.diff + "\n";
        notify(N.turnDiffUpdated, { threadId, turnId, diff: s.turn.diff });
      }
      break;
    }
    case "plan_update":
      if (!s.turn) break;
      notify(N.turnPlanUpdated, {
        threadId,
        turnId,
        explanation: msg.explanation ?? null,
        plan: msg.plan.map((p) => ({ step: p.step, status: p.status === "in_progress" ? "inProgress" : p.status })),
      });
      break;
    case "dynamic_tool_call_begin":
    case "dynamic_tool_call_end": {
      if (!s.turn) break;
      const call = dynamicToolCallItem(msg)!;
      if (call.phase === "completed") complete(call.item);
      else {
        finishOpenText();
        start(call.item);
      }
      break;
    }
    case "mcp_tool_call_begin":
      if (!s.turn) break;
      finishOpenText();
      if (!s.open.has(msg.callId)) start({ ...mcpItem(msg.callId, msg.server, msg.tool, msg.arguments), readOnlyHint: msg.readOnlyHint ?? null });
      break;
    case "mcp_tool_call_end": {
      if (!s.turn) break;
      const failed = msg.error !== undefined || msg.isError === true;
      const begun = s.open.get(msg.callId) as Extract<ThreadItem, { type: "mcpToolCall" }> | undefined;
      complete({
        ...mcpItem(msg.callId, msg.server, msg.tool, msg.arguments),
        readOnlyHint: begun?.readOnlyHint ?? null,
        status: failed ? "failed" : "completed",
        result: msg.result ? { content: msg.result.content, structuredContent: msg.result.structured_content ?? null, _meta: null } : null,
        error: msg.error !== undefined ? { message: msg.error } : null,
      });
      break;
    }
    case "mcp_tool_call_approval_request":
      if (!s.turn) break;
      finishOpenText();
      // As the reference: the call's item starts before the question is asked.
      if (!s.open.has(msg.callId)) start({ ...mcpItem(msg.callId, msg.server, msg.tool, msg.arguments), readOnlyHint: msg.annotations?.readOnlyHint ?? null });
      out.push({ kind: "approveMcp", turnId, request: msg });
      break;
    case "request_user_input":
      // As the reference: no item of its own; the text before the question is complete when it is asked.
      if (!s.turn) break;
      finishOpenText();
      out.push({ kind: "askUserInput", request: msg });
      break;
    case "guardian_review_started":
      if (!s.turn) break;
      notify(AR.autoApprovalReviewStarted, reviewStarted(s.reviews, msg, { threadId, turnId, nowMs }));
      break;
    case "guardian_review_completed":
      if (!s.turn) break;
      notify(AR.autoApprovalReviewCompleted, reviewCompleted(s.reviews, msg, { threadId, turnId, nowMs }));
      break;
    case "collab_tool_call_begin":
      if (!s.turn) break;
      finishOpenText();
      if (showsAtBegin(msg)) start(collabItem(msg));
      break;
    case "collab_tool_call_end": {
      if (!s.turn) break;
      complete(agentActivity(msg) ?? collabItem(msg));
      break;
    }
    case "web_search_end":
      if (!s.turn) break;
      complete({ type: "webSearch", id: msg.callId, query: msg.query, action: webAction(msg.action) });
      break;
    case "view_image":
      if (!s.turn) break;
      complete({ type: "imageView", id: msg.callId, path: msg.path });
      break;
    case "context_compacted":
      if (!s.turn) break;
      complete({ type: "contextCompaction", id: newId("compact") });
      notify(N.threadCompacted, { threadId, turnId });
      break;
    case "token_count":
      if (msg.contextWindow !== undefined) s.contextWindow = msg.contextWindow;
      if (!s.turn) break;
      notify(N.threadTokenUsageUpdated, {
        threadId,
        turnId,
        tokenUsage: { total: usageWire(msg.total), last: usageWire(msg.last), modelContextWindow: s.contextWindow },
      });
      break;
    case "stream_error":
      if (!s.turn) break;
      notify(N.error, {
        error: { message: msg.message, codexErrorInfo: { responseStreamDisconnected: { httpStatusCode: null } }, additionalDetails: null },
        willRetry: true,
        threadId,
        turnId,
      });
      break;
    case "warning":
      notify(N.warning, { threadId, message: msg.message });
      break;
    case "hook_started":
      notify(N.hookStarted, { threadId, turnId: msg.run.turnId, run: hookRunWire(msg.run) });
      break;
    case "hook_completed":
      notify(N.hookCompleted, { threadId, turnId: msg.run.turnId, run: hookRunWire(msg.run) });
      break;
    case "task_complete":
      endTurn("completed", null);
      break;
    case "turn_failed": {
      const error = turnErrorWire(msg.error);
      if (s.turn) notify(N.error, { error, willRetry: false, threadId, turnId });
      endTurn("failed", error);
      break;
    }
    case "turn_aborted":
      endTurn("interrupted", null);
      break;
    case "thread_rolled_back": {
      // Replaying a rollout: the last user turns were dropped from the thread.
      let left = msg.numTurns;
      for (let i = s.turns.length - 1; i >= 0 && left > 0; i--) {
        const isUserTurn = s.turns[i]!.items.some((item) => item.type === "userMessage");
        s.turns.splice(i, 1);
        if (isUserTurn) left--;
      }
      break;
    }
    default:
      break;
  }
  return out;
}

/** A patch the person declined: core reports no apply for it, so its open item ends `declined` here. */
export function declinePatch(s: MapperState, callId: string, nowMs: number): Out[] {
  const item = s.open.get(callId);
  if (!item || item.type !== "fileChange" || !s.turn) return [];
  s.open.delete(callId);
  const done = { ...item, status: "declined" as const, completedAtMs: nowMs };
  s.turn.items.push(done);
  return [{ kind: "notify", def: N.itemCompleted, params: { item: done, threadId: s.threadId, turnId: s.turn.id, contentTokenCount: null, completedAtMs: nowMs } }];
}

function agentMessage(id: string, text: string): ThreadItem {
  return { type: "agentMessage", id, text, phase: null, moderation: null, memoryCitation: null, delivery: null, questions: null };
}

function commandItem(id: string, command: string, cwd: string): Extract<ThreadItem, { type: "commandExecution" }> {
  return {
    type: "commandExecution",
    id,
    pluginId: null,
    scriptPath: null,
    command,
    cwd,
    processId: null,
    source: "agent",
    status: "inProgress",
    commandActions: [{ type: "unknown", command }],
    aggregatedOutput: null,
    exitCode: null,
    durationMs: null,
  };
}

function mcpItem(id: string, server: string, tool: string, args: unknown): Extract<ThreadItem, { type: "mcpToolCall" }> {
  return {
    type: "mcpToolCall",
    id,
    server,
    tool,
    status: "inProgress",
    arguments: args ?? null,
    appContext: null,
    mcpAppUi: null,
    pluginId: null,
    readOnlyHint: null,
    result: null,
    error: null,
    durationMs: null,
  };
}

function webAction(action: Record<string, unknown>): Extract<ThreadItem, { type: "webSearch" }>["action"] {
  const str = (v: unknown) => (typeof v === "string" ? v : null);
  switch (action.type) {
    case "search":
      return { type: "search", query: str(action.query), queries: Array.isArray(action.queries) ? action.queries.map(String) : null };
    case "open_page":
      return { type: "openPage", url: str(action.url) };
    case "find_in_page":
      return { type: "findInPage", url: str(action.url), pattern: str(action.pattern) };
    default:
      return { type: "other" };
  }
}
