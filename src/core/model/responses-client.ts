// The Responses API client: POST + SSE decode, with request-level and stream-level retries.
// Request-level retries (connect failure, 429, 5xx) are silent; when they run out, or the stream itself
// fails (drop, idle, retryable response.failed), the whole request is re-sent after a `retrying` notice.
import type { TurnError } from "../../protocol/events.js";
import type { ModelProviderInfo } from "../config/types.js";
import { abortError, abortableSleep, isAbortError } from "./abort.js";
import { backoffDelayMs, clampRetryBudget, parseRetryAfter } from "./backoff.js";
import { ModelError, traceHeaders, type ModelClient, type ModelRequest, type ResponseEvent } from "./contract.js";
import {
  classifyFailedEvent,
  classifyHttpError,
  IDLE_TIMEOUT_REASON,
  STREAM_CLOSED_REASON,
  unauthorizedHint,
  type RetryableFailure,
} from "./model-errors.js";
import { buildRequestBody } from "./request-body.js";
import { buildHeaders, buildUrl, detectOsInfo, detectTerminal, userAgent, type OsInfo } from "./request-headers.js";
import { mapSseEvent } from "./sse-events.js";
import { readSseData, SseIdleTimeout } from "./sse-reader.js";
import { redactSecrets } from "../../util/secret-redactor.js";

export const DEFAULT_REQUEST_MAX_RETRIES = 4;
export const DEFAULT_STREAM_MAX_RETRIES = 5;
export const DEFAULT_STREAM_IDLE_TIMEOUT_MS = 300_000;

export interface ResponsesClientDeps {
  provider: ModelProviderInfo;
  /** Bearer key for this request, or null for none. Called once per attempt (tokens may refresh). */
  auth: () => Promise<string | null>;
  /** Where the key came from (`OPENAI_API_KEY`, `/home/me/.codex/auth.json`...), named when the server rejects it. */
  keySource?: string;
  originator: string;
  version: string;
  fetch?: typeof fetch;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  random?: () => number;
  /** Environment for `env_http_headers` and terminal detection. */
  env?: Record<string, string | undefined>;
  /** Overrides OS detection for the user-agent (tests). */
  osInfo?: OsInfo;
}

/** Thrown inside one attempt when the request may be re-sent. */
class RetryableError extends Error {
  constructor(readonly failure: RetryableFailure) {
    super(failure.reason);
    this.name = "RetryableError";
  }
}

export function createResponsesClient(deps: ResponsesClientDeps): ModelClient {
  const doFetch = deps.fetch ?? fetch;
  const sleep = deps.sleep ?? abortableSleep;
  const random = deps.random ?? Math.random;
  const env = deps.env ?? process.env;
  const provider = deps.provider;
  const requestBudget = clampRetryBudget(provider.requestMaxRetries, DEFAULT_REQUEST_MAX_RETRIES);
  const streamBudget = clampRetryBudget(provider.streamMaxRetries, DEFAULT_STREAM_MAX_RETRIES);
  const idleTimeoutMs =
    provider.streamIdleTimeoutMs > 0 ? provider.streamIdleTimeoutMs : DEFAULT_STREAM_IDLE_TIMEOUT_MS;
  const ua = userAgent({
    originator: deps.originator,
    version: deps.version,
    os: deps.osInfo ?? detectOsInfo(),
    terminal: detectTerminal(env),
  });
  const url = buildUrl(provider);

  async function* stream(req: ModelRequest, signal: AbortSignal): AsyncGenerator<ResponseEvent> {
    const body = JSON.stringify(buildRequestBody(req));
    let streamRetries = 0;
    let apiKey: string | null = null;
    for (;;) {
      if (signal.aborted) throw abortError();
      let failure: RetryableFailure;
      try {
        apiKey = await deps.auth();
        const headers = buildHeaders({
          provider,
          apiKey,
          originator: deps.originator,
          userAgent: ua,
          version: deps.version,
          env,
          requestHeaders: { ...req.headers, ...traceHeaders(req.traceContext) },
        });
        const attempt = await sendWithRetries({ headers, body, signal });
        yield* readAttempt(attempt, signal);
        return;
      } catch (e) {
        if (signal.aborted) throw abortError();
        if (e instanceof ModelError) throw redactError(withKeyHint(e, apiKey ? deps.keySource : undefined), apiKey);
        if (!(e instanceof RetryableError)) throw e;
        failure = e.failure;
      }
      if (streamRetries >= streamBudget) throw redactError(new ModelError(failure.final), apiKey);
      streamRetries += 1;
      const delayMs = failure.delayMs ?? backoffDelayMs(streamRetries, random);
      yield {
        type: "retrying",
        attempt: streamRetries,
        maxAttempts: streamBudget,
        reason: redact(failure.reason, apiKey),
        delayMs,
      };
      await sleep(delayMs, signal);
    }
  }

  interface Attempt {
    response: Response;
    controller: AbortController;
  }

  /** One POST, re-sent silently on connect failures, 429 and 5xx until the request budget is spent. */
  async function sendWithRetries(o: {
    headers: Record<string, string>;
    body: string;
    signal: AbortSignal;
  }): Promise<Attempt> {
    for (let n = 0; ; n += 1) {
      const controller = new AbortController();
      const onAbort = (): void => controller.abort();
      o.signal.addEventListener("abort", onAbort, { once: true });
      let hint: number | undefined;
      let exhausted: RetryableFailure;
      try {
        const response = await fetchWithDeadline(controller, { headers: o.headers, body: o.body });
        if (response.ok) return { response, controller: linked(controller, o.signal, onAbort) };
        const bodyText = await readErrorBody(response, { timeoutMs: idleTimeoutMs, controller });
        const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"));
        const decision = classifyHttpError({
          status: response.status,
          bodyText,
          url,
          ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
        });
        if (decision.action === "fatal") throw new ModelError(decision.error);
        if (decision.action === "retry_stream") throw new RetryableError(decision.failure);
        hint = decision.retryAfterMs;
        exhausted = decision.exhausted;
      } catch (e) {
        o.signal.removeEventListener("abort", onAbort);
        if (o.signal.aborted) throw abortError();
        if (e instanceof ModelError || e instanceof RetryableError) throw e;
        if (e instanceof SseIdleTimeout) throw new RetryableError(idleFailure());
        // fetch rejects with a TypeError for connect/DNS/TLS failures.
        const reason = `error sending request for url (${url})`;
        exhausted = { reason, final: { kind: "network", message: reason } };
      }
      o.signal.removeEventListener("abort", onAbort);
      if (n >= requestBudget) throw new RetryableError(exhausted);
      await sleep(hint ?? backoffDelayMs(n + 1, random), o.signal);
    }
  }

  /** Waiting for response headers counts against the idle window too, so a silent server cannot hang us. */
  async function fetchWithDeadline(
    controller: AbortController,
    o: { headers: Record<string, string>; body: string },
  ): Promise<Response> {
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, idleTimeoutMs);
    try {
      return await doFetch(url, { method: "POST", headers: o.headers, body: o.body, signal: controller.signal });
    } catch (e) {
      if (timedOut) throw new SseIdleTimeout();
      throw e;
    } finally {
      clearTimeout(timer);
    }
  }

  async function* readAttempt(attempt: Attempt, signal: AbortSignal): AsyncGenerator<ResponseEvent> {
    const { response, controller } = attempt;
    try {
      if (!response.body) throw new RetryableError(closedFailure());
      for await (const data of readSseData(response.body, { idleTimeoutMs, signal })) {
        let payload: unknown;
        try {
          payload = JSON.parse(data);
        } catch {
          continue; // malformed data lines are skipped, as the reference does
        }
        const out = mapSseEvent(payload);
        switch (out.kind) {
          case "ignore":
            continue;
          case "event":
            yield out.event;
            continue;
          case "completed":
            yield out.event;
            return;
          case "failed": {
            const decision = classifyFailedEvent(out.error);
            if (decision.action === "fatal") throw new ModelError(decision.error);
            throw new RetryableError(decision.failure);
          }
          case "incomplete": {
            const reason = `stream disconnected before completion: Incomplete response returned, reason: ${out.reason}`;
            throw new RetryableError({ reason, final: { kind: "stream_disconnected", message: reason } });
          }
        }
      }
      throw new RetryableError(closedFailure());
    } catch (e) {
      if (signal.aborted || isAbortError(e)) throw abortError();
      if (e instanceof ModelError || e instanceof RetryableError) throw e;
      if (e instanceof SseIdleTimeout) throw new RetryableError(idleFailure());
      // A read error mid-body is a dropped connection.
      throw new RetryableError(closedFailure());
    } finally {
      controller.abort();
    }
  }

  return { stream: (req, signal) => stream(req, signal) };
}

/** Error bodies are small; a server that stalls mid-body must not hang the turn. */
async function readErrorBody(
  response: Response,
  o: { timeoutMs: number; controller: AbortController },
): Promise<string> {
  const timer = setTimeout(() => o.controller.abort(), o.timeoutMs);
  try {
    return await response.text();
  } catch {
    return "";
  } finally {
    clearTimeout(timer);
  }
}

/** Keeps the caller's abort wired to the attempt until the body is done; detached by controller.abort(). */
function linked(controller: AbortController, signal: AbortSignal, onAbort: () => void): AbortController {
  controller.signal.addEventListener("abort", () => signal.removeEventListener("abort", onAbort), { once: true });
  return controller;
}

function closedFailure(): RetryableFailure {
  return { reason: STREAM_CLOSED_REASON, final: { kind: "stream_disconnected", message: STREAM_CLOSED_REASON } };
}

function idleFailure(): RetryableFailure {
  return { reason: IDLE_TIMEOUT_REASON, final: { kind: "idle_timeout", message: IDLE_TIMEOUT_REASON } };
}

/** The key must never reach a message: servers sometimes echo (parts of) it in error bodies. */
function redact(text: string, apiKey: string | null): string {
  return redactSecrets(text, [apiKey]);
}

function redactError(e: ModelError, apiKey: string | null): ModelError {
  const error: TurnError = { ...e.error, message: redact(e.error.message, apiKey) };
  return error.message === e.error.message ? e : new ModelError(error);
}

function withKeyHint(e: ModelError, keySource: string | undefined): ModelError {
  if (e.error.kind !== "unauthorized" || keySource === undefined) return e;
  return new ModelError({ ...e.error, message: `${e.error.message}; ${unauthorizedHint(keySource)}` });
}
