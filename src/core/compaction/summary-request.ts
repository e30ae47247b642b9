import type { ResponseItem } from "../../protocol/items.js";
import { estimateTokens } from "./estimate.js";
import { DROPPED_OUTPUT_MARKER, SUMMARY_INSTRUCTION } from "./summary-text.js";

const OUTPUT_TYPES = new Set(["function_call_output", "custom_tool_call_output"]);

/**
 * The input of the summarization request: the history plus our instruction. When it would not
 * fit in `budget` tokens, the oldest tool outputs are replaced by a short marker, one by one,
 * until it does (or none is left); the calls stay, so every call still has its output.
 */
export function summaryRequestInput(history: readonly ResponseItem[], budget: number): { input: ResponseItem[]; dropped: number } {
  const instruction: ResponseItem = { type: "message", role: "user", content: [{ type: "input_text", text: SUMMARY_INSTRUCTION }] };
  const input = [...history, instruction];
  let total = estimateTokens(input);
  let dropped = 0;
  for (let i = 0; i < input.length - 1 && total > budget; i++) {
    const item = input[i]!;
    if (!OUTPUT_TYPES.has(item.type)) continue;
    const marked = { ...item, output: DROPPED_OUTPUT_MARKER } as ResponseItem;
    const saved = estimateTokens([item]) - estimateTokens([marked]);
    if (saved <= 0) continue;
    input[i] = marked;
    total -= saved;
    dropped++;
  }
  return { input, dropped };
}
