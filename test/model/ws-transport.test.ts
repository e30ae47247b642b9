import { afterEach, beforeEach, expect, test } from "vitest";
import WebSocket from "ws";
import { createWsTransport, type WsTransport } from "../../src/core/model/ws-responses-client.js";
import type { ModelRequest, ResponseEvent } from "../../src/core/model/contract.js";
import { dropAfter, sse } from "../support/fake-responses-server.js";
import { startFakeWsResponsesServer, type FakeWsServer } from "../support/fake-ws-responses-server.js";
import { completed, created, functionCall, textMessage } from "../support/sse.js";
import { collect, makeClient, TEST_KEY, testProvider, testRequest } from "./client-harness.js";

let server: FakeWsServer;
let logs: string[];
beforeEach(async () => {
  server = await startFakeWsResponsesServer();
  logs = [];
});
afterEach(async () => {
  await server.close();
});

function transport(over: { connectTimeoutMs?: number } = {}): WsTransport {
  const provider = testProvider(server.url, { supportsWebsockets: true });
  return createWsTransport({
    provider,
    auth: async () => TEST_KEY,
    originator: "codex_exec",
    version: "0.169.0",
    env: {},
    osInfo: { name: "Debian", version: "12.0.0", arch: "x86_64" },
    http: makeClient(provider).client,
    log: (line) => logs.push(line),
    ...over,
  });
}

const reply = (id: string, text: string) => sse(created(id), textMessage(text), completed(id));
const texts = (events: ResponseEvent[]) =>
  events.flatMap((e) => (e.type === "output_item_done" && e.item.type === "message" ? [JSON.stringify(e.item.content)] : []));

test("a turn goes over the socket: handshake as the reference sends it, response.create, the SSE events", async () => {
  server.enqueue(reply("r1", "hello over ws"));
  const client = transport().client();
  const req = testRequest({ headers: { "session-id": "t1", "x-codex-turn-metadata": "{}" }, clientMetadata: { thread_id: "t1" } });
  const { events, error } = await collect(client.stream(req, new AbortController().signal));
  expect(error).toBeUndefined();
  expect(events.map((e) => e.type)).toEqual(["created", "output_item_added", "output_text_delta", "output_item_done", "completed"]);
  expect(texts(events)[0]).toContain("hello over ws");
  expect(server.http.requests).toHaveLength(0);
  const [hs] = server.handshakes;
  expect(hs!.path).toBe("/v1/responses");
  expect(hs!.headers["openai-beta"]).toBe("responses_websockets=2026-02-06");
  expect(hs!.headers.authorization).toBe(`Bearer ${TEST_KEY}`);
  expect(hs!.headers.originator).toBe("codex_exec");
  expect(hs!.headers["session-id"]).toBe("t1");
  expect(hs!.headers.accept).toBeUndefined();
  const [sent] = server.wsRequests;
  expect(Object.keys(sent!.body).slice(0, 4)).toEqual(["type", "model", "stream", "input"]);
  expect(sent!.body).toMatchObject({ type: "response.create", model: "gpt-5.5", stream: true, store: false, tool_choice: "auto" });
  expect(sent!.body.previous_response_id).toBeUndefined();
  expect(sent!.body.client_metadata.thread_id).toBe("t1");
  expect(Number(sent!.body.client_metadata["x-codex-ws-stream-request-start-ms"])).toBeGreaterThan(0);
  expect(logs).toEqual([]);
  client.close();
});

test("one socket per thread is reused across turns; a continuation sends only new items with previous_response_id", async () => {
  server.enqueue(
    sse(created("r1"), functionCall("call_1", "exec_command", { cmd: "ls" }), completed("r1")),
    reply("r2", "done"),
    reply("r3", "second turn"),
  );
  const client = transport().client();
  const signal = new AbortController().signal;
  const user = testRequest().input;
  const first = await collect(client.stream(testRequest(), signal));
  const call = first.events.find((e) => e.type === "output_item_done")!;
  const callItem = (call as Extract<ResponseEvent, { type: "output_item_done" }>).item;
  const output = { type: "function_call_output", call_id: "call_1", output: "a.txt" };
  const second = await collect(client.stream(testRequest({ input: [...user, callItem, output] as ModelRequest["input"] }), signal));
  expect(second.error).toBeUndefined();
  const answer = (second.events.find((e) => e.type === "output_item_done") as Extract<ResponseEvent, { type: "output_item_done" }>).item;
  const next = { type: "message", role: "user", content: [{ type: "input_text", text: "again" }] };
  const third = await collect(
    client.stream(testRequest({ input: [...user, callItem, output, answer, next] as ModelRequest["input"] }), signal),
  );
  expect(third.error).toBeUndefined();
  expect(server.handshakes).toHaveLength(1);
  expect(server.wsRequests.map((r) => r.connection)).toEqual([1, 1, 1]);
  expect(server.wsRequests[1]!.body.previous_response_id).toBe("r1");
  expect(server.wsRequests[1]!.input).toEqual([output]);
  expect(server.wsRequests[2]!.body.previous_response_id).toBe("r2");
  expect(server.wsRequests[2]!.input).toEqual([next]);
  expect(server.wsRequests[2]!.fullInput).toHaveLength(5);
  expect(server.refused).toEqual([]);
  client.close();
});

test("a request whose settings or history changed is sent whole (no previous_response_id)", async () => {
  server.enqueue(reply("r1", "one"), reply("r2", "two"));
  const client = transport().client();
  const signal = new AbortController().signal;
  await collect(client.stream(testRequest(), signal));
  const replaced = [{ type: "message", role: "user", content: [{ type: "input_text", text: "summary" }] }] as ModelRequest["input"];
  const { error } = await collect(client.stream(testRequest({ input: replaced }), signal));
  expect(error).toBeUndefined();
  expect(server.wsRequests[1]!.body.previous_response_id).toBeUndefined();
  expect(server.wsRequests[1]!.input).toEqual(replaced);
  client.close();
});

test("a refused upgrade (426) falls back to HTTP at once, with one log line, for the rest of the session", async () => {
  server.upgrade = { refuse: 426 };
  server.enqueue(reply("r1", "over http"), reply("r2", "still http"));
  const t = transport();
  const started = Date.now();
  const a = await collect(t.client().stream(testRequest(), new AbortController().signal));
  expect(a.error).toBeUndefined();
  expect(Date.now() - started).toBeLessThan(2_000);
  const b = await collect(t.client().stream(testRequest(), new AbortController().signal));
  expect(b.error).toBeUndefined();
  expect(server.handshakes).toHaveLength(1); // a second thread of the session does not try again
  expect(server.http.requests).toHaveLength(2);
  expect(logs).toHaveLength(1);
  expect(logs[0]).toContain("HTTP 426");
  expect(t.fellBack).toBe(true);
});

test("a hung connect falls back after websocket_connect_timeout_ms", async () => {
  server.upgrade = "hang";
  server.enqueue(reply("r1", "over http"));
  const client = transport({ connectTimeoutMs: 300 }).client();
  const started = Date.now();
  const { events, error } = await collect(client.stream(testRequest(), new AbortController().signal));
  const took = Date.now() - started;
  expect(error).toBeUndefined();
  expect(took).toBeGreaterThanOrEqual(290);
  expect(took).toBeLessThan(5_000);
  expect(texts(events)[0]).toContain("over http");
  expect(logs).toHaveLength(1);
  expect(logs[0]).toContain("timed out after 300 ms");
});

test("an interrupt while the socket is still connecting ends the request at once, without falling back", async () => {
  server.upgrade = "hang";
  const client = transport({ connectTimeoutMs: 60_000 }).client();
  const ctl = new AbortController();
  const run = collect(client.stream(testRequest(), ctl.signal));
  await server.waitForHandshakes(1);
  const started = Date.now();
  ctl.abort();
  const { error } = await run;
  expect(error).toMatchObject({ name: "AbortError" });
  expect(Date.now() - started).toBeLessThan(2_000);
  expect(server.http.requests).toHaveLength(0);
  expect(logs).toEqual([]);
});

test("a socket dropped mid-response: the request is re-sent over HTTP after a notice; later ones stay on HTTP", async () => {
  server.enqueue(dropAfter(created("r1"), textMessage("partial")), reply("r2", "from http"), reply("r3", "http again"));
  const client = transport().client();
  const signal = new AbortController().signal;
  const { events, error } = await collect(client.stream(testRequest(), signal));
  expect(error).toBeUndefined();
  expect(events.map((e) => e.type)).toContain("retrying");
  expect(texts(events).at(-1)).toContain("from http");
  await collect(client.stream(testRequest(), signal));
  expect(server.wsRequests).toHaveLength(1);
  expect(server.http.requests).toHaveLength(2);
  expect(logs).toHaveLength(1);
});

test("the turn's trace context travels as client_metadata keys over the socket and as headers over HTTP", async () => {
  const traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
  server.enqueue(reply("r1", "ws"));
  const client = transport().client();
  await collect(client.stream(testRequest({ traceContext: { traceparent, tracestate: "k=v" } }), new AbortController().signal));
  expect(server.wsRequests[0]!.body.client_metadata).toMatchObject({
    ws_request_header_traceparent: traceparent,
    ws_request_header_tracestate: "k=v",
  });
  server.enqueue(reply("r2", "http"));
  const http = makeClient(testProvider(server.url)).client;
  await collect(http.stream(testRequest({ traceContext: { traceparent } }), new AbortController().signal));
  expect(server.http.requests[0]!.headers.traceparent).toBe(traceparent);
  expect(server.http.requests[0]!.headers.tracestate).toBeUndefined();
  client.close();
});

test("the fake refuses what the real API refuses: an unknown previous_response_id, a dangling call", async () => {
  server.enqueue(reply("r1", "unused"));
  const ws = new WebSocket(server.url.replace("http", "ws") + "/responses");
  await new Promise((resolve) => ws.once("open", resolve));
  const replies: Array<Record<string, unknown>> = [];
  ws.on("message", (raw) => replies.push(JSON.parse(raw.toString())));
  const wait = (n: number) =>
    new Promise<void>((resolve) => {
      const check = () => (replies.length >= n ? resolve() : setImmediate(check));
      check();
    });
  ws.send(JSON.stringify({ type: "response.create", model: "gpt-5.5", previous_response_id: "nope", input: [] }));
  await wait(1);
  ws.send(JSON.stringify({ type: "response.create", model: "gpt-5.5", input: [{ type: "function_call", call_id: "c1", name: "x", arguments: "{}" }] }));
  await wait(2);
  expect(replies.map((r) => (r.error as { code?: string; message: string }).code ?? (r.error as { message: string }).message)).toEqual([
    "previous_response_not_found",
    "No tool output found for function call c1.",
  ]);
  expect(server.http.pending()).toBe(1);
  ws.close();
});

test("prewarm opens the socket before the first request, which then uses it; a refused prewarm means HTTP at once", async () => {
  server.enqueue(reply("r1", "warm"));
  const client = transport().client();
  client.prewarm({ "session-id": "t1" });
  await server.waitForHandshakes(1);
  const { error } = await collect(client.stream(testRequest(), new AbortController().signal));
  expect(error).toBeUndefined();
  expect(server.handshakes).toHaveLength(1);
  expect(server.handshakes[0]!.headers["session-id"]).toBe("t1");
  expect(server.wsRequests).toHaveLength(1);
  client.close();

  server.upgrade = { refuse: 426 };
  server.enqueue(reply("r2", "http"));
  const t = transport();
  const cold = t.client();
  cold.prewarm({});
  await server.waitForHandshakes(2);
  const second = await collect(cold.stream(testRequest(), new AbortController().signal));
  expect(second.error).toBeUndefined();
  expect(server.handshakes).toHaveLength(2);
  expect(server.http.requests).toHaveLength(1);
  expect(logs).toHaveLength(1);
});

test("a continuation the server no longer holds (previous_response_not_found) is sent again whole, on the same socket", async () => {
  server.enqueue(reply("r1", "one"), reply("r2", "two"));
  const client = transport().client();
  const signal = new AbortController().signal;
  const first = await collect(client.stream(testRequest(), signal));
  const answer = (first.events.find((e) => e.type === "output_item_done") as Extract<ResponseEvent, { type: "output_item_done" }>).item;
  server.forgetResponses();
  const next = [...testRequest().input, answer, { type: "message", role: "user", content: [{ type: "input_text", text: "more" }] }] as ModelRequest["input"];
  const { events, error } = await collect(client.stream(testRequest({ input: next }), signal));
  expect(error).toBeUndefined();
  expect(texts(events).at(-1)).toContain("two");
  expect(server.refused).toEqual(["Previous response with id 'r1' not found."]);
  // The refused message is not recorded; the whole one is, on connection 1.
  expect(server.wsRequests.map((r) => r.body.previous_response_id)).toEqual([undefined, undefined]);
  expect(server.wsRequests[1]!.input).toHaveLength(3);
  expect(server.handshakes).toHaveLength(1);
  expect(server.http.requests).toHaveLength(0);
  expect(logs).toEqual([]);
  client.close();
});
