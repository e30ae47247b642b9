import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { mapSseEvent, mapUsage } from "../../src/core/model/sse-events.js";
import {
  completed,
  created,
  customToolCall,
  functionCall,
  malformed,
  reasoning,
  RawSse,
  sseBody,
  textMessage,
} from "../support/sse.js";
import { sse, startFakeResponsesServer, type FakeServer } from "../support/fake-responses-server.js";
import { collect, makeClient, testProvider, testRequest } from "./client-harness.js";

let server: FakeServer;
beforeEach(async () => {
  server = await startFakeResponsesServer();
});
afterEach(async () => {
  await server.close();
});

describe("SSE decoding over HTTP", () => {
  test("a full response maps to ResponseEvents in order", async () => {
    server.enqueue(
      sse(
        created("r1"),
        { type: "response.in_progress", response: { id: "r1" } },
        reasoning("thinking", { encrypted: "enc-1" }),
        { type: "response.reasoning_text.delta", item_id: "rs_1", content_index: 0, delta: "raw" },
        malformed(),
        textMessage("Hello world", { chunks: ["Hello", " world"] }),
        functionCall("call_1", "exec_command", { cmd: "ls" }),
        customToolCall("call_2", "apply_patch", "*** Begin Patch\n*** End Patch"),
        completed("r1", { input_tokens: 100, cached_tokens: 40, output_tokens: 20, reasoning_tokens: 7, total_tokens: 120 }),
      ),
    );
    const { client } = makeClient(testProvider(server.url));
    const { events, error } = await collect(client.stream(testRequest(), new AbortController().signal));
    expect(error).toBeUndefined();
    expect(events.map((e) => e.type)).toEqual([
      "created",
      "output_item_added",
      "reasoning_summary_delta",
      "output_item_done",
      "reasoning_content_delta",
      "output_item_added",
      "output_text_delta",
      "output_text_delta",
      "output_item_done",
      "output_item_added",
      "output_item_done",
      "output_item_added",
      "output_item_done",
      "completed",
    ]);
    expect(events[0]).toEqual({ type: "created", responseId: "r1" });
    expect(events[2]).toEqual({ type: "reasoning_summary_delta", delta: "thinking", summaryIndex: 0 });
    expect(events[3]).toMatchObject({ item: { type: "reasoning", encrypted_content: "enc-1" } });
    expect(events[4]).toEqual({ type: "reasoning_content_delta", delta: "raw" });
    expect(events[8]).toEqual({
      type: "output_item_done",
      item: {
        type: "message",
        id: "msg_1",
        role: "assistant",
        status: "completed",
        content: [{ type: "output_text", text: "Hello world", annotations: [] }],
      },
    });
    expect(events[10]).toMatchObject({
      item: { type: "function_call", call_id: "call_1", name: "exec_command", arguments: '{"cmd":"ls"}' },
    });
    expect(events[12]).toMatchObject({ item: { type: "custom_tool_call", call_id: "call_2", name: "apply_patch" } });
    expect(events[13]).toEqual({
      type: "completed",
      responseId: "r1",
      usage: { input_tokens: 100, cached_input_tokens: 40, output_tokens: 20, reasoning_output_tokens: 7, total_tokens: 120 },
    });
  });

  test("events split across arbitrary chunk boundaries still decode", async () => {
    const body = sseBody([created("r1"), textMessage("abc"), completed("r1")]);
    // A fetch stub that serves the body one byte per chunk, exercising the parser's buffering.
    const bytes = new TextEncoder().encode(body);
    const fetchStub: typeof fetch = async () =>
      new Response(
        new ReadableStream<Uint8Array>({
          start(c) {
            for (const b of bytes) c.enqueue(new Uint8Array([b]));
            c.close();
          },
        }),
        { status: 200, headers: { "content-type": "text/event-stream" } },
      );
    const { client } = makeClient(testProvider("http://127.0.0.1:9/v1"), { fetch: fetchStub });
    const { events, error } = await collect(client.stream(testRequest(), new AbortController().signal));
    expect(error).toBeUndefined();
    expect(events.filter((e) => e.type === "output_text_delta")).toEqual([{ type: "output_text_delta", delta: "abc" }]);
    expect(events.at(-1)?.type).toBe("completed");
  });

  test("the stream ends at response.completed even if the server keeps the connection open", async () => {
    server.enqueue({ events: [created("r1"), completed("r1")], then: "stall" });
    const { client } = makeClient(testProvider(server.url, { streamIdleTimeoutMs: 60_000 }));
    const { events, error } = await collect(client.stream(testRequest(), new AbortController().signal));
    expect(error).toBeUndefined();
    expect(events.map((e) => e.type)).toEqual(["created", "completed"]);
  });
});

describe("mapSseEvent / mapUsage", () => {
  test("ignores unknown and incomplete payloads", () => {
    expect(mapSseEvent({ type: "response.content_part.added" })).toEqual({ kind: "ignore" });
    expect(mapSseEvent({ type: "response.output_text.delta" })).toEqual({ kind: "ignore" });
    expect(mapSseEvent({ type: "response.output_item.done", item: "nope" })).toEqual({ kind: "ignore" });
    expect(mapSseEvent(null)).toEqual({ kind: "ignore" });
    expect(mapSseEvent([1])).toEqual({ kind: "ignore" });
  });

  test("failed carries the error code and message", () => {
    expect(mapSseEvent({ type: "response.failed", response: { error: { code: "x", message: "m" } } })).toEqual({
      kind: "failed",
      error: { code: "x", message: "m" },
    });
  });

  test("usage: missing details count as zero; absent usage is null", () => {
    expect(mapUsage({ input_tokens: 3, output_tokens: 4 })).toEqual({
      input_tokens: 3,
      cached_input_tokens: 0,
      output_tokens: 4,
      reasoning_output_tokens: 0,
      total_tokens: 7,
    });
    expect(mapUsage(undefined)).toBeNull();
    expect(mapSseEvent({ type: "response.completed", response: { id: "r" } })).toEqual({
      kind: "completed",
      event: { type: "completed", responseId: "r", usage: null },
    });
  });

  test("sseBody serialises event and data lines; raw chunks pass through", () => {
    expect(sseBody([created("r1"), new RawSse(": comment\n\n")])).toBe(
      `event: response.created\ndata: {"type":"response.created","response":{"id":"r1"}}\n\n: comment\n\n`,
    );
  });
});
