import { isToolCall, type ResponseItem, type ToolCallItem } from "../../protocol/items.js";
import type { RolloutLine } from "./contract.js";

// A tool call whose approval (or whose question to the person, request_user_input) was still waiting for a
// person when the turn ended (an interrupt, a client that went away, a crash) is journaled as: the call, the
// request event, and no output. Such a call is asked again when the thread goes on (resume, next turn)
// instead of being answered "aborted".

/** The events that ask a person about a tool call (journaled before the person sees them). */
export const APPROVAL_REQUEST_EVENTS: ReadonlySet<string> = new Set([
  "exec_approval_request",
  "apply_patch_approval_request",
  "mcp_tool_call_approval_request",
  "request_user_input",
]);

/** The journal-only events saying a person answered the request of their `callId`. */
const ANSWERED_EVENTS: ReadonlySet<string> = new Set(["approval_answered", "user_input_answered"]);

/** Call ids a rollout's lines show a person was asked about and did not answer after (ANSWERED_EVENTS). */
export function askedCallIds(lines: readonly RolloutLine[]): Set<string> {
  const asked = new Set<string>();
  for (const line of lines) {
    if (line.type !== "event_msg") continue;
    const type = line.payload.type;
    const answered = ANSWERED_EVENTS.has(type);
    if (!answered && !APPROVAL_REQUEST_EVENTS.has(type)) continue;
    const id = (line.payload as { callId?: unknown }).callId;
    if (typeof id !== "string" || id === "") continue;
    if (answered) asked.delete(id);
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
