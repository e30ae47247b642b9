import { afterEach, beforeEach, expect, test } from "vitest";
import { abortableSleep } from "../../src/core/model/abort.js";
import { created, sseBody, textMessage } from "../support/sse.js";
import { httpError, stallAfter, startFakeResponsesServer, type FakeServer } from "../support/fake-responses-server.js";
import { makeClient, testProvider, testRequest } from "./client-harness.js";

let server: FakeServer;
beforeEach(async () => {
  server = await startFakeResponsesServer();
});
afterEach(async () => {
  await server.close();
});

test("abort mid-stream ends the iteration promptly with an AbortError", async () => {
  server.enqueue(stallAfter(created("r1"), textMessage("partial")));
  const { client } = makeClient(testProvider(server.url, { streamIdleTimeoutMs: 60_000, streamMaxRetries: 5 }));
  const ctl = new AbortController();
  const seen: string[] = [];
  const started = Date.now();
  const run = (async () => {
    for await (const ev of client.stream(testRequest(), ctl.signal)) {
      seen.push(ev.type);
      if (ev.type === "output_item_done") ctl.abort();
    }
  })();
  await expect(run).rejects.toMatchObject({ name: "AbortError" });
  expect(seen).toEqual(["created", "output_item_added", "output_text_delta", "output_item_done"]);
  expect(Date.now() - started).toBeLessThan(5_000);
  expect(server.requests).toHaveLength(1); // no retry after an abort
});

test("abort while waiting on a silent stream", async () => {
  server.enqueue(stallAfter(created("r1")));
  const { client } = makeClient(testProvider(server.url, { streamIdleTimeoutMs: 60_000 }));
  const ctl = new AbortController();
  const run = (async () => {
    for await (const ev of client.stream(testRequest(), ctl.signal)) {
      if (ev.type === "created") setImmediate(() => ctl.abort());
    }
  })();
  await expect(run).rejects.toMatchObject({ name: "AbortError" });
});

test("abort during a retry backoff (real sleep, long retry-after)", async () => {
  server.enqueue(httpError(429, "slow", { "retry-after": "600" }));
  let sleeping!: () => void;
  const inSleep = new Promise<void>((resolve) => (sleeping = resolve));
  const slept: number[] = [];
  const { client } = makeClient(testProvider(server.url, { streamMaxRetries: 3 }), {
    sleep: (ms, signal) => {
      slept.push(ms);
      sleeping();
      return abortableSleep(ms, signal);
    },
  });
  const ctl = new AbortController();
  const seen: string[] = [];
  const run = (async () => {
    for await (const ev of client.stream(testRequest(), ctl.signal)) seen.push(ev.type);
  })();
  await inSleep;
  const started = Date.now();
  ctl.abort();
  await expect(run).rejects.toMatchObject({ name: "AbortError" });
  expect(Date.now() - started).toBeLessThan(2_000);
  expect(slept).toEqual([300_000]); // hints are capped at 5 minutes
  expect(seen).toEqual(["retrying"]);
});

test("an already-aborted signal sends nothing", async () => {
  const { client } = makeClient(testProvider(server.url));
  const ctl = new AbortController();
  ctl.abort();
  const iter = client.stream(testRequest(), ctl.signal)[Symbol.asyncIterator]();
  await expect(iter.next()).rejects.toMatchObject({ name: "AbortError" });
  expect(server.requests).toHaveLength(0);
});

test("breaking out early cancels the response body", async () => {
  let cancelled = false;
  const fetchStub: typeof fetch = async () =>
    new Response(
      new ReadableStream<Uint8Array>({
        start(c) {
          c.enqueue(new TextEncoder().encode(sseBody([created("r1")])));
        },
        cancel() {
          cancelled = true;
        },
      }),
      { status: 200 },
    );
  const { client } = makeClient(testProvider("http://127.0.0.1:9/v1", { streamIdleTimeoutMs: 60_000 }), {
    fetch: fetchStub,
  });
  for await (const ev of client.stream(testRequest(), new AbortController().signal)) {
    if (ev.type === "created") break;
  }
  expect(cancelled).toBe(true);
});
