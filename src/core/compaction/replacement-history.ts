import type { ResponseItem } from "../../protocol/items.js";
import { userPromptText } from "../context/injected-context.js";
import { estimateTextTokens, estimateTokens } from "./estimate.js";
import { isSummaryText, summaryMessageText } from "./summary-text.js";

export interface ReplacementHistory {
  /** The new model-visible history. */
  items: ResponseItem[];
  /** `items` without the base instructions (kept in the rollout's session_meta). */
  journaled: ResponseItem[];
  /** The summary message's text (prefix + summary): the `compacted` line's `message`. */
  message: string;
  /** Estimated tokens of `items`. */
  tokens: number;
}

export interface ReplacementOptions {
  history: readonly ResponseItem[];
  summary: string;
  /** Token budget for the person's own messages, newest first; the one crossing it is cut. */
  userMessageBudget: number;
  baseInstructionsText?: string;
}

const TRUNCATED_MARKER = "\n[… earlier part of this message omitted]";

/**
 * The history after a compaction: the instructions and injected context (developer messages,
 * environment context, AGENTS.md), the person's own recent messages within the budget, then one
 * user message with our prefix and the summary. Tool calls, outputs, answers and earlier
 * summaries are gone (the new summary covers them).
 */
export function buildReplacementHistory(o: ReplacementOptions): ReplacementHistory {
  const context: ResponseItem[] = [];
  const prompts: Array<{ index: number; text: string; item: ResponseItem }> = [];
  o.history.forEach((item, index) => {
    if (item.type !== "message") return;
    const role = (item as { role?: unknown }).role;
    if (role === "developer" || role === "system") {
      context.push(item);
      return;
    }
    if (role !== "user") return;
    const text = userPromptText(item);
    if (text === null) context.push(item);
    else if (text !== "" && !isSummaryText(text)) prompts.push({ index, text, item });
  });

  const kept: ResponseItem[] = [];
  let remaining = o.userMessageBudget;
  for (let i = prompts.length - 1; i >= 0 && remaining > 0; i--) {
    const p = prompts[i]!;
    const tokens = estimateTextTokens(p.text);
    if (tokens <= remaining) {
      kept.unshift(p.item);
      remaining -= tokens;
      continue;
    }
    // The message crossing the budget keeps its first `remaining` tokens' worth of text.
    kept.unshift(userText(cutToTokens(p.text, remaining) + TRUNCATED_MARKER));
    remaining = 0;
  }

  const message = summaryMessageText(o.summary);
  const items = [...context, ...kept, userText(message)];
  const journaled = items.filter((item) => !isBaseInstructions(item, o.baseInstructionsText));
  return { items, journaled, message, tokens: estimateTokens(items) };
}

function userText(text: string): ResponseItem {
  return { type: "message", role: "user", content: [{ type: "input_text", text }] };
}

function cutToTokens(text: string, tokens: number): string {
  const bytes = Buffer.from(text, "utf8").subarray(0, tokens * 4);
  // Drop a partial multi-byte character at the cut.
  return bytes.toString("utf8").replace(/\uFFFD$/, "");
}

function isBaseInstructions(item: ResponseItem, text: string | undefined): boolean {
  if (text === undefined || item.type !== "message") return false;
  const first = (item.content as Array<{ text?: unknown }> | undefined)?.[0];
  return (item as { role?: unknown }).role === "developer" && first?.text === text;
}
