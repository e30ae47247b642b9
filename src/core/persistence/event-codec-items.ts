import { fileURLToPath, pathToFileURL } from "node:url";
import type { EventMsg, FileChangeSummary, SpawnedAgentSettings } from "../../protocol/events.js";

// The events the reference 0.169 journals as `item_completed {thread_id, turn_id, item, started_at_ms,
// completed_at_ms}`: a person's and the model's messages, reasoning, commands, file changes, web searches, MCP
// and sub-agent tool calls, compactions. Its item shapes (`UserMessage`, `AgentMessage`, `Reasoning`,
// `CommandExecution`, `FileChange`, `WebSearch`, `McpToolCall`, `CollabAgentToolCall`, `ContextCompaction`)
// were recorded from the reference binary (test/fixtures/rollout-reference/). Fields of ours the reference has
// no place for ride along in snake_case (`command_line`, `diff`, `prompt`, `spawned_with`, `trigger`), so reading one back
// gives the same event.

type Payload = Record<string, unknown>;

export type ItemEvent = Extract<
  EventMsg,
  { type: "user_message" | "agent_message" | "agent_reasoning" | "exec_command_end" | "patch_apply_end" | "web_search_end" | "mcp_tool_call_end" | "collab_tool_call_end" | "context_compacted" }
>;

export const ITEM_EVENTS = new Set<string>([
  "user_message",
  "agent_message",
  "agent_reasoning",
  "exec_command_end",
  "patch_apply_end",
  "web_search_end",
  "mcp_tool_call_end",
  "collab_tool_call_end",
  "context_compacted",
]);

export interface ItemContext {
  threadId: string;
  turnId: string;
  nowMs: number;
  newId: () => string;
}

const durationOf = (ms: number): { secs: number; nanos: number } => ({ secs: Math.floor(ms / 1000), nanos: Math.round((ms % 1000) * 1_000_000) });
const msOf = (d: unknown): number => {
  const { secs, nanos } = (d ?? {}) as { secs?: unknown; nanos?: unknown };
  return (typeof secs === "number" ? secs * 1000 : 0) + (typeof nanos === "number" ? nanos / 1_000_000 : 0);
};

/** Our change list as the reference's map (path -> {type, unified_diff, move_path}); a list when a path repeats. */
export function changesOut(changes: readonly FileChangeSummary[]): unknown {
  const entry = (c: FileChangeSummary): Payload => ({
    type: c.kind,
    // The reference keeps an added or deleted file's content; we keep the diff only.
    ...(c.kind === "update" ? {} : { content: "" }),
    ...(c.unifiedDiff !== undefined ? { unified_diff: c.unifiedDiff } : {}),
    ...(c.movedFrom !== undefined ? { move_path: c.movedFrom } : {}),
  });
  if (new Set(changes.map((c) => c.path)).size !== changes.length) return changes.map((c) => ({ path: c.path, ...entry(c) }));
  return Object.fromEntries(changes.map((c) => [c.path, entry(c)]));
}

export function changesIn(value: unknown): FileChangeSummary[] {
  const one = (path: string, c: Payload): FileChangeSummary => {
    const change: FileChangeSummary = { path, kind: c.type as FileChangeSummary["kind"] };
    if (typeof c.move_path === "string") change.movedFrom = c.move_path;
    if (typeof c.unified_diff === "string") change.unifiedDiff = c.unified_diff;
    return change;
  };
  if (Array.isArray(value)) return (value as Payload[]).map((c) => one(String(c.path), c));
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value as Record<string, Payload>).map(([path, c]) => one(path, c));
}

const asFileUrl = (path: string): string => (path.startsWith("/") ? pathToFileURL(path).href : path);
const fromFileUrl = (value: unknown): string | undefined => {
  if (typeof value !== "string") return undefined;
  try {
    return value.startsWith("file:") ? fileURLToPath(value) : value;
  } catch {
    return value;
  }
};

function itemOf(msg: ItemEvent, ctx: ItemContext): Payload {
  switch (msg.type) {
    case "user_message": {
      const text = msg.message !== "" || msg.images.length === 0 ? [{ type: "text", text: msg.message, text_elements: [] }] : [];
      return { type: "UserMessage", id: ctx.newId(), content: [...text, ...msg.images.map((path) => ({ type: "local_image", path }))] };
    }
    case "agent_message":
      return { type: "AgentMessage", id: msg.itemId ?? ctx.newId(), content: [{ type: "Text", text: msg.message }] };
    case "agent_reasoning":
      return { type: "Reasoning", id: ctx.newId(), summary_text: [msg.text], raw_content: [] };
    case "exec_command_end":
      return {
        type: "CommandExecution",
        id: msg.callId,
        command: msg.argv ?? [msg.command],
        command_line: msg.command,
        ...(msg.cwd !== undefined ? { cwd: asFileUrl(msg.cwd) } : {}),
        parsed_cmd: [],
        source: msg.source ?? "agent",
        status: msg.status,
        aggregated_output: msg.aggregatedOutput,
        exit_code: msg.exitCode,
        duration: durationOf(msg.durationMs),
      };
    case "patch_apply_end":
      return {
        type: "FileChange",
        id: msg.callId,
        changes: changesOut(msg.changes),
        status: msg.success ? "completed" : "failed",
        stdout: msg.output,
        stderr: "",
        diff: msg.diff,
      };
    case "web_search_end":
      return { type: "WebSearch", id: msg.callId, query: msg.query, action: msg.action };
    case "mcp_tool_call_end":
      return mcpItemOf(msg);
    case "collab_tool_call_end":
      return {
        type: "CollabAgentToolCall",
        id: msg.callId,
        tool: msg.tool,
        status: msg.status,
        sender_thread_id: msg.senderThreadId,
        receiver_thread_ids: msg.receiverThreadIds,
        ...(msg.receiverAgents !== undefined ? { receiver_agents: msg.receiverAgents.map((a) => ({ thread_id: a.threadId, path: a.path })) } : {}),
        agents_states: msg.agentsStates,
        prompt: msg.prompt,
        ...(msg.spawnedWith !== undefined ? { spawned_with: { model: msg.spawnedWith.model, reasoning_effort: msg.spawnedWith.reasoningEffort } } : {}),
      };
    case "context_compacted":
      return { type: "ContextCompaction", id: ctx.newId(), trigger: msg.trigger, tokens_before: msg.tokensBefore, tokens_after: msg.tokensAfter };
  }
}

/** The MCP result as the server sent it (camelCase, as the reference keeps it); our failure message as `error`. */
function mcpItemOf(msg: Extract<EventMsg, { type: "mcp_tool_call_end" }>): Payload {
  const r = msg.result;
  const result =
    r === undefined
      ? null
      : {
          content: r.content,
          ...(r.structured_content !== undefined ? { structuredContent: r.structured_content } : {}),
          ...(msg.isError !== undefined ? { isError: msg.isError } : {}),
        };
  return {
    type: "McpToolCall",
    id: msg.callId,
    server: msg.server,
    tool: msg.tool,
    arguments: msg.arguments,
    status: msg.error !== undefined || msg.isError === true ? "failed" : "completed",
    result,
    ...(msg.error !== undefined ? { error: { message: msg.error } } : {}),
    // Said without a result to carry it (ours only).
    ...(r === undefined && msg.isError !== undefined ? { is_error: msg.isError } : {}),
  };
}

function mcpEventOf(item: Payload): ItemEvent {
  const out: Extract<EventMsg, { type: "mcp_tool_call_end" }> = {
    type: "mcp_tool_call_end",
    callId: typeof item.id === "string" ? item.id : "",
    server: typeof item.server === "string" ? item.server : "",
    tool: typeof item.tool === "string" ? item.tool : "",
    arguments: item.arguments,
  };
  const r = item.result as Payload | null | undefined;
  if (r !== null && typeof r === "object") {
    out.result = { content: Array.isArray(r.content) ? r.content : [], ...("structuredContent" in r ? { structured_content: r.structuredContent } : {}) };
    if (typeof r.isError === "boolean") out.isError = r.isError;
  }
  const e = item.error as { message?: unknown } | string | null | undefined;
  const error = typeof e === "string" ? e : typeof e?.message === "string" ? e.message : undefined;
  if (error !== undefined) out.error = error;
  if (typeof item.is_error === "boolean") out.isError = item.is_error;
  return out;
}

/** The reference's `item_completed` line for one of our item events. */
export function itemCompletedOf(msg: ItemEvent, ctx: ItemContext): Payload {
  const started = msg.type === "exec_command_end" ? Math.round(ctx.nowMs - msg.durationMs) : ctx.nowMs;
  return {
    type: "item_completed",
    thread_id: ctx.threadId,
    turn_id: ctx.turnId,
    item: itemOf(msg, ctx),
    started_at_ms: started,
    completed_at_ms: ctx.nowMs,
  };
}

const texts = (content: unknown, kind: string): string[] =>
  Array.isArray(content) ? (content as Payload[]).flatMap((c) => (c.type === kind && typeof c.text === "string" ? [c.text] : [])) : [];

/** Our event for an `item_completed` payload; null for an item kind we have no event for (kept as read). */
export function eventOfItem(payload: Payload): ItemEvent | null {
  const item = (payload.item ?? {}) as Payload;
  const str = (k: string): string => (typeof item[k] === "string" ? (item[k] as string) : "");
  switch (item.type) {
    case "UserMessage": {
      const content = Array.isArray(item.content) ? (item.content as Payload[]) : [];
      const images = content.flatMap((c) => (c.type === "local_image" && typeof c.path === "string" ? [c.path] : c.type === "image" && typeof c.image_url === "string" ? [c.image_url] : []));
      return { type: "user_message", message: texts(content, "text").join("\n\n"), images };
    }
    case "AgentMessage":
      return { type: "agent_message", message: texts(item.content, "Text").join(""), ...(typeof item.id === "string" ? { itemId: item.id } : {}) };
    case "Reasoning": {
      const summary = Array.isArray(item.summary_text) ? (item.summary_text as unknown[]).filter((t): t is string => typeof t === "string") : [];
      return { type: "agent_reasoning", text: summary.join("\n\n") };
    }
    case "CommandExecution": {
      const argv = Array.isArray(item.command) ? (item.command as unknown[]).filter((a): a is string => typeof a === "string") : [];
      const ours = typeof item.command_line === "string";
      const cwd = fromFileUrl(item.cwd);
      const status = item.status === "failed" || item.status === "declined" ? item.status : "completed";
      return {
        type: "exec_command_end",
        callId: str("id"),
        command: ours ? (item.command_line as string) : argv.join(" "),
        exitCode: typeof item.exit_code === "number" ? item.exit_code : null,
        aggregatedOutput: str("aggregated_output"),
        status,
        durationMs: msOf(item.duration),
        // An argv only when it is more than our one display line.
        ...(ours && argv.length === 1 && argv[0] === item.command_line ? {} : { argv }),
        ...(cwd !== undefined ? { cwd } : {}),
        ...(item.source === "user_shell" ? { source: "user_shell" as const } : {}),
      };
    }
    case "FileChange":
      return {
        type: "patch_apply_end",
        callId: str("id"),
        changes: changesIn(item.changes),
        success: item.status === "completed",
        diff: str("diff"),
        output: str("stdout"),
      };
    case "WebSearch":
      return {
        type: "web_search_end",
        callId: str("id"),
        query: str("query"),
        action: item.action !== null && typeof item.action === "object" ? (item.action as Record<string, unknown>) : {},
      };
    case "McpToolCall":
      return mcpEventOf(item);
    case "CollabAgentToolCall":
      return collabEventOf(item);
    case "ContextCompaction":
      return {
        type: "context_compacted",
        trigger: item.trigger === "manual" ? "manual" : "auto",
        tokensBefore: typeof item.tokens_before === "number" ? item.tokens_before : 0,
        tokensAfter: typeof item.tokens_after === "number" ? item.tokens_after : 0,
      };
    default:
      return null;
  }
}

function collabEventOf(item: Payload): ItemEvent {
  const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);
  const agents = Array.isArray(item.receiver_agents)
    ? { receiverAgents: (item.receiver_agents as Payload[]).map((a) => ({ threadId: String(a.thread_id ?? ""), path: String(a.path ?? "") })) }
    : {};
  return {
    type: "collab_tool_call_end",
    callId: typeof item.id === "string" ? item.id : "",
    tool: item.tool as Extract<EventMsg, { type: "collab_tool_call_end" }>["tool"],
    senderThreadId: typeof item.sender_thread_id === "string" ? item.sender_thread_id : "",
    receiverThreadIds: strings(item.receiver_thread_ids),
    prompt: typeof item.prompt === "string" ? item.prompt : null,
    agentsStates: (item.agents_states ?? {}) as Record<string, { status: string; message?: string }>,
    status: item.status === "failed" ? "failed" : "completed",
    ...agents,
    ...spawnedWithIn(item.spawned_with),
  };
}

function spawnedWithIn(v: unknown): { spawnedWith?: SpawnedAgentSettings } {
  if (v === null || typeof v !== "object") return {};
  const { model, reasoning_effort: effort } = v as Payload;
  return { spawnedWith: { model: typeof model === "string" ? model : "", reasoningEffort: typeof effort === "string" ? effort : null } };
}
