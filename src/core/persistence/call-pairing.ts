import { isToolSearchView, type ResponseItem } from "../../protocol/items.js";

// The Responses API refuses an input in which a tool call has no output ("No tool output found for
// function call <id>.") or an output has no call. A crash (kill -9, power loss) between journaling
// a call and journaling its output leaves exactly that behind, so every history we rebuild or send
// goes through `pairToolCalls`: a call without an output gets Codex's "aborted" output, placed right
// after the response items the call came with; an output whose call is gone is dropped.

/** The output text Codex records for a call that was cut off before it produced one. */
export const ABORTED_OUTPUT = "aborted";

type OutputType = "function_call_output" | "custom_tool_call_output" | "tool_search_output";

/** The output type that answers `item` when it is a tool call (local_shell_call answers as a function output). */
function outputTypeFor(item: ResponseItem): OutputType | null {
  if (isToolSearchView(item)) return "tool_search_output";
  if (item.type === "tool_search_call" && (item as { execution?: unknown }).execution !== "server") return "tool_search_output";
  if (item.type === "function_call" || item.type === "local_shell_call") return "function_call_output";
  if (item.type === "custom_tool_call") return "custom_tool_call_output";
  return null;
}

function callIdOf(item: ResponseItem): string | null {
  const id = (item as { call_id?: unknown }).call_id;
  return typeof id === "string" && id !== "" ? id : null;
}

/** The output item answering a call of `call`'s kind with `text`. */
export function outputForCall(call: ResponseItem, text: string): ResponseItem {
  const callId = callIdOf(call) ?? "";
  // A cut-off tool search found nothing.
  if (outputTypeFor(call) === "tool_search_output") {
    return { type: "tool_search_output", call_id: callId, status: "completed", execution: "client", tools: [] };
  }
  return outputTypeFor(call) === "custom_tool_call_output"
    ? { type: "custom_tool_call_output", call_id: callId, output: text }
    : { type: "function_call_output", call_id: callId, output: text };
}

/** Items a model response consists of; a cut-off call's output goes after the last of its run. */
function isResponseOutput(item: ResponseItem): boolean {
  if (outputTypeFor(item) !== null) return true;
  if (item.type === "reasoning" || item.type === "web_search_call") return true;
  return item.type === "message" && (item as { role?: unknown }).role === "assistant";
}

/**
 * `items` with every tool call paired with exactly the output kind the API expects. Returns the
 * same array when nothing had to change (the common case), so callers may use it on every request.
 * `leaveOpen`: calls still waiting for a person's approval (a rebuilt history keeps them unanswered,
 * to ask again); a request never passes it, so what is sent is always paired.
 */
export function pairToolCalls(items: readonly ResponseItem[], options: { leaveOpen?: ReadonlySet<string> } = {}): readonly ResponseItem[] {
  const outputs = { function_call_output: new Set<string>(), custom_tool_call_output: new Set<string>(), tool_search_output: new Set<string>() };
  const calls = { function_call_output: new Set<string>(), custom_tool_call_output: new Set<string>(), tool_search_output: new Set<string>() };
  for (const item of items) {
    const id = callIdOf(item);
    if (id === null) continue;
    if (isOutputItem(item)) outputs[item.type as OutputType].add(id);
    const answeredBy = outputTypeFor(item);
    if (answeredBy) calls[answeredBy].add(id);
  }
  // Where each missing output goes: after the run of response items that holds its call.
  const inserts = new Map<number, ResponseItem[]>();
  let orphans = false;
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    const id = callIdOf(item);
    if (id === null) continue;
    if (isOutputItem(item) && !calls[item.type as OutputType].has(id)) {
      orphans = true;
      continue;
    }
    const answeredBy = outputTypeFor(item);
    if (answeredBy === null || outputs[answeredBy].has(id) || options.leaveOpen?.has(id)) continue;
    let end = i;
    while (end + 1 < items.length && isResponseOutput(items[end + 1]!)) end++;
    const list = inserts.get(end) ?? [];
    list.push(outputForCall(item, ABORTED_OUTPUT));
    inserts.set(end, list);
    outputs[answeredBy].add(id);
  }
  if (inserts.size === 0 && !orphans) return items;
  const out: ResponseItem[] = [];
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    const id = callIdOf(item);
    const orphan =
      id !== null && isOutputItem(item) && !calls[item.type as OutputType].has(id);
    if (!orphan) out.push(item);
    const added = inserts.get(i);
    if (added) out.push(...added);
  }
  return out;
}

function isOutputItem(item: ResponseItem): boolean {
  return item.type === "function_call_output" || item.type === "custom_tool_call_output" || item.type === "tool_search_output";
}
