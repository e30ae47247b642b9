import type { TurnError } from "../../protocol/events.js";
import type { ResponseItem, TokenUsage } from "../../protocol/items.js";
import type { ToolSpec } from "../tools/contract.js";

export interface ModelRequest {
  model: string;
  /** Full history (store:false), base instructions first as a developer message. */
  input: ResponseItem[];
  tools: ToolSpec[];
  /** Code-mode-only models: send no `tools` key (their tools travel in an input item). */
  omitTools?: boolean;
  parallelToolCalls: boolean;
  reasoning?: { effort?: string; summary?: string };
  verbosity?: string;
  /** `--output-schema`: becomes text.format json_schema. */
  outputSchema?: unknown;
  /** The schema's `strict` flag (default true; the guardian's answers are checked by us). */
  outputSchemaStrict?: boolean;
  promptCacheKey: string;
  serviceTier?: string;
  /** Extra headers for this request (session-id, thread-id, turn metadata...). */
  headers: Record<string, string>;
  clientMetadata?: Record<string, string>;
  /** W3C trace context of the turn: a `traceparent`/`tracestate` header over HTTP, client_metadata over websocket. */
  traceContext?: TraceContext;
}

export interface TraceContext {
  traceparent: string;
  tracestate?: string;
}

/** The trace context as HTTP headers (empty when there is none). */
export function traceHeaders(t: TraceContext | undefined): Record<string, string> {
  if (!t) return {};
  return { traceparent: t.traceparent, ...(t.tracestate ? { tracestate: t.tracestate } : {}) };
}

export type ResponseEvent =
  | { type: "created"; responseId: string }
  | { type: "output_item_added"; item: ResponseItem }
  | { type: "output_text_delta"; delta: string }
  | { type: "reasoning_summary_delta"; delta: string; summaryIndex: number }
  | { type: "reasoning_content_delta"; delta: string }
  | { type: "output_item_done"; item: ResponseItem }
  | { type: "completed"; responseId: string; usage: TokenUsage | null }
  /** The client is about to retry after a transient failure (stream notice). */
  | { type: "retrying"; attempt: number; maxAttempts: number; reason: string; delayMs: number };

/** A final, typed model failure (retries already exhausted or the error is not retryable). */
export class ModelError extends Error {
  constructor(readonly error: TurnError) {
    super(error.message);
    this.name = "ModelError";
  }
}

export interface ModelClient {
  /**
   * Streams one response. On a transient failure it re-sends the whole request (request and stream
   * retry budgets) and yields a `retrying` notice first; the consumer must then discard the partial
   * output of the failed attempt (a `created` event marks each fresh attempt).
   * Throws ModelError when it gives up, or an AbortError when `signal` fires.
   */
  stream(req: ModelRequest, signal: AbortSignal): AsyncIterable<ResponseEvent>;
}
