// Server `instructions` for the developer message, as the reference lists its tool namespaces.
import type { ResponseItem } from "../../protocol/items.js";

export function toolsInstructionsText(namespaces: Array<{ name: string; instructions?: string }>, o: { deferred: boolean }): string {
  const lines = namespaces.filter((n) => n.instructions && n.instructions.trim() !== "");
  if (lines.length === 0) return "";
  const title = o.deferred ? "Deferred tool namespaces:" : "Tool namespaces:";
  return ["<tools>", title, ...lines.map((n) => `- ${n.name}: ${n.instructions!.trim()}`), "</tools>"].join("\n");
}

/** Adds `text` as one more input_text of the first developer message after the base instructions. */
export function withDeveloperText(items: ResponseItem[], text: string): ResponseItem[] {
  if (text === "") return items;
  const out = [...items];
  const developers = out.flatMap((item, i) => (item.type === "message" && (item as { role?: string }).role === "developer" ? [i] : []));
  const at = developers.length > 1 ? developers[1]! : developers[0];
  if (at === undefined) {
    out.unshift({ type: "message", role: "developer", content: [{ type: "input_text", text }] } as ResponseItem);
    return out;
  }
  const msg = out[at] as { content: unknown[] };
  out[at] = { ...(out[at] as object), content: [...msg.content, { type: "input_text", text }] } as ResponseItem;
  return out;
}
