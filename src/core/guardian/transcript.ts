import type { ResponseItem } from "../../protocol/items.js";
import type { ProposedAction } from "../approval/contract.js";
import { isInjectedContextMessage } from "../context/injected-context.js";

// The parent's conversation as the guardian reads it: numbered entries (person, agent, tool calls and
// results), all of it evidence; and the planned action as JSON.

const MAX_ENTRY_CHARS = 4_000;

const clip = (s: string): string => (s.length > MAX_ENTRY_CHARS ? `${s.slice(0, MAX_ENTRY_CHARS)}… [${s.length - MAX_ENTRY_CHARS} more characters]` : s);

function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content.map((c) => (typeof (c as { text?: unknown }).text === "string" ? (c as { text: string }).text : "")).join("");
}

/** One line per transcript entry worth judging by; null for items that carry no evidence (instructions, reasoning). */
export function transcriptEntry(item: ResponseItem): string | null {
  const it = item as Record<string, unknown>;
  switch (item.type) {
    case "message": {
      if (it.role === "developer" || it.role === "system") return null;
      const text = textOf(it.content).trim();
      // Injected context: the project's AGENTS.md is instructions the person stands behind; the rest is noise.
      if (isInjectedContextMessage(item)) return text.includes("AGENTS.md") ? `project instructions: ${clip(text)}` : null;
      if (!text) return null;
      return `${it.role === "user" ? "user" : "assistant"}: ${clip(text)}`;
    }
    case "function_call":
      return `tool ${String(it.name)} call: ${clip(String(it.arguments ?? ""))}`;
    case "custom_tool_call":
      return `tool ${String(it.name)} call: ${clip(String(it.input ?? ""))}`;
    case "function_call_output":
    case "custom_tool_call_output":
      return `tool result (${String(it.call_id)}): ${clip(textOf(it.output))}`;
    case "agent_message":
      return `message from ${String(it.author)} to ${String(it.recipient)}: ${clip(textOf(it.content))}`;
    default:
      return null;
  }
}

export function renderTranscript(items: readonly ResponseItem[], firstNumber: number): { text: string; count: number } {
  const lines: string[] = [];
  let n = firstNumber;
  for (const item of items) {
    const entry = transcriptEntry(item);
    if (entry === null) continue;
    lines.push(`[${n++}] ${entry}`);
  }
  return { text: lines.join("\n\n"), count: n - firstNumber };
}

export function plannedActionJson(action: ProposedAction, reason?: string): string {
  const why = reason ? { why_approval_is_needed: reason } : {};
  if (action.kind === "mcp") {
    const body = {
      tool: action.qualifiedName,
      mcp_server: action.server,
      mcp_tool: action.tool,
      arguments: action.arguments,
      ...(action.annotations ? { annotations: action.annotations } : {}),
      ...(action.description ? { tool_description: action.description } : {}),
      call_id: action.callId,
    };
    return JSON.stringify({ ...body, ...why }, null, 2);
  }
  const common = { call_id: action.callId, cwd: action.cwd, ...(action.justification ? { justification: action.justification } : {}) };
  const body =
    action.kind === "exec"
      ? {
          tool: "exec_command",
          command: action.argv,
          sandbox_permissions: action.escalated ? "require_escalated" : "use_default",
          ...(action.retryReason ? { retry_reason: action.retryReason } : {}),
          ...common,
        }
      : { tool: "apply_patch", files: action.paths, ...(action.changes ? { changes: action.changes } : {}), ...common };
  return JSON.stringify({ ...body, ...why }, null, 2);
}
