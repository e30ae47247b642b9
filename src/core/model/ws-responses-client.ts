// The Responses API over a persistent websocket (providers with `supports_websockets`), as Codex 0.169 speaks
// it: `GET {base}/responses` upgraded with `openai-beta: responses_websockets=2026-02-06`, then one
// `response.create` message per request, answered by the same events as the SSE stream. A request that
// continues the connection's last exchange (same settings, its input extends the last input plus output)
// sends only the new items with `previous_response_id`.
// Any refusal (426...), connect timeout or failure switches the runtime to HTTP for the rest of the session,
// with one log line; a request cut off mid-stream is re-sent over HTTP after a `retrying` notice.
import type { TurnError } from "../../protocol/events.js";
import type { ModelProviderInfo } from "../config/types.js";
import { abortError, isAbortError } from "./abort.js";
import { ModelError, type ModelClient, type ModelRequest, type ResponseEvent } from "./contract.js";
import { classifyFailedEvent, classifyHttpError, IDLE_TIMEOUT_REASON, STREAM_CLOSED_REASON } from "./model-errors.js";
import { buildRequestBody } from "./request-body.js";
import { buildHeaders, buildUrl, detectOsInfo, detectTerminal, userAgent, type OsInfo } from "./request-headers.js";
import { DEFAULT_STREAM_IDLE_TIMEOUT_MS } from "./responses-client.js";
import { mapSseEvent } from "./sse-events.js";
import { openWsConnection, WsConnectError, type WsConnection } from "./ws-connection.js";
import { redactSecrets } from "../../util/secret-redactor.js";
import { untilAborted } from "../../util/until-aborted.js";

export const DEFAULT_WEBSOCKET_CONNECT_TIMEOUT_MS = 15_000;
export const RESPONSES_WEBSOCKETS_BETA = "responses_websockets=2026-02-06";

export interface WsTransportDeps {
  provider: ModelProviderInfo;
  auth: () => Promise<string | null>;
  originator: string;
  version: string;
  env?: Record<string, string | undefined>;
  osInfo?: OsInfo;
  /** The HTTP client every request goes to once websockets are off. */
  http: ModelClient;
  /** websocket_connect_timeout_ms (default 15 s). */
  connectTimeoutMs?: number;
  /** Where the one fallback line goes (the runtime's log). */
  log?: (line: string) => void;
}

export interface WsModelClient extends ModelClient {
  /**
   * Starts opening the socket now (thread start), so the first turn finds it open or its refusal already
   * known; `headers` are the thread's identity headers for the handshake.
   */
  prewarm(headers: Record<string, string>): void;
  /** Closes this client's socket (the thread ended). */
  close(): void;
  /** Which transport the next request takes. */
  transport(): "websocket" | "http";
}

export interface WsTransport {
  /** A client with its own socket (one per thread), sharing the fallback decision of the runtime. */
  client(): WsModelClient;
  readonly fellBack: boolean;
}

interface Exchange {
  responseId: string;
  settings: string;
  /** JSON of every item the server holds for this response: its input, then its output. */
  items: string[];
}

export function createWsTransport(deps: WsTransportDeps): WsTransport {
  const env = deps.env ?? process.env;
  const provider = deps.provider;
  const connectTimeoutMs = deps.connectTimeoutMs ?? DEFAULT_WEBSOCKET_CONNECT_TIMEOUT_MS;
  const idleTimeoutMs = provider.streamIdleTimeoutMs > 0 ? provider.streamIdleTimeoutMs : DEFAULT_STREAM_IDLE_TIMEOUT_MS;
  const ua = userAgent({ originator: deps.originator, version: deps.version, os: deps.osInfo ?? detectOsInfo(), terminal: detectTerminal(env) });
  const httpUrl = buildUrl(provider);
  const wsUrl = httpUrl.replace(/^http(s?):/, "ws$1:");
  const state = { fellBack: false };

  const fallBack = (why: string): void => {
    const reason = redactSecrets(why, []);
    if (state.fellBack) return;
    state.fellBack = true;
    deps.log?.(`responses websocket unavailable (${reason}); using HTTPS for the rest of the session`);
  };

  function client(): WsModelClient {
    let conn: WsConnection | null = null;
    let last: Exchange | null = null;
    let busy = false;
    let closed = false;
    /** The connect under way; it is the client's, not a turn's: an interrupt stops waiting for it, not the connect. */
    let opening: Promise<WsConnection> | null = null;
    const lifetime = new AbortController();

    const drop = (): void => {
      conn?.close();
      conn = null;
      last = null;
    };

    const open = (requestHeaders: Record<string, string>): Promise<WsConnection> => {
      opening ??= (async () => {
        const apiKey = await deps.auth();
        const headers = buildHeaders({ provider, apiKey, originator: deps.originator, userAgent: ua, version: deps.version, env, requestHeaders });
        delete headers.accept;
        delete headers["content-type"];
        headers["openai-beta"] = RESPONSES_WEBSOCKETS_BETA;
        const c = await openWsConnection({ url: wsUrl, headers, connectTimeoutMs, signal: lifetime.signal });
        if (closed) {
          c.close();
          throw abortError();
        }
        conn = c;
        return c;
      })().finally(() => {
        opening = null;
      });
      return opening;
    };

    async function connect(req: ModelRequest, signal: AbortSignal): Promise<{ conn: WsConnection; apiKey: string | null }> {
      const apiKey = await deps.auth();
      if (conn?.open) return { conn, apiKey };
      if (conn) drop();
      return { conn: await untilAborted(open(req.headers), signal, { reason: abortError }), apiKey };
    }

    async function* stream(req: ModelRequest, signal: AbortSignal): AsyncGenerator<ResponseEvent> {
      if (state.fellBack || busy) {
        yield* deps.http.stream(req, signal);
        return;
      }
      busy = true;
      try {
        let opened: { conn: WsConnection; apiKey: string | null };
        try {
          opened = await connect(req, signal);
        } catch (e) {
          if (signal.aborted || isAbortError(e)) throw abortError();
          fallBack(e instanceof WsConnectError ? e.message : String(e));
          yield* deps.http.stream(req, signal);
          return;
        }
        if (state.fellBack) {
          // Another thread's socket failed while this one was opening: the session is on HTTP now.
          drop();
          yield* deps.http.stream(req, signal);
          return;
        }
        let outcome = yield* exchange(opened.conn, req, signal, opened.apiKey);
        // The server no longer holds the response we continued: the same request goes again, whole.
        if (!outcome.done && outcome.resendWhole) outcome = yield* exchange(opened.conn, req, signal, opened.apiKey);
        if (outcome.done) return;
        drop();
        const reason = redactSecrets(outcome.reason, [opened.apiKey]);
        fallBack(reason);
        yield { type: "retrying", attempt: 1, maxAttempts: 1, reason, delayMs: 0 };
        yield* deps.http.stream(req, signal);
      } finally {
        busy = false;
      }
    }

    /** One response over the socket; `done: false` when the socket failed and the request should go over HTTP. */
    async function* exchange(
      c: WsConnection,
      req: ModelRequest,
      signal: AbortSignal,
      apiKey: string | null,
    ): AsyncGenerator<ResponseEvent, { done: true } | { done: false; reason: string; resendWhole?: boolean }> {
      const body = buildRequestBody(req);
      const { input, client_metadata: _meta, ...rest } = body as { input: unknown[]; client_metadata?: unknown };
      const settings = JSON.stringify(rest);
      const inputJson = input.map((i) => JSON.stringify(i));
      const prev = last && last.settings === settings && extendsExchange(inputJson, last.items) ? last : null;
      const metadata: Record<string, string> = {
        ...(req.clientMetadata ?? {}),
        ...(req.traceContext ? { ws_request_header_traceparent: req.traceContext.traceparent } : {}),
        ...(req.traceContext?.tracestate ? { ws_request_header_tracestate: req.traceContext.tracestate } : {}),
        "x-codex-ws-stream-request-start-ms": String(Date.now()),
      };
      const { model, stream: streamFlag, ...settingsRest } = rest as Record<string, unknown>;
      const message = {
        type: "response.create",
        model,
        stream: streamFlag,
        ...(prev ? { previous_response_id: prev.responseId } : {}),
        input: prev ? input.slice(prev.items.length) : input,
        ...settingsRest,
        client_metadata: metadata,
      };
      last = null;
      try {
        c.send(message);
      } catch (e) {
        return { done: false, reason: `websocket send failed: ${(e as Error).message}` };
      }
      const output: string[] = [];
      try {
        for (;;) {
          const next = await c.next({ signal, timeoutMs: idleTimeoutMs });
          if (next.kind === "timeout") return { done: false, reason: IDLE_TIMEOUT_REASON };
          if (next.kind === "closed") return { done: false, reason: STREAM_CLOSED_REASON };
          const payload = next.data as { type?: unknown; status?: unknown; error?: unknown };
          if (payload?.type === "error") {
            if (prev && (payload.error as { code?: unknown } | undefined)?.code === "previous_response_not_found") {
              return { done: false, reason: "previous response not found", resendWhole: true };
            }
            const failure = errorEvent(payload, httpUrl);
            if (failure.fatal) throw new ModelError({ ...failure.fatal, message: redactSecrets(failure.fatal.message, [apiKey]) });
            return { done: false, reason: failure.reason };
          }
          const out = mapSseEvent(payload);
          switch (out.kind) {
            case "ignore":
              continue;
            case "event":
              if (out.event.type === "output_item_done") output.push(JSON.stringify(out.event.item));
              yield out.event;
              continue;
            case "completed":
              last = { responseId: out.event.responseId, settings, items: [...inputJson, ...output] };
              yield out.event;
              return { done: true };
            case "failed": {
              const decision = classifyFailedEvent(out.error);
              if (decision.action === "fatal") throw new ModelError(decision.error);
              return { done: false, reason: decision.failure.reason };
            }
            case "incomplete":
              return { done: false, reason: `stream disconnected before completion: Incomplete response returned, reason: ${out.reason}` };
          }
        }
      } catch (e) {
        // An interrupt leaves the server streaming a response nobody reads: the socket goes, the next turn reconnects.
        if (signal.aborted || isAbortError(e)) {
          drop();
          throw abortError();
        }
        if (e instanceof ModelError) drop();
        throw e;
      }
    }

    return {
      stream: (req, signal) => stream(req, signal),
      prewarm(headers) {
        if (state.fellBack || closed || conn || opening) return;
        open(headers).catch((e: unknown) => {
          if (!closed && !isAbortError(e)) fallBack(e instanceof WsConnectError ? e.message : String(e));
        });
      },
      close: () => {
        closed = true;
        lifetime.abort();
        drop();
      },
      transport: () => (state.fellBack ? "http" : "websocket"),
    };
  }

  return {
    client,
    get fellBack() {
      return state.fellBack;
    },
  };
}

/** Whether `input` starts with everything the server already holds for the last response. */
function extendsExchange(input: string[], held: string[]): boolean {
  if (held.length === 0 || input.length < held.length) return false;
  for (let i = 0; i < held.length; i++) if (input[i] !== held[i]) return false;
  return true;
}

/** An `error` message on the socket: fatal as its HTTP status would be, anything else goes to HTTP. */
function errorEvent(
  payload: { status?: unknown; error?: unknown },
  url: string,
): { fatal?: TurnError; reason: string } {
  const status = typeof payload.status === "number" ? payload.status : 0;
  const bodyText = JSON.stringify({ error: payload.error ?? {} });
  if (status >= 400) {
    const decision = classifyHttpError({ status, bodyText, url });
    if (decision.action === "fatal") return { fatal: decision.error, reason: decision.error.message };
    const reason = decision.action === "retry_stream" ? decision.failure.reason : decision.exhausted.reason;
    return { reason };
  }
  const message = (payload.error as { message?: unknown } | undefined)?.message;
  return { reason: `websocket error: ${typeof message === "string" ? message : "unknown"}` };
}
