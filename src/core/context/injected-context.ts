import type { ResponseItem } from "../../protocol/items.js";

/**
 * Start/end markers of text we inject as user-role messages. Recognising them by markers (as Codex
 * does) works for rollouts written by Codex itself, not only by us, and keeps the wire items clean.
 */
export const INJECTED_MARKERS: ReadonlyArray<readonly [start: string, end: string]> = [
  ["# AGENTS.md instructions for ", "</INSTRUCTIONS>"],
  ["<user_instructions>", "</user_instructions>"],
  ["<environment_context>", "</environment_context>"],
  ["<user_shell_command>", "</user_shell_command>"],
  ["<turn_aborted>", "</turn_aborted>"],
  ["<subagent_notification>", "</subagent_notification>"],
  ["<skill>", "</skill>"],
];

/** True when `text` is one whole injected fragment (markers compared case-insensitively). */
export function isInjectedContextText(text: string): boolean {
  const t = text.trim().toLowerCase();
  return INJECTED_MARKERS.some(([start, end]) => t.startsWith(start.toLowerCase()) && t.endsWith(end.toLowerCase()));
}

function messageTexts(item: ResponseItem): string[] | null {
  if (item.type !== "message" || !Array.isArray(item.content)) return null;
  const texts: string[] = [];
  for (const part of item.content as Array<{ type?: unknown; text?: unknown }>) {
    if (part.type === "input_text" && typeof part.text === "string") texts.push(part.text);
    else return [];
  }
  return texts;
}

/**
 * True for messages the harness put into the conversation rather than a person: developer/system
 * messages, and user messages made only of injected fragments (AGENTS.md, environment context…).
 * False for anything else, including real prompts and non-message items.
 */
export function isInjectedContextMessage(item: ResponseItem): boolean {
  if (item.type !== "message") return false;
  const role = (item as { role?: unknown }).role;
  if (role === "developer" || role === "system") return true;
  if (role !== "user") return false;
  const texts = messageTexts(item);
  return texts !== null && texts.length > 0 && texts.every(isInjectedContextText);
}

const IMAGE_TAG_RE = /^<\/?image\b[^>]*>$/;

/** The person-typed text of a real user message (image wrapper tags left out), or null. */
export function userPromptText(item: ResponseItem): string | null {
  if (item.type !== "message" || (item as { role?: unknown }).role !== "user") return null;
  if (isInjectedContextMessage(item)) return null;
  const parts: string[] = [];
  for (const part of item.content as Array<{ type?: unknown; text?: unknown }>) {
    if (part.type === "input_text" && typeof part.text === "string" && !IMAGE_TAG_RE.test(part.text.trim())) {
      parts.push(part.text);
    }
  }
  return parts.join("\n");
}
