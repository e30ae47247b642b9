import { randomUUID } from "node:crypto";
import type { EventMsg, TurnError } from "../../protocol/events.js";
import { emptyUsage, type TokenUsage } from "../../protocol/items.js";
import { changesIn, changesOut, eventOfItem, itemCompletedOf, ITEM_EVENTS, type ItemEvent } from "./event-codec-items.js";

// The one translation between a thread's events (EventMsg, camelCase) and the `event_msg` payloads of a
// rollout file, which is a public contract: the reference Codex and third-party viewers read it. An event the
// reference also journals is written in its 0.169 shape: task_started, task_complete (with `error` for a failed
// turn), turn_aborted, token_count, and item_completed for messages, reasoning, tool calls and compactions
// (event-codec-items.ts). One it has only in its protocol keeps its type and field names (exec_approval_request,
// request_user_input, ...); ours alone get snake_case field names. Only top-level fields (and the few nested
// records we own) are renamed: tool arguments, MCP results, paths used as keys and other user data pass through
// untouched. Reading accepts both this form and the camelCase payloads earlier versions wrote, and passes
// unknown event types and item kinds (the reference's own) through as read.

type Payload = Record<string, unknown>;

/** Per-file state of the writer: the running turn, for events the reference stamps with it. */
export interface RolloutEventEncoder {
  encode(msg: EventMsg): Payload;
}

const snake = (key: string): string => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const camel = (key: string): string => key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** Renames an object's own keys (one level); values are kept as they are. Undefined values are dropped. */
function renameKeys(value: unknown, rename: (key: string) => string): Payload {
  const out: Payload = {};
  for (const [k, v] of Object.entries(value as Payload)) if (v !== undefined) out[rename(k)] = v;
  return out;
}

/** Nested records of ours whose keys are renamed too (one more level; arrays element-wise). */
const NESTED: Partial<Record<EventMsg["type"], readonly string[]>> = {
  hook_started: ["run"],
  hook_completed: ["run"],
};

function renameNested(msg: Payload, keys: readonly string[] | undefined, rename: (key: string) => string, top: (key: string) => string): Payload {
  const out = renameKeys(msg, top);
  for (const key of keys ?? []) {
    const name = top(key);
    const v = out[name];
    if (Array.isArray(v)) out[name] = v.map((e) => (e !== null && typeof e === "object" ? renameKeys(e, rename) : e));
    else if (v !== null && typeof v === "object") out[name] = renameKeys(v, rename);
  }
  return out;
}

const toSnake = (msg: Payload, type: EventMsg["type"]): Payload => renameNested(msg, NESTED[type], snake, snake);
const toCamel = (p: Payload, type: EventMsg["type"]): Payload => renameNested(p, NESTED[type]?.map(snake), camel, camel);

const epochSeconds = (ms: number): number => Math.floor(ms / 1000);

const usageIn = (u: unknown): TokenUsage => {
  const v = (u ?? {}) as Partial<TokenUsage>;
  const base = emptyUsage();
  for (const k of Object.keys(base) as Array<keyof TokenUsage>) if (typeof v[k] === "number") base[k] = v[k];
  return base;
};

/** A new encoder for one rollout file (of thread `threadId`); `now` dates the reference's timestamps. */
export function createRolloutEventEncoder(o: { threadId: string; now: () => Date; newId?: () => string }): RolloutEventEncoder {
  let turn: { id: string; startedAtMs: number } | null = null;
  const newId = o.newId ?? randomUUID;
  return {
    encode(msg) {
      const nowMs = o.now().getTime();
      const out = ITEM_EVENTS.has(msg.type)
        ? itemCompletedOf(msg as ItemEvent, { threadId: o.threadId, turnId: turn?.id ?? "", nowMs, newId })
        : encodeEvent(msg, { turnId: () => (turn ? { turn_id: turn.id } : {}), nowMs, turn });
      if (msg.type === "task_started") turn = { id: msg.turnId, startedAtMs: nowMs };
      else if (msg.type === "task_complete" || msg.type === "turn_failed" || msg.type === "turn_aborted") turn = null;
      return out;
    },
  };
}

interface EncodeContext {
  turnId: () => Payload;
  nowMs: number;
  turn: { id: string; startedAtMs: number } | null;
}

/** The reference's end of a turn: when it started, ended and how long it took. */
function timing(turnId: string, ctx: EncodeContext): Payload {
  const start = ctx.turn && ctx.turn.id === turnId ? { started_at: epochSeconds(ctx.turn.startedAtMs), duration_ms: ctx.nowMs - ctx.turn.startedAtMs } : {};
  return { ...start, completed_at: epochSeconds(ctx.nowMs) };
}

function encodeEvent(msg: EventMsg, ctx: EncodeContext): Payload {
  switch (msg.type) {
    case "task_started":
      return { type: msg.type, turn_id: msg.turnId, started_at: epochSeconds(ctx.nowMs) };
    case "task_complete":
      return { type: msg.type, turn_id: msg.turnId, last_agent_message: msg.lastAgentMessage, ...timing(msg.turnId, ctx) };
    case "turn_aborted":
      return { type: msg.type, turn_id: msg.turnId, reason: msg.reason, ...timing(msg.turnId, ctx) };
    case "turn_failed":
      // The reference ends a failed turn with task_complete and its error; our kind rides along.
      return { type: "task_complete", turn_id: msg.turnId, last_agent_message: null, error: errorOut(msg.error), ...timing(msg.turnId, ctx) };
    case "token_count": {
      if (!("total" in msg)) return msg as unknown as Payload; // the reference's `info: null`, read back for a fork
      const info = {
        total_token_usage: msg.total,
        last_token_usage: msg.last,
        ...(msg.contextWindow !== undefined ? { model_context_window: msg.contextWindow } : {}),
      };
      return { type: msg.type, info, rate_limits: null };
    }
    case "apply_patch_approval_request":
      return { type: msg.type, call_id: msg.callId, ...ctx.turnId(), changes: changesOut(msg.changes), ...(msg.reason !== undefined ? { reason: msg.reason } : {}) };
    case "hook_started":
    case "hook_completed":
      return { ...toSnake(msg as unknown as Payload, msg.type), turn_id: msg.run.turnId };
    case "exec_approval_request":
    case "mcp_tool_call_approval_request":
    case "request_user_input": {
      const out = toSnake(msg as unknown as Payload, msg.type);
      return "turn_id" in out ? out : { ...out, ...ctx.turnId() };
    }
    default:
      // An event we do not translate (a reference payload read back for a fork, say) is written as it is.
      return RENAMED.has(msg.type) ? toSnake(msg as unknown as Payload, msg.type) : (msg as unknown as Payload);
  }
}

/** Any top-level camelCase key: a payload an earlier version of ours wrote (read as it was). */
const isOldForm = (p: Payload): boolean => Object.keys(p).some((k) => /[A-Z]/.test(k));

/** The event a rollout's `event_msg` payload holds; unknown types are returned unchanged. */
export function fromRolloutEvent(payload: Payload): EventMsg {
  const type = payload.type as EventMsg["type"];
  if (typeof payload.type !== "string" || isOldForm(payload)) return payload as unknown as EventMsg;
  const str = (k: string): string => (typeof payload[k] === "string" ? (payload[k] as string) : "");
  switch (type) {
    case "task_started":
      return { type, turnId: str("turn_id") };
    case "task_complete":
      if (payload.error !== null && typeof payload.error === "object") return { type: "turn_failed", turnId: str("turn_id"), error: errorIn(payload.error as Payload) };
      return { type, turnId: str("turn_id"), lastAgentMessage: typeof payload.last_agent_message === "string" ? payload.last_agent_message : null };
    case "turn_aborted":
      return { type, turnId: str("turn_id"), reason: payload.reason === "replaced" ? "replaced" : "interrupted" };
    case "item_completed" as EventMsg["type"]:
      return eventOfItem(payload) ?? (payload as unknown as EventMsg);
    case "token_count": {
      // An older form ({total, last}) or the reference's first count of a turn (`info: null`) is kept as read.
      if (payload.info === null || typeof payload.info !== "object") return payload as unknown as EventMsg;
      const info = (payload.info ?? {}) as { total_token_usage?: unknown; last_token_usage?: unknown; model_context_window?: unknown };
      const window = typeof info.model_context_window === "number" ? { contextWindow: info.model_context_window } : {};
      return { type, total: usageIn(info.total_token_usage), last: usageIn(info.last_token_usage), ...window };
    }
    case "apply_patch_approval_request":
      return { type, callId: str("call_id"), changes: changesIn(payload.changes), ...(typeof payload.reason === "string" ? { reason: payload.reason } : {}) };
    default: {
      if (!RENAMED.has(type)) return payload as unknown as EventMsg;
      const out = toCamel(payload, type);
      if (!KEEPS_TURN.has(type)) delete out.turnId;
      return out as unknown as EventMsg;
    }
  }
}

/** Our journaled events whose fields are only renamed (snake_case on disk). Others pass through as read. */
const RENAMED = new Set<string>([
  "plan_update",
  "web_search_end",
  "hook_started",
  "hook_completed",
  "guardian_review_completed",
  "request_user_input",
  "exec_approval_request",
  "mcp_tool_call_approval_request",
  "approval_answered",
  "user_input_answered",
  "thread_rolled_back",
]);

/** Our events that carry their turn themselves (the rest get it from the encoder, for the reference only). */
const KEEPS_TURN = new Set<string>(["request_user_input"]);

/** The reference's `{message, codex_error_info}`; our kind and HTTP facts in snake_case beside it. */
function errorOut(e: TurnError): Payload {
  return {
    message: e.message,
    codex_error_info: "other",
    kind: e.kind,
    ...(e.httpStatus !== undefined ? { http_status: e.httpStatus } : {}),
    ...(e.retryAfterMs !== undefined ? { retry_after_ms: e.retryAfterMs } : {}),
  };
}

function errorIn(e: Payload): TurnError {
  const out: TurnError = {
    kind: (typeof e.kind === "string" ? e.kind : "internal") as TurnError["kind"],
    message: typeof e.message === "string" ? e.message : "",
  };
  if (typeof e.http_status === "number") out.httpStatus = e.http_status;
  if (typeof e.retry_after_ms === "number") out.retryAfterMs = e.retry_after_ms;
  return out;
}
