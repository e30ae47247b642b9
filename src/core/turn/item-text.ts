import type { ResponseItem } from "../../protocol/items.js";

/** The visible text of an assistant message, or null when it has none. */
export function assistantText(item: ResponseItem): string | null {
  if (item.type !== "message") return null;
  const content = (item as { content?: Array<{ type: string; text?: unknown }> }).content ?? [];
  const parts = content.filter((c) => c.type === "output_text" && typeof c.text === "string").map((c) => c.text as string);
  return parts.length > 0 ? parts.join("") : null;
}

/** Reasoning summary parts joined by newlines (what exec shows as a `reasoning` item). */
export function reasoningText(item: ResponseItem): string {
  if (item.type !== "reasoning") return "";
  const summary = (item as { summary?: Array<{ text?: unknown }> }).summary ?? [];
  return summary
    .map((s) => (typeof s.text === "string" ? s.text : ""))
    .filter((t) => t.length > 0)
    .join("\n");
}

/** The text a user typed, from a user message item (input_text parts). */
export function userText(item: ResponseItem): string | null {
  if (item.type !== "message" || (item as { role?: string }).role !== "user") return null;
  const content = (item as { content?: Array<{ type: string; text?: unknown }> }).content ?? [];
  const parts = content.filter((c) => c.type === "input_text" && typeof c.text === "string").map((c) => c.text as string);
  return parts.length > 0 ? parts.join("\n") : null;
}
