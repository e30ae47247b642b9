// A scripted Responses API server on loopback. Tests enqueue one ScriptedResponse per expected POST and
// afterwards assert on what the client sent. Faults (HTTP errors, drops, stalls) are first-class so
// retry paths are exercised through real HTTP.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { flattenEvents, sseFrame, type SseInput } from "./sse.js";

export const NO_SCRIPT_LEFT = "fake server: no scripted response left";

/* eslint-disable @typescript-eslint/no-explicit-any */
/**
 * The real API's check on `input`: every tool call needs its output, and every output its call.
 * Returns the error the API answers with (HTTP 400), or null when the input is well paired.
 */
export function unpairedToolCallError(input: readonly any[]): string | null {
  const calls = new Map<string, string>();
  const outputs = new Map<string, string>();
  for (const item of input) {
    if (typeof item?.call_id !== "string") continue;
    if (item.type === "function_call" || item.type === "local_shell_call") calls.set(item.call_id, "function_call_output");
    else if (item.type === "custom_tool_call") calls.set(item.call_id, "custom_tool_call_output");
    else if (item.type === "tool_search_call" && item.execution !== "server") calls.set(item.call_id, "tool_search_output");
    else if (item.type === "function_call_output" || item.type === "custom_tool_call_output" || item.type === "tool_search_output") {
      outputs.set(item.call_id, item.type);
    }
  }
  for (const [callId, want] of calls) {
    if (outputs.get(callId) === want) continue;
    if (want === "tool_search_output") return `No tool output found for tool search call ${callId}.`;
    return want === "custom_tool_call_output"
      ? `No tool output found for custom tool call ${callId}.`
      : `No tool output found for function call ${callId}.`;
  }
  for (const [callId, type] of outputs) {
    if (calls.get(callId) === type) continue;
    if (type === "tool_search_output") return `No tool call found for tool search output with call_id ${callId}.`;
    return type === "custom_tool_call_output"
      ? `No tool call found for custom tool call output with call_id ${callId}.`
      : `No tool call found for function call output with call_id ${callId}.`;
  }
  return null;
}
/* eslint-enable @typescript-eslint/no-explicit-any */

export type ScriptedResponse =
  | {
      /** SSE events (builders from sse.ts, nested lists allowed). */
      events: readonly SseInput[];
      /** What happens after the events: end the body (default), destroy the socket, or go silent. */
      then?: "end" | "drop" | "stall";
      headers?: Record<string, string>;
      /** Answer only once this settles (a test orders concurrent threads by events, not by sleeps). */
      after?: Promise<unknown>;
    }
  | {
      /** An HTTP error reply; an object body is sent as JSON. */
      status: number;
      body?: unknown;
      headers?: Record<string, string>;
    };

export function sse(...events: SseInput[]): ScriptedResponse {
  return { events };
}

export function dropAfter(...events: SseInput[]): ScriptedResponse {
  return { events, then: "drop" };
}

export function stallAfter(...events: SseInput[]): ScriptedResponse {
  return { events, then: "stall" };
}

/** `httpError(429, "slow down", {"retry-after": "1"})`; a string body becomes `{"error":{"message":…}}`. */
export function httpError(status: number, body?: unknown, headers?: Record<string, string>): ScriptedResponse {
  const payload = typeof body === "string" ? { error: { message: body } } : body;
  return { status, body: payload, ...(headers ? { headers } : {}) };
}

/* eslint-disable @typescript-eslint/no-explicit-any */
export interface RecordedRequest {
  method: string;
  /** Path including the query string, e.g. `/v1/responses?api-version=1`. */
  path: string;
  pathname: string;
  query: Record<string, string>;
  /** Lower-case header names. */
  headers: Record<string, string>;
  /** Parsed JSON body (undefined when the body was not JSON). */
  body: any;
  rawBody: string;
  /** The `input` array of the body (empty when absent). */
  input: any[];
  /** The function_call_output (or custom_tool_call_output) item answering `callId`, if any. */
  functionCallOutput(callId: string): any | undefined;
  /** Every `input_text` of every input message, joined with newlines. */
  inputText(): string;
  /** Text of the last user message (what the person typed, usually). */
  lastUserText(): string | undefined;
}
/* eslint-enable @typescript-eslint/no-explicit-any */

export interface FakeServer {
  /** Base URL ending in `/v1`. */
  url: string;
  enqueue(...responses: ScriptedResponse[]): void;
  /**
   * Responses for the requests `match` picks (a sub-agent's, by its headers): such a request takes the
   * first of these, before the main queue. Several threads then run concurrently in a fixed script.
   */
  enqueueFor(match: (req: RecordedRequest) => boolean, ...responses: ScriptedResponse[]): void;
  /** Scripted responses not yet consumed. */
  pending(): number;
  requests: RecordedRequest[];
  /** GET/upgrade attempts (websocket probes) answered with 426. */
  upgradeAttempts: number;
  /** POSTs that arrived with the script empty (answered 500). */
  unscriptedRequests: number;
  /** POSTs refused as the real API would (400: a call without output or an output without call); they consume no script. */
  refusedRequests: string[];
  waitForRequests(n: number, opts?: { timeoutMs?: number }): Promise<RecordedRequest[]>;
  /** The next scripted response, taken off the queue (for another transport serving the same script). */
  takeScript(): ScriptedResponse | undefined;
  close(): Promise<void>;
}

export interface FakeServerOptions {
  /** Handles websocket upgrades instead of refusing them with 426 (test/support/fake-ws-responses-server.ts). */
  onUpgrade?: (req: http.IncomingMessage, socket: import("node:stream").Duplex, head: Buffer) => void;
}

export async function startFakeResponsesServer(opts: FakeServerOptions = {}): Promise<FakeServer> {
  const queue: ScriptedResponse[] = [];
  const routes: Array<{ match: (req: RecordedRequest) => boolean; queue: ScriptedResponse[] }> = [];
  const requests: RecordedRequest[] = [];
  const waiters = new Set<() => void>();
  const state = { upgradeAttempts: 0, unscripted: 0 };
  const refused: string[] = [];

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (req.method === "GET") {
        state.upgradeAttempts += 1;
        res.writeHead(426, { "content-type": "text/plain" }).end("fake server: websockets not supported");
        return;
      }
      const recorded = recordRequest(req, Buffer.concat(chunks).toString("utf8"));
      requests.push(recorded);
      for (const wake of [...waiters]) wake();
      const invalid = unpairedToolCallError(recorded.input);
      if (invalid !== null) {
        refused.push(invalid);
        process.stderr.write(`fake server: refused request (${invalid})\n`);
        res.writeHead(400, { "content-type": "application/json" }).end(
          JSON.stringify({ error: { message: invalid, type: "invalid_request_error", param: "input", code: null } }),
        );
        return;
      }
      const route = routes.find((r) => r.queue.length > 0 && r.match(recorded));
      const next = route ? route.queue.shift() : queue.shift();
      if (!next) {
        state.unscripted += 1;
        process.stderr.write(`${NO_SCRIPT_LEFT} (${req.method} ${req.url})\n`);
        res.writeHead(500, { "content-type": "text/plain" }).end(NO_SCRIPT_LEFT);
        return;
      }
      if ("after" in next && next.after) void next.after.then(() => serve(next, res), () => serve(next, res));
      else serve(next, res);
    });
  });
  // A websocket probe arrives as an upgrade; refuse it the way a plain HTTP server would.
  server.on("upgrade", (req, socket, head) => {
    state.upgradeAttempts += 1;
    if (opts.onUpgrade) return opts.onUpgrade(req, socket, head);
    socket.end("HTTP/1.1 426 Upgrade Required\r\nconnection: close\r\ncontent-length: 0\r\n\r\n");
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    get upgradeAttempts() {
      return state.upgradeAttempts;
    },
    get unscriptedRequests() {
      return state.unscripted;
    },
    refusedRequests: refused,
    enqueue: (...responses) => void queue.push(...responses),
    enqueueFor: (match, ...responses) => void routes.push({ match, queue: [...responses] }),
    pending: () => queue.length + routes.reduce((n, r) => n + r.queue.length, 0),
    takeScript: () => queue.shift(),
    waitForRequests(n, opts = {}) {
      const timeoutMs = opts.timeoutMs ?? 10_000;
      if (requests.length >= n) return Promise.resolve(requests.slice());
      return new Promise((resolve, reject) => {
        const check = (): void => {
          if (requests.length < n) return;
          cleanup();
          resolve(requests.slice());
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`fake server: waited ${timeoutMs}ms for ${n} request(s), got ${requests.length}`));
        }, timeoutMs);
        const cleanup = (): void => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        // Stalled responses hold their sockets open; cut them so close() cannot hang.
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function serve(script: ScriptedResponse, res: http.ServerResponse): void {
  if ("status" in script) {
    const isText = typeof script.body === "string" || script.body === undefined;
    const text = script.body === undefined ? "" : isText ? String(script.body) : JSON.stringify(script.body);
    res.writeHead(script.status, {
      "content-type": isText ? "text/plain" : "application/json",
      ...script.headers,
    });
    res.end(text);
    return;
  }
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", ...script.headers });
  res.flushHeaders();
  const body = flattenEvents(script.events).map(sseFrame).join("");
  const then = script.then ?? "end";
  if (then === "end") {
    res.end(body);
    return;
  }
  const afterWrite = (): void => {
    if (then === "drop") res.socket?.destroy();
    // "stall": keep the connection open and silent; close() or the client ends it.
  };
  if (body.length === 0) afterWrite();
  else res.write(body, afterWrite);
}

function recordRequest(req: http.IncomingMessage, rawBody: string): RecordedRequest {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : v;
  }
  const url = new URL(req.url ?? "/", "http://127.0.0.1");
  let body: unknown;
  try {
    body = rawBody.length > 0 ? JSON.parse(rawBody) : undefined;
  } catch {
    body = undefined;
  }
  const input: Array<Record<string, unknown>> = Array.isArray((body as { input?: unknown })?.input)
    ? (body as { input: Array<Record<string, unknown>> }).input
    : [];
  const textsOf = (item: Record<string, unknown>): string[] =>
    Array.isArray(item.content)
      ? (item.content as Array<Record<string, unknown>>)
          .filter((c) => c.type === "input_text" && typeof c.text === "string")
          .map((c) => c.text as string)
      : [];
  return {
    method: req.method ?? "",
    path: req.url ?? "",
    pathname: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers,
    body,
    rawBody,
    input,
    functionCallOutput: (callId) =>
      input.find(
        (i) =>
          (i.type === "function_call_output" || i.type === "custom_tool_call_output") && i.call_id === callId,
      ),
    inputText: () => input.flatMap(textsOf).join("\n"),
    lastUserText: () => {
      const users = input.filter((i) => i.type === "message" && i.role === "user");
      const last = users[users.length - 1];
      return last ? textsOf(last).join("\n") : undefined;
    },
  };
}
