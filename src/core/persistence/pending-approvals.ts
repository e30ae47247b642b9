import { isToolCall, type ResponseItem, type ToolCallItem } from "../../protocol/items.js";
import type { RolloutLine } from "./contract.js";

// A tool call whose approval was still waiting for a person when the turn ended (an interrupt, a client
// that went away, a crash) is journaled as: the call, the approval request event, and no output. Such a
// call is asked again when the thread goes on (resume, next turn) instead of being answered "aborted".

/** The events that ask a person to approve a tool call (journaled before the person sees them). */
export const APPROVAL_REQUEST_EVENTS: ReadonlySet<string> = new Set([
  "exec_approval_request",
  "apply_patch_approval_request",
  "mcp_tool_call_approval_request",
]);

/** Call ids a rollout's lines show an approval was asked for and not answered after (`approval_answered`). */
export function askedCallIds(lines: readonly RolloutLine[]): Set<string> {
  const asked = new Set<string>();
  for (const line of lines) {
    if (line.type !== "event_msg") continue;
    const type = line.payload.type;
    if (type !== "approval_answered" && !APPROVAL_REQUEST_EVENTS.has(type)) continue;
    const id = (line.payload as { callId?: unknown }).callId;
    if (typeof id !== "string" || id === "") continue;
    if (type === "approval_answered") asked.delete(id);
    else asked.add(id);
  }
  return asked;
}

/** The tool calls of `history` that have no output yet and whose approval was asked (`asked`), in order. */
export function unansweredAskedCalls(history: readonly ResponseItem[], asked: ReadonlySet<string>): ToolCallItem[] {
  if (asked.size === 0) return [];
  const answered = new Set<string>();
  for (const item of history) {
    if (item.type === "function_call_output" || item.type === "custom_tool_call_output") answered.add(String((item as { call_id?: unknown }).call_id));
  }
  return history.filter((i): i is ToolCallItem => isToolCall(i) && asked.has(i.call_id) && !answered.has(i.call_id));
}
