import type { EventMsg, FileChangeSummary } from "../../protocol/events.js";
import { emptyUsage, type TokenUsage } from "../../protocol/items.js";

// The one translation between a thread's events (EventMsg, camelCase) and the `event_msg` payloads of a
// rollout file, which is a public contract: the reference Codex and third-party viewers read it. An event the
// reference also has is written in its shape (its type name and field names); the rest get snake_case field
// names. Only top-level fields (and the few nested records we own) are renamed: tool arguments, MCP results,
// paths used as keys and other user data pass through untouched. Reading accepts both this form and the
// camelCase payloads earlier versions wrote, and passes unknown event types (the reference's own) through.

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
  turn_failed: ["error"],
  hook_started: ["run"],
  hook_completed: ["run"],
  collab_tool_call_end: ["receiverAgents"],
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
const durationOf = (ms: number): { secs: number; nanos: number } => ({ secs: Math.floor(ms / 1000), nanos: (ms % 1000) * 1_000_000 });
const msOf = (d: unknown): number => {
  const { secs, nanos } = (d ?? {}) as { secs?: unknown; nanos?: unknown };
  return (typeof secs === "number" ? secs * 1000 : 0) + (typeof nanos === "number" ? Math.round(nanos / 1_000_000) : 0);
};

/** Our change list as the reference's map (path -> {type, unified_diff, move_path}); a list when a path repeats. */
function changesOut(changes: readonly FileChangeSummary[]): unknown {
  if (new Set(changes.map((c) => c.path)).size !== changes.length) return changes.map((c) => renameKeys(c, snake));
  const out: Payload = {};
  for (const c of changes) out[c.path] = renameKeys({ type: c.kind, unifiedDiff: c.unifiedDiff, movePath: c.movedFrom }, snake);
  return out;
}

function changesIn(value: unknown): FileChangeSummary[] {
  if (Array.isArray(value)) return value.map((c) => renameKeys(c, camel) as unknown as FileChangeSummary);
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value as Record<string, Payload>).map(([path, c]) => {
    const change: FileChangeSummary = { path, kind: c.type as FileChangeSummary["kind"] };
    if (typeof c.move_path === "string") change.movedFrom = c.move_path;
    if (typeof c.unified_diff === "string") change.unifiedDiff = c.unified_diff;
    return change;
  });
}

const usageIn = (u: unknown): TokenUsage => {
  const v = (u ?? {}) as Partial<TokenUsage>;
  const base = emptyUsage();
  for (const k of Object.keys(base) as Array<keyof TokenUsage>) if (typeof v[k] === "number") base[k] = v[k];
  return base;
};

/** A new encoder for one rollout file; `now` dates the reference's turn timestamps. */
export function createRolloutEventEncoder(o: { now: () => Date }): RolloutEventEncoder {
  let turn: { id: string; startedAtMs: number } | null = null;
  const turnId = (): Payload => (turn ? { turn_id: turn.id } : {});
  return {
    encode(msg) {
      const out = encodeEvent(msg, { turnId, now: o.now, turnStart: () => turn });
      if (msg.type === "task_started") turn = { id: msg.turnId, startedAtMs: o.now().getTime() };
      else if (msg.type === "task_complete" || msg.type === "turn_failed" || msg.type === "turn_aborted") turn = null;
      return out;
    },
  };
}

interface EncodeContext {
  turnId: () => Payload;
  now: () => Date;
  turnStart: () => { id: string; startedAtMs: number } | null;
}

function encodeEvent(msg: EventMsg, ctx: EncodeContext): Payload {
  switch (msg.type) {
    case "task_started":
      return { type: msg.type, turn_id: msg.turnId, started_at: epochSeconds(ctx.now().getTime()) };
    case "task_complete": {
      const end = ctx.now().getTime();
      const start = ctx.turnStart();
      const timing = start && start.id === msg.turnId ? { started_at: epochSeconds(start.startedAtMs), duration_ms: end - start.startedAtMs } : {};
      return { type: msg.type, turn_id: msg.turnId, last_agent_message: msg.lastAgentMessage, ...timing, completed_at: epochSeconds(end) };
    }
    case "user_message":
      return { type: msg.type, message: msg.message, images: msg.images, local_images: [], text_elements: [] };
    case "agent_message":
      return { type: msg.type, message: msg.message, phase: null, ...(msg.itemId !== undefined ? { item_id: msg.itemId } : {}) };
    case "token_count": {
      if (!("total" in msg)) return msg as unknown as Payload; // the reference's `info: null`, read back for a fork
      const info = {
        total_token_usage: msg.total,
        last_token_usage: msg.last,
        ...(msg.contextWindow !== undefined ? { model_context_window: msg.contextWindow } : {}),
      };
      return { type: msg.type, info, rate_limits: null };
    }
    case "exec_command_end":
      // The reference's command is an argv; ours is one display line (kept whole, and as command_line).
      return {
        type: msg.type,
        call_id: msg.callId,
        ...ctx.turnId(),
        command: [msg.command],
        command_line: msg.command,
        source: msg.source ?? "agent",
        stdout: "",
        stderr: "",
        aggregated_output: msg.aggregatedOutput,
        exit_code: msg.exitCode,
        duration: durationOf(msg.durationMs),
        formatted_output: "",
        status: msg.status,
      };
    case "patch_apply_end":
      return {
        type: msg.type,
        call_id: msg.callId,
        ...ctx.turnId(),
        stdout: msg.output,
        stderr: "",
        success: msg.success,
        changes: changesOut(msg.changes),
        status: msg.success ? "completed" : "failed",
        diff: msg.diff,
      };
    case "apply_patch_approval_request":
      return { type: msg.type, call_id: msg.callId, ...ctx.turnId(), changes: changesOut(msg.changes), ...(msg.reason !== undefined ? { reason: msg.reason } : {}) };
    case "mcp_tool_call_end": {
      const ok = msg.result === undefined ? undefined : { ...msg.result, ...(msg.isError !== undefined ? { is_error: msg.isError } : {}) };
      return {
        type: msg.type,
        call_id: msg.callId,
        invocation: { server: msg.server, tool: msg.tool, arguments: msg.arguments },
        ...(ok !== undefined ? { result: { Ok: ok } } : msg.error !== undefined ? { result: { Err: msg.error } } : {}),
        ...(ok !== undefined && msg.error !== undefined ? { error: msg.error } : {}),
        ...(ok === undefined && msg.isError !== undefined ? { is_error: msg.isError } : {}),
      };
    }
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
      return { type, turnId: str("turn_id"), lastAgentMessage: typeof payload.last_agent_message === "string" ? payload.last_agent_message : null };
    case "user_message":
      return { type, message: str("message"), images: Array.isArray(payload.images) ? (payload.images as string[]) : [] };
    case "agent_message":
      return { type, message: str("message"), ...(typeof payload.item_id === "string" ? { itemId: payload.item_id } : {}) };
    case "token_count": {
      // An older form ({total, last}) or the reference's first count of a turn (`info: null`) is kept as read.
      if (payload.info === null || typeof payload.info !== "object") return payload as unknown as EventMsg;
      const info = (payload.info ?? {}) as { total_token_usage?: unknown; last_token_usage?: unknown; model_context_window?: unknown };
      const window = typeof info.model_context_window === "number" ? { contextWindow: info.model_context_window } : {};
      return { type, total: usageIn(info.total_token_usage), last: usageIn(info.last_token_usage), ...window };
    }
    case "exec_command_end": {
      const argv = Array.isArray(payload.command) ? (payload.command as string[]) : [];
      const source = payload.source === "user_shell" ? { source: "user_shell" as const } : {};
      return {
        type,
        callId: str("call_id"),
        command: typeof payload.command_line === "string" ? payload.command_line : argv.join(" "),
        exitCode: typeof payload.exit_code === "number" ? payload.exit_code : null,
        aggregatedOutput: str("aggregated_output"),
        status: payload.status as "completed" | "failed" | "declined",
        durationMs: msOf(payload.duration),
        ...source,
      };
    }
    case "patch_apply_end":
      return { type, callId: str("call_id"), changes: changesIn(payload.changes), success: payload.success === true, diff: str("diff"), output: str("stdout") };
    case "apply_patch_approval_request":
      return { type, callId: str("call_id"), changes: changesIn(payload.changes), ...(typeof payload.reason === "string" ? { reason: payload.reason } : {}) };
    case "mcp_tool_call_end":
      return mcpEndIn(payload);
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
  "agent_reasoning",
  "plan_update",
  "turn_failed",
  "turn_aborted",
  "web_search_end",
  "context_compacted",
  "hook_started",
  "hook_completed",
  "collab_tool_call_end",
  "guardian_review_completed",
  "request_user_input",
  "exec_approval_request",
  "mcp_tool_call_approval_request",
  "approval_answered",
  "user_input_answered",
  "thread_rolled_back",
]);

/** Our events that carry their turn themselves (the rest get it from the encoder, for the reference only). */
const KEEPS_TURN = new Set<string>(["turn_failed", "turn_aborted", "request_user_input"]);

function mcpEndIn(p: Payload): EventMsg {
  const inv = (p.invocation ?? {}) as { server?: unknown; tool?: unknown; arguments?: unknown };
  const result = (p.result ?? {}) as { Ok?: Payload; Err?: unknown };
  const out: Extract<EventMsg, { type: "mcp_tool_call_end" }> = {
    type: "mcp_tool_call_end",
    callId: typeof p.call_id === "string" ? p.call_id : "",
    server: typeof inv.server === "string" ? inv.server : "",
    tool: typeof inv.tool === "string" ? inv.tool : "",
    arguments: inv.arguments,
  };
  if (result.Ok !== undefined) {
    const { is_error: isError, ...rest } = result.Ok;
    out.result = rest as { content: unknown[]; structured_content?: unknown };
    if (typeof isError === "boolean") out.isError = isError;
  }
  const error = typeof result.Err === "string" ? result.Err : typeof p.error === "string" ? p.error : undefined;
  if (error !== undefined) out.error = error;
  if (typeof p.is_error === "boolean") out.isError = p.is_error;
  return out;
}
