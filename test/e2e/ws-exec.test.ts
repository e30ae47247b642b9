// `codex exec` with the built-in provider (supports_websockets) through the built binary: the turn goes over the
// websocket, and a server that refuses the upgrade (the plain HTTP fake answers 426) is served over HTTP.
import { afterEach, beforeEach, expect, test } from "vitest";
import { makeTestEnv, parseJsonl, runCodex, type TestEnv } from "../support/codex-env.js";
import { sse, startFakeResponsesServer } from "../support/fake-responses-server.js";
import { startFakeWsResponsesServer, type FakeWsServer } from "../support/fake-ws-responses-server.js";
import { completed, created, functionCall, textMessage } from "../support/sse.js";

let server: FakeWsServer;
let t: TestEnv;
beforeEach(async () => {
  server = await startFakeWsResponsesServer();
  t = makeTestEnv();
  t.writeConfig(`model = "gpt-5.5"\nopenai_base_url = "${server.url}"\n`);
});
afterEach(async () => {
  await server.close();
  t.cleanup();
});

test("exec: a turn with a tool round over one websocket, as the reference sends it", async () => {
  server.enqueue(
    sse(created("r1"), functionCall("call_1", "exec_command", { cmd: "echo from-tool" }), completed("r1")),
    sse(created("r2"), textMessage("all done"), completed("r2")),
  );
  const run = await runCodex(["exec", "--json", "-s", "danger-full-access", "run it"], { env: t.env, cwd: t.repo });
  expect(run.code).toBe(0);
  const events = parseJsonl(run.stdout);
  expect(events.at(-1).type).toBe("turn.completed");
  expect(events.some((e) => e.type === "item.completed" && e.item.type === "agent_message" && e.item.text === "all done")).toBe(true);
  expect(server.http.requests).toHaveLength(0);
  expect(server.handshakes).toHaveLength(1);
  expect(server.handshakes[0]!.path).toBe("/v1/responses");
  expect(server.handshakes[0]!.headers["openai-beta"]).toBe("responses_websockets=2026-02-06");
  expect(server.handshakes[0]!.headers.originator).toBe("codex_exec");
  expect(server.wsRequests.map((r) => r.connection)).toEqual([1, 1]);
  const [first, second] = server.wsRequests;
  expect(first!.body.type).toBe("response.create");
  expect(first!.body.client_metadata.turn_id).toBeTruthy();
  expect(second!.body.previous_response_id).toBe("r1");
  expect(second!.input).toHaveLength(1);
  expect(second!.input[0]).toMatchObject({ type: "function_call_output", call_id: "call_1" });
  expect(second!.input[0].output).toContain("from-tool");
  expect(server.refused).toEqual([]);
});

test("exec: an upgrade refused with 426 falls back to HTTP for the turn, silently", async () => {
  const plain = await startFakeResponsesServer();
  try {
    t.writeConfig(`model = "gpt-5.5"\nopenai_base_url = "${plain.url}"\n`);
    plain.enqueue(sse(created("r1"), textMessage("over http"), completed("r1")));
    const run = await runCodex(["exec", "--json", "hi"], { env: t.env, cwd: t.repo });
    expect(run.code).toBe(0);
    expect(parseJsonl(run.stdout).at(-1).type).toBe("turn.completed");
    expect(plain.upgradeAttempts).toBe(1);
    expect(plain.requests).toHaveLength(1);
    expect(run.stderr).not.toMatch(/websocket/i);
  } finally {
    await plain.close();
  }
});
