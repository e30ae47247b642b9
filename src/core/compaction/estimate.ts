import type { ResponseItem } from "../../protocol/items.js";

/** Bytes per token of the rough estimate (the reference's approximation too). */
const BYTES_PER_TOKEN = 4;

export function estimateTextTokens(text: string): number {
  return Math.ceil(Buffer.byteLength(text, "utf8") / BYTES_PER_TOKEN);
}

/** A rough token count of items as sent (their JSON). */
export function estimateTokens(items: readonly ResponseItem[]): number {
  let total = 0;
  for (const item of items) total += estimateTextTokens(JSON.stringify(item));
  return total;
}
