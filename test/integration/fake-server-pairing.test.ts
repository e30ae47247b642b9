// The fake Responses server refuses what the real API refuses: a tool call without its output and
// an output without its call (HTTP 400, the API's JSON error body), so every test checks pairing.
import { afterEach, beforeEach, expect, test } from "vitest";
import { sse, startFakeResponsesServer, type FakeServer } from "../support/fake-responses-server.js";
import { completed, created, textMessage } from "../support/sse.js";

let server: FakeServer;
beforeEach(async () => {
  server = await startFakeResponsesServer();
});
afterEach(async () => {
  await server.close();
});

const post = (input: unknown[]) =>
  fetch(`${server.url}/responses`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ model: "m", input }) });

test("a dangling function call is refused with the API's 400 and consumes no script", async () => {
  server.enqueue(sse(created(), textMessage("hi"), completed()));
  const res = await post([
    { type: "message", role: "user", content: [{ type: "input_text", text: "x" }] },
    { type: "function_call", call_id: "call_x", name: "exec_command", arguments: "{}" },
  ]);
  expect(res.status).toBe(400);
  expect(await res.json()).toEqual({
    error: { message: "No tool output found for function call call_x.", type: "invalid_request_error", param: "input", code: null },
  });
  expect(server.pending()).toBe(1);
  expect(server.refusedRequests).toEqual(["No tool output found for function call call_x."]);
});

test("an output without its call is refused too; a paired input is served", async () => {
  server.enqueue(sse(created(), textMessage("hi"), completed()));
  const orphan = await post([{ type: "function_call_output", call_id: "call_y", output: "aborted" }]);
  expect(orphan.status).toBe(400);
  expect(((await orphan.json()) as { error: { message: string } }).error.message).toBe(
    "No tool call found for function call output with call_id call_y.",
  );
  const ok = await post([
    { type: "custom_tool_call", call_id: "call_z", name: "apply_patch", input: "" },
    { type: "custom_tool_call_output", call_id: "call_z", output: "aborted" },
  ]);
  expect(ok.status).toBe(200);
  await ok.text();
});
