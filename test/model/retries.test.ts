import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { ModelError, type ResponseEvent } from "../../src/core/model/contract.js";
import {
  CONTEXT_WINDOW_MESSAGE,
  IDLE_TIMEOUT_REASON,
  QUOTA_MESSAGE,
  STREAM_CLOSED_REASON,
} from "../../src/core/model/model-errors.js";
import { completed, created, failed, textMessage } from "../support/sse.js";
import {
  dropAfter,
  httpError,
  NO_SCRIPT_LEFT,
  sse,
  stallAfter,
  startFakeResponsesServer,
  type FakeServer,
} from "../support/fake-responses-server.js";
import { collect, makeClient, TEST_KEY, testProvider, testRequest } from "./client-harness.js";

let server: FakeServer;
beforeEach(async () => {
  server = await startFakeResponsesServer();
});
afterEach(async () => {
  await server.close();
});

const ok = () => sse(created("r_ok"), textMessage("done"), completed("r_ok"));
const retrying = (events: ResponseEvent[]) => events.filter((e) => e.type === "retrying");

function expectModelError(error: unknown): ModelError {
  expect(error).toBeInstanceOf(ModelError);
  return error as ModelError;
}

async function run(over: Parameters<typeof testProvider>[1] = {}) {
  const h = makeClient(testProvider(server.url, over));
  const result = await collect(h.client.stream(testRequest(), new AbortController().signal));
  return { ...result, sleeps: h.sleeps };
}

describe("request-level retries (silent)", () => {
  test("5xx backs off exponentially (200ms × 2^(n−1), jitter 1.0 here)", async () => {
    server.enqueue(httpError(500, "boom"), httpError(502, "bad"), httpError(503, "busy"), ok());
    const { error, sleeps } = await run({ requestMaxRetries: 4 });
    expect(error).toBeUndefined();
    expect(sleeps).toEqual([200, 400, 800]);
  });

  test("connect failure is retried, then reported as a network error", async () => {
    const closed = await startFakeResponsesServer();
    const url = closed.url;
    await closed.close();
    const h = makeClient(testProvider(url, { requestMaxRetries: 2, streamMaxRetries: 1 }));
    const { events, error } = await collect(h.client.stream(testRequest(), new AbortController().signal));
    const e = expectModelError(error);
    expect(e.error.kind).toBe("network");
    expect(e.message).toContain(`${url}/responses`);
    expect(h.sleeps).toHaveLength(2 + 1 + 2); // request retries, stream retry, request retries again
    expect(retrying(events)).toHaveLength(1);
  });
});

describe("stream-level retries", () => {
  test("429 past the request budget becomes a Reconnecting notice, then succeeds", async () => {
    server.enqueue(httpError(429, "slow", { "retry-after": "1" }), ok());
    const { events, error, sleeps } = await run({ requestMaxRetries: 0, streamMaxRetries: 5 });
    expect(error).toBeUndefined();
    expect(retrying(events)).toEqual([
      {
        type: "retrying",
        attempt: 1,
        maxAttempts: 5,
        reason: "exceeded retry limit, last status: 429 Too Many Requests",
        delayMs: 1000,
      },
    ]);
    expect(sleeps).toEqual([1000]);
  });

  test("reference recording: 429 (retry-after 1), 500, success → 3 POSTs, one notice", async () => {
    server.enqueue(httpError(429, "slow", { "retry-after": "1" }), httpError(500, "boom"), ok());
    const { events, error, sleeps } = await run({ requestMaxRetries: 4, streamMaxRetries: 5 });
    expect(error).toBeUndefined();
    expect(retrying(events)).toEqual([
      expect.objectContaining({ attempt: 1, maxAttempts: 5, reason: "exceeded retry limit, last status: 429 Too Many Requests" }),
    ]);
    expect(sleeps).toEqual([1000, 200]);
    expect(server.requests).toHaveLength(3);
  });

  test("429 honours an HTTP-date retry-after and a 'try again in' hint", async () => {
    const date = new Date(Date.now() + 30_000).toUTCString();
    server.enqueue(
      httpError(429, "slow", { "retry-after": date }),
      httpError(429, "Rate limit reached. Please try again in 1.5s."),
      httpError(429, "no hint"),
      ok(),
    );
    const { error, sleeps } = await run({ streamMaxRetries: 3 });
    expect(error).toBeUndefined();
    expect(sleeps[0]).toBeGreaterThan(25_000);
    expect(sleeps[0]).toBeLessThanOrEqual(30_000);
    expect(sleeps.slice(1)).toEqual([1500, 800]); // third retry without a hint: plain backoff
  });

  test("429 forever ends as rate_limited with retryAfterMs", async () => {
    server.enqueue(...Array.from({ length: 3 }, () => httpError(429, "slow", { "retry-after": "3" })));
    const { events, error } = await run({ requestMaxRetries: 4, streamMaxRetries: 2 });
    const e = expectModelError(error);
    expect(e.error).toEqual({
      kind: "rate_limited",
      message: "exceeded retry limit, last status: 429 Too Many Requests",
      httpStatus: 429,
      retryAfterMs: 3000,
    });
    expect(retrying(events)).toHaveLength(2);
    expect(server.requests.length).toBe(3);
    expect(server.unscriptedRequests).toBe(0);
  });

  test("5xx forever ends as server_error", async () => {
    server.enqueue(httpError(500, "boom"), httpError(500, "boom"));
    const { error } = await run({ requestMaxRetries: 0, streamMaxRetries: 1 });
    expect(expectModelError(error).error).toMatchObject({
      kind: "server_error",
      message: "exceeded retry limit, last status: 500 Internal Server Error",
      httpStatus: 500,
    });
  });

  test("mid-stream drop: notice with the reference reason, partial output discarded by a fresh created", async () => {
    server.enqueue(dropAfter(created("r1"), { type: "response.output_text.delta", delta: "par" }), ok());
    const { events, error } = await run({ streamMaxRetries: 5 });
    expect(error).toBeUndefined();
    expect(events.map((e) => e.type)).toEqual([
      "created",
      "output_text_delta",
      "retrying",
      "created",
      "output_item_added",
      "output_text_delta",
      "output_item_done",
      "completed",
    ]);
    expect(retrying(events)[0]).toMatchObject({ attempt: 1, maxAttempts: 5, reason: STREAM_CLOSED_REASON });
  });

  test("stream ending without response.completed counts as a drop; out of budget → stream_disconnected", async () => {
    server.enqueue(sse(created("r1"), textMessage("x")), sse(created("r2")));
    const { events, error } = await run({ streamMaxRetries: 1 });
    expect(expectModelError(error).error).toEqual({ kind: "stream_disconnected", message: STREAM_CLOSED_REASON });
    expect(retrying(events)).toHaveLength(1);
  });

  test("idle stall: retried, then idle_timeout when the budget runs out", async () => {
    server.enqueue(stallAfter(created("r1")), stallAfter());
    const started = Date.now();
    const { events, error } = await run({ streamIdleTimeoutMs: 100, streamMaxRetries: 1 });
    expect(expectModelError(error).error).toEqual({ kind: "idle_timeout", message: IDLE_TIMEOUT_REASON });
    expect(retrying(events)).toEqual([expect.objectContaining({ reason: IDLE_TIMEOUT_REASON })]);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  test("idle stall then success", async () => {
    server.enqueue(stallAfter(created("r1"), { type: "response.output_text.delta", delta: "x" }), ok());
    // Generous window: only the stalled attempt should hit it, even on a loaded machine.
    const { events, error } = await run({ streamIdleTimeoutMs: 400, streamMaxRetries: 3 });
    expect(error).toBeUndefined();
    expect(retrying(events)).toEqual([expect.objectContaining({ reason: IDLE_TIMEOUT_REASON })]);
    expect(events.at(-1)?.type).toBe("completed");
  });

  test("retryable response.failed: retried; rate_limit_exceeded uses the 'try again in' delay", async () => {
    server.enqueue(
      sse(created("r1"), failed("server_error", "The server had an error")),
      sse(created("r2"), failed("rate_limit_exceeded", "Rate limit reached. Please try again in 250ms.")),
      ok(),
    );
    const { events, error, sleeps } = await run({ streamMaxRetries: 3 });
    expect(error).toBeUndefined();
    expect(retrying(events).map((e) => e.type === "retrying" && e.reason)).toEqual([
      "stream disconnected before completion: The server had an error",
      "stream disconnected before completion: Rate limit reached. Please try again in 250ms.",
    ]);
    expect(sleeps).toEqual([200, 250]);
  });
});

describe("fatal errors", () => {
  test("401 is fatal after one request: unauthorized with status, body message, url and the key's source; key never shown", async () => {
    const body = { error: { message: `Incorrect API key provided: ${TEST_KEY}`, code: "invalid_api_key" } };
    server.enqueue(httpError(401, body), httpError(401, body), httpError(401, body));
    const h = makeClient(testProvider(server.url, { requestMaxRetries: 3, streamMaxRetries: 5 }), { keySource: "MOCK_API_KEY" });
    const { events, error } = await collect(h.client.stream(testRequest(), new AbortController().signal));
    const e = expectModelError(error);
    expect(e.error).toEqual({
      kind: "unauthorized",
      message: `unexpected status 401 Unauthorized: Incorrect API key provided: [REDACTED], url: ${server.url}/responses; check the API key in MOCK_API_KEY`,
      httpStatus: 401,
    });
    expect(server.requests).toHaveLength(1); // no retry can cure a rejected key
    expect(retrying(events)).toEqual([]);
    expect(h.sleeps).toEqual([]);
    for (const ev of events) expect(JSON.stringify(ev)).not.toContain(TEST_KEY);
    expect(e.message).not.toContain(TEST_KEY);
    expect(String(e.stack)).not.toContain(TEST_KEY);
  });

  test("403 keeps the stream-level retries before giving up", async () => {
    server.enqueue(httpError(403, "forbidden"), httpError(403, "forbidden"));
    const { events, error } = await run({ requestMaxRetries: 3, streamMaxRetries: 1 });
    expect(expectModelError(error).error.kind).toBe("unauthorized");
    expect(server.requests).toHaveLength(2);
    expect(retrying(events)).toHaveLength(1);
  });

  test("400 is not retried: invalid_request", async () => {
    server.enqueue(httpError(400, "Invalid value for 'input'"));
    const { error } = await run({ requestMaxRetries: 4, streamMaxRetries: 5 });
    expect(expectModelError(error).error).toEqual({
      kind: "invalid_request",
      message: `unexpected status 400 Bad Request: Invalid value for 'input', url: ${server.url}/responses`,
      httpStatus: 400,
    });
    expect(server.requests).toHaveLength(1);
  });

  test("non-JSON error bodies are used verbatim", async () => {
    server.enqueue({ status: 404, body: "no such route" });
    const { error } = await run();
    expect(expectModelError(error).message).toBe(
      `unexpected status 404 Not Found: no such route, url: ${server.url}/responses`,
    );
  });

  test("insufficient_quota (HTTP 429 body) is fatal at once", async () => {
    server.enqueue(httpError(429, { error: { message: "You exceeded your current quota", type: "insufficient_quota" } }));
    const { error } = await run({ requestMaxRetries: 4, streamMaxRetries: 5 });
    expect(expectModelError(error).error).toEqual({ kind: "quota_exceeded", message: QUOTA_MESSAGE, httpStatus: 429 });
    expect(server.requests).toHaveLength(1);
  });

  test("context_length_exceeded (HTTP 400 body) and response.failed", async () => {
    server.enqueue(httpError(400, { error: { message: "too long", code: "context_length_exceeded" } }));
    const first = await run({ streamMaxRetries: 5 });
    expect(expectModelError(first.error).error).toMatchObject({
      kind: "context_window_exceeded",
      message: CONTEXT_WINDOW_MESSAGE,
    });

    server.enqueue(sse(created("r1"), failed("context_length_exceeded", "Your input exceeds the context window")));
    const second = await run({ streamMaxRetries: 5 });
    expect(expectModelError(second.error).error).toEqual({
      kind: "context_window_exceeded",
      message: CONTEXT_WINDOW_MESSAGE,
    });
    expect(retrying(second.events)).toEqual([]);
  });

  test("response.failed insufficient_quota is fatal", async () => {
    server.enqueue(sse(created("r1"), failed("insufficient_quota", "quota")));
    const { error } = await run({ streamMaxRetries: 5 });
    expect(expectModelError(error).error).toEqual({ kind: "quota_exceeded", message: QUOTA_MESSAGE });
    expect(server.requests).toHaveLength(1);
  });

  test("an empty script fails loudly", async () => {
    const { error } = await run({ requestMaxRetries: 0, streamMaxRetries: 0 });
    expect(expectModelError(error).error.kind).toBe("server_error");
    expect(server.unscriptedRequests).toBe(1);
    const res = await fetch(`${server.url}/responses`, { method: "POST", body: "{}" });
    expect(res.status).toBe(500);
    expect(await res.text()).toBe(NO_SCRIPT_LEFT);
  });
});

describe("hangs", () => {
  test("an error reply whose body never finishes still ends (idle window)", async () => {
    const stalledError: typeof fetch = async (_url, init) =>
      new Response(
        new ReadableStream<Uint8Array>({
          start(c) {
            c.enqueue(new TextEncoder().encode('{"error":'));
            init?.signal?.addEventListener("abort", () => c.error(new Error("aborted")));
          },
        }),
        { status: 500 },
      );
    const h = makeClient(testProvider(server.url, { streamIdleTimeoutMs: 100 }), { fetch: stalledError });
    const { error } = await collect(h.client.stream(testRequest(), new AbortController().signal));
    expect(expectModelError(error).error.kind).toBe("server_error");
  });
});

describe("budgets", () => {
  test("retry budgets are capped at 100", async () => {
    const failingFetch: typeof fetch = async () => {
      throw new TypeError("fetch failed");
    };
    const h = makeClient(testProvider(server.url, { requestMaxRetries: 0, streamMaxRetries: 1_000 }), {
      fetch: failingFetch,
    });
    const { events, error } = await collect(h.client.stream(testRequest(), new AbortController().signal));
    expect(expectModelError(error).error.kind).toBe("network");
    expect(retrying(events)).toHaveLength(100);
    expect(retrying(events)[0]).toMatchObject({ maxAttempts: 100 });
  });
});
