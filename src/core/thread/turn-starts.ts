import type { ResponseItem } from "../../protocol/items.js";
import { isInjectedContextMessage } from "../context/injected-context.js";

/** Where each user turn begins in the history: the index of its person-typed user message (rollback cuts there). */
export function userTurnStarts(history: readonly ResponseItem[]): number[] {
  const starts: number[] = [];
  history.forEach((item, i) => {
    if (item.type === "message" && (item as { role?: unknown }).role === "user" && !isInjectedContextMessage(item)) starts.push(i);
  });
  return starts;
}
