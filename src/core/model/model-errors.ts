// Turns HTTP error replies and `response.failed` events into retry decisions or typed TurnErrors.
// Message texts follow what Codex 0.169 prints, so front ends can show them unchanged.
import { STATUS_CODES } from "node:http";
import type { TurnError } from "../../protocol/events.js";
import { parseTryAgainIn } from "./backoff.js";

export const CONTEXT_WINDOW_MESSAGE =
  "Codex ran out of room in the model's context window. Start a new thread or clear earlier history before retrying.";
export const QUOTA_MESSAGE = "Quota exceeded. Check your plan and billing details.";
/** Unverified wording (the reference recording did not cover this case). */
export const USAGE_NOT_INCLUDED_MESSAGE =
  "To use Codex with your ChatGPT plan, upgrade to Plus: https://openai.com/chatgpt/pricing.";
export const STREAM_CLOSED_REASON = "stream disconnected before completion: stream closed before response.completed";
export const IDLE_TIMEOUT_REASON = "stream disconnected before completion: idle timeout waiting for SSE";

/** A transient failure: the whole request may be sent again (stream-level budget). */
export interface RetryableFailure {
  /** Shown in the `Reconnecting... k/N (<reason>)` notice. */
  reason: string;
  /** What to report if the budget runs out. */
  final: TurnError;
  /** Server-suggested wait, when known. */
  delayMs?: number;
}

export type HttpErrorDecision =
  | { action: "fatal"; error: TurnError }
  /** Retry at request level (silently); once that budget is spent it becomes `exhausted`. */
  | { action: "retry_request"; retryAfterMs?: number; exhausted: RetryableFailure }
  | { action: "retry_stream"; failure: RetryableFailure };

export function statusLine(status: number): string {
  const text = STATUS_CODES[status];
  return text ? `${status} ${text}` : String(status);
}

interface ErrorBody {
  message: string;
  code?: string;
  type?: string;
}

/** Pulls `error.message` / `error.code` out of a JSON error body; falls back to the raw text. */
export function parseErrorBody(text: string): ErrorBody {
  try {
    const parsed = JSON.parse(text) as unknown;
    const err = (parsed as { error?: unknown })?.error;
    if (err && typeof err === "object") {
      const e = err as Record<string, unknown>;
      const message = typeof e.message === "string" ? e.message : JSON.stringify(err);
      return {
        message,
        ...(typeof e.code === "string" ? { code: e.code } : {}),
        ...(typeof e.type === "string" ? { type: e.type } : {}),
      };
    }
    if (typeof err === "string") return { message: err };
  } catch {
    // not JSON: use the text as is
  }
  const trimmed = text.trim();
  return { message: trimmed.length > 1000 ? `${trimmed.slice(0, 1000)}…` : trimmed };
}

export function classifyHttpError(input: {
  status: number;
  bodyText: string;
  url: string;
  retryAfterMs?: number;
}): HttpErrorDecision {
  const { status, url } = input;
  const body = parseErrorBody(input.bodyText);
  const codeOf = (c: string): boolean => body.code === c || body.type === c;
  const unexpected = `unexpected status ${statusLine(status)}${body.message ? `: ${body.message}` : ""}, url: ${url}`;

  if (codeOf("insufficient_quota")) return fatal({ kind: "quota_exceeded", message: QUOTA_MESSAGE, httpStatus: status });
  if (codeOf("usage_not_included"))
    return fatal({ kind: "usage_not_included", message: USAGE_NOT_INCLUDED_MESSAGE, httpStatus: status });
  if (codeOf("context_length_exceeded"))
    return fatal({ kind: "context_window_exceeded", message: CONTEXT_WINDOW_MESSAGE, httpStatus: status });

  const retryAfterMs = input.retryAfterMs ?? parseTryAgainIn(body.message);
  const hint = retryAfterMs !== undefined ? { retryAfterMs } : {};
  const exhaustedReason = `exceeded retry limit, last status: ${statusLine(status)}`;
  // 429 skips the silent request-level retries: the reference recording (429, 500, success) shows three
  // POSTs and exactly one "exceeded retry limit, last status: 429" notice, i.e. the 429 went straight to
  // the stream level while the 500 was retried silently.
  if (status === 429) {
    return {
      action: "retry_stream",
      failure: {
        reason: exhaustedReason,
        final: { kind: "rate_limited", message: exhaustedReason, httpStatus: status, ...hint },
        ...(retryAfterMs !== undefined ? { delayMs: retryAfterMs } : {}),
      },
    };
  }
  if (status >= 500) {
    return {
      action: "retry_request",
      ...hint,
      exhausted: {
        reason: exhaustedReason,
        final: { kind: "server_error", message: exhaustedReason, httpStatus: status },
        ...(retryAfterMs !== undefined ? { delayMs: retryAfterMs } : {}),
      },
    };
  }
  // A rejected key stays rejected: no retry can cure a 401, so it ends the turn after one request.
  if (status === 401) return fatal({ kind: "unauthorized", message: unexpected, httpStatus: status });
  // 403 keeps the stream-level retries the reference shows before it gives up.
  if (status === 403) {
    return {
      action: "retry_stream",
      failure: { reason: unexpected, final: { kind: "unauthorized", message: unexpected, httpStatus: status } },
    };
  }
  return fatal({ kind: "invalid_request", message: unexpected, httpStatus: status });
}

export type FailedEventDecision = { action: "fatal"; error: TurnError } | { action: "retry_stream"; failure: RetryableFailure };

/** `response.failed` with `response.error.{code,message}`. */
export function classifyFailedEvent(error: { code?: string; message?: string } | undefined): FailedEventDecision {
  const code = error?.code;
  const message = error?.message ?? "response.failed event received";
  switch (code) {
    case "context_length_exceeded":
      return fatal({ kind: "context_window_exceeded", message: CONTEXT_WINDOW_MESSAGE });
    case "insufficient_quota":
      return fatal({ kind: "quota_exceeded", message: QUOTA_MESSAGE });
    case "usage_not_included":
      return fatal({ kind: "usage_not_included", message: USAGE_NOT_INCLUDED_MESSAGE });
    case "invalid_prompt":
    case "cyber_policy":
      return fatal({ kind: "invalid_request", message });
    default: {
      const reason = `stream disconnected before completion: ${message}`;
      const delayMs = code === "rate_limit_exceeded" ? parseTryAgainIn(message) : undefined;
      const kind = code === "rate_limit_exceeded" ? "rate_limited" : "server_error";
      return {
        action: "retry_stream",
        failure: {
          reason,
          final: { kind, message: reason, ...(delayMs !== undefined ? { retryAfterMs: delayMs } : {}) },
          ...(delayMs !== undefined ? { delayMs } : {}),
        },
      };
    }
  }
}

function fatal(error: TurnError): { action: "fatal"; error: TurnError } {
  return { action: "fatal", error };
}

/** Appended to an unauthorized error so the person knows which key to fix, e.g. `check the API key in OPENAI_API_KEY`. */
export function unauthorizedHint(keySource: string): string {
  return `check the API key in ${keySource}`;
}
