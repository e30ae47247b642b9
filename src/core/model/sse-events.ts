// Maps one decoded Responses SSE payload to what the client does with it. Pure; unknown events are ignored.
import type { ResponseItem, TokenUsage } from "../../protocol/items.js";
import type { ResponseEvent } from "./contract.js";

export type SseOutcome =
  | { kind: "event"; event: ResponseEvent }
  | { kind: "completed"; event: Extract<ResponseEvent, { type: "completed" }> }
  | { kind: "failed"; error: { code?: string; message?: string } }
  | { kind: "incomplete"; reason: string }
  | { kind: "ignore" };

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const num = (v: unknown): number => (typeof v === "number" && Number.isFinite(v) ? v : 0);

export function mapSseEvent(payload: unknown): SseOutcome {
  if (!isObject(payload)) return { kind: "ignore" };
  const response = isObject(payload.response) ? payload.response : undefined;
  switch (payload.type) {
    case "response.created":
      return { kind: "event", event: { type: "created", responseId: str(response?.id) ?? "" } };
    case "response.output_item.added":
    case "response.output_item.done": {
      if (!isObject(payload.item) || typeof payload.item.type !== "string") return { kind: "ignore" };
      const item = payload.item as ResponseItem;
      const type = payload.type === "response.output_item.added" ? "output_item_added" : "output_item_done";
      return { kind: "event", event: { type, item } };
    }
    case "response.output_text.delta": {
      const delta = str(payload.delta);
      return delta === undefined ? { kind: "ignore" } : { kind: "event", event: { type: "output_text_delta", delta } };
    }
    case "response.reasoning_summary_text.delta": {
      const delta = str(payload.delta);
      if (delta === undefined) return { kind: "ignore" };
      return {
        kind: "event",
        event: { type: "reasoning_summary_delta", delta, summaryIndex: num(payload.summary_index) },
      };
    }
    case "response.reasoning_text.delta": {
      const delta = str(payload.delta);
      return delta === undefined
        ? { kind: "ignore" }
        : { kind: "event", event: { type: "reasoning_content_delta", delta } };
    }
    case "response.completed":
      return {
        kind: "completed",
        event: { type: "completed", responseId: str(response?.id) ?? "", usage: mapUsage(response?.usage) },
      };
    case "response.failed": {
      const err = isObject(response?.error) ? response.error : undefined;
      return {
        kind: "failed",
        error: {
          ...(str(err?.code) !== undefined ? { code: str(err?.code) } : {}),
          ...(str(err?.message) !== undefined ? { message: str(err?.message) } : {}),
        },
      };
    }
    case "response.incomplete": {
      const details = isObject(response?.incomplete_details) ? response.incomplete_details : undefined;
      return { kind: "incomplete", reason: str(details?.reason) ?? "unknown" };
    }
    default:
      return { kind: "ignore" };
  }
}

/** Responses `usage` → our TokenUsage (cached and reasoning counts come from the `*_details` objects). */
export function mapUsage(raw: unknown): TokenUsage | null {
  if (!isObject(raw)) return null;
  const inDetails = isObject(raw.input_tokens_details) ? raw.input_tokens_details : {};
  const outDetails = isObject(raw.output_tokens_details) ? raw.output_tokens_details : {};
  const input = num(raw.input_tokens);
  const output = num(raw.output_tokens);
  return {
    input_tokens: input,
    cached_input_tokens: num(inDetails.cached_tokens),
    output_tokens: output,
    reasoning_output_tokens: num(outDetails.reasoning_tokens),
    total_tokens: typeof raw.total_tokens === "number" ? raw.total_tokens : input + output,
  };
}
