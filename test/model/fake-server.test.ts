import { afterEach, beforeEach, expect, test } from "vitest";
import { completed, created, functionCall } from "../support/sse.js";
import { sse, startFakeResponsesServer, type FakeServer } from "../support/fake-responses-server.js";

let server: FakeServer;
beforeEach(async () => {
  server = await startFakeResponsesServer();
});
afterEach(async () => {
  await server.close();
});

test("url is a loopback base ending in /v1", () => {
  expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
});

test("websocket probes get 426 and are not recorded as requests", async () => {
  const res = await fetch(`${server.url}/responses`, { method: "GET" });
  expect(res.status).toBe(426);
  const { default: WebSocket } = await import("ws");
  const ws = new WebSocket(`${server.url.replace("http", "ws")}/responses`);
  const status = await new Promise<number | undefined>((resolve) => {
    ws.on("unexpected-response", (_req, r) => resolve(r.statusCode));
    ws.on("error", () => resolve(undefined));
  });
  expect(status).toBe(426);
  expect(server.upgradeAttempts).toBe(2);
  expect(server.requests).toHaveLength(0);
});

test("recorded requests: headers lower-cased, parsed body, helpers", async () => {
  server.enqueue(sse(created("r1"), functionCall("c1", "shell", {}), completed("r1")));
  const input = [
    { type: "message", role: "developer", content: [{ type: "input_text", text: "base" }] },
    { type: "message", role: "user", content: [{ type: "input_text", text: "hello" }] },
    { type: "function_call", call_id: "c0", name: "shell", arguments: "{}" },
    { type: "function_call_output", call_id: "c0", output: "out" },
  ];
  const res = await fetch(`${server.url}/responses?x=1`, {
    method: "POST",
    headers: { "X-Mixed-Case": "v", "content-type": "application/json" },
    body: JSON.stringify({ model: "m", input }),
  });
  expect(res.headers.get("content-type")).toBe("text/event-stream");
  expect(await res.text()).toContain("event: response.completed");
  const [r] = await server.waitForRequests(1);
  expect(r?.headers["x-mixed-case"]).toBe("v");
  expect(r?.path).toBe("/v1/responses?x=1");
  expect(r?.query).toEqual({ x: "1" });
  expect(r?.body.model).toBe("m");
  expect(r?.functionCallOutput("c0")).toEqual({ type: "function_call_output", call_id: "c0", output: "out" });
  expect(r?.functionCallOutput("nope")).toBeUndefined();
  expect(r?.inputText()).toBe("base\nhello");
  expect(r?.lastUserText()).toBe("hello");
  expect(server.pending()).toBe(0);
});

test("waitForRequests times out with a clear message", async () => {
  await expect(server.waitForRequests(1, { timeoutMs: 50 })).rejects.toThrow(
    "fake server: waited 50ms for 1 request(s), got 0",
  );
});
