// OpenTelemetry through the built binary: `codex exec` with `[otel] trace_exporter = { otlp-http = ... }` sends the
// spans of its turn to a local OTLP/HTTP receiver, parented under an incoming TRACEPARENT, and every Responses
// request carries the traceparent of its sampling span (HTTP header, or client_metadata over a websocket).
import path from "node:path";
import { afterEach, beforeEach, expect, test } from "vitest";
import { fakeProviderConfig, makeTestEnv, parseJsonl, runCodex, type TestEnv } from "../support/codex-env.js";
import { sse, startFakeResponsesServer, type FakeServer } from "../support/fake-responses-server.js";
import { startFakeWsResponsesServer } from "../support/fake-ws-responses-server.js";
import { faultServerToml, readMcpLog } from "../support/mcp-env.js";
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from "../support/otlp-receiver.js";
import { completed, created, functionCall, textMessage } from "../support/sse.js";

const PARENT_TRACE = "0af7651916cd43dd8448eb211c80319c";
const PARENT_SPAN = "b7ad6b7169203331";
const TRACEPARENT = `00-${PARENT_TRACE}-${PARENT_SPAN}-01`;

let server: FakeServer;
let otlp: OtlpReceiver;
let t: TestEnv;
beforeEach(async () => {
  server = await startFakeResponsesServer();
  otlp = await startOtlpReceiver();
  t = makeTestEnv();
});
afterEach(async () => {
  await server.close();
  await otlp.close();
  t.cleanup();
});

const otelConfig = (extra = "") =>
  [
    `[otel]`,
    `environment = "e2e"`,
    extra,
    `[otel.trace_exporter.otlp-http]`,
    `endpoint = "${otlp.endpoint}"`,
    `protocol = "json"`,
    `headers = { "x-otlp-key" = "k1" }`,
  ].join("\n");

const one = (spans: ReceivedSpan[], name: string): ReceivedSpan => {
  const found = spans.filter((s) => s.name === name);
  expect(found, `exactly one '${name}' span`).toHaveLength(1);
  return found[0]!;
};

test("exec: session → turn → sampling / tool spans, under TRACEPARENT, with the traceparent on every request", async () => {
  t.writeConfig(`${fakeProviderConfig(server.url)}\n${otelConfig()}`);
  server.enqueue(
    sse(created("r1"), functionCall("call_1", "exec_command", { cmd: "echo traced" }), completed("r1", { input_tokens: 100, output_tokens: 7 })),
    sse(created("r2"), textMessage("done"), completed("r2", { input_tokens: 120, output_tokens: 3 })),
  );
  const run = await runCodex(["exec", "--json", "-s", "danger-full-access", "trace me"], {
    env: { ...t.env, TRACEPARENT, TRACESTATE: "vendor=1" },
    cwd: t.repo,
  });
  expect(run.code).toBe(0);
  expect(parseJsonl(run.stdout).at(-1).type).toBe("turn.completed");
  // The batch is flushed before exit: the spans are already here.
  const spans = otlp.spans;
  expect(otlp.rejected).toBe(0);
  expect(otlp.exportHeaders[0]!["x-otlp-key"]).toBe("k1");
  const session = one(spans, "session_loop");
  const turn = one(spans, "session_task.turn");
  const tool = one(spans, "handle_tool_call");
  const samplings = spans.filter((s) => s.name === "codex.sampling");
  expect(samplings).toHaveLength(2);
  for (const s of spans) expect(s.traceId).toBe(PARENT_TRACE);
  expect(session.parentSpanId).toBe(PARENT_SPAN);
  expect(session.resource).toMatchObject({ "service.name": "codex_exec", env: "e2e" });
  expect(turn.parentSpanId).toBe(session.spanId);
  expect(turn.attributes).toMatchObject({
    model: "gpt-5.5",
    "codex.turn.status": "completed",
    "codex.turn.token_usage.input_tokens": 220,
    "codex.turn.token_usage.output_tokens": 10,
  });
  expect(turn.attributes["turn.id"]).toMatch(/^[0-9a-f-]{36}$/);
  expect(turn.attributes["codex.turn.user_prompt"]).toBeUndefined(); // log_user_prompt is off by default
  for (const s of samplings) {
    expect(s.parentSpanId).toBe(turn.spanId);
    expect(s.attributes["turn.id"]).toBe(turn.attributes["turn.id"]);
    expect(s.attributes["codex.sampling.retries"]).toBe(0);
  }
  expect(tool.parentSpanId).toBe(turn.spanId);
  expect(tool.attributes).toMatchObject({ tool_name: "exec_command", call_id: "call_1", exit_code: 0, sandbox: "none" });
  expect(typeof tool.attributes.duration_ms).toBe("number");
  // Each request carries the traceparent of its own sampling span (and the incoming tracestate).
  expect(server.requests.map((r) => r.headers.traceparent)).toEqual(samplings.map((s) => `00-${PARENT_TRACE}-${s.spanId}-01`));
  expect(server.requests[0]!.headers.tracestate).toBe("vendor=1");
});

test("exec: log_user_prompt = true puts the (redacted) prompt on the turn span; a retry is counted", async () => {
  t.writeConfig(`${fakeProviderConfig(server.url)}\n${otelConfig("log_user_prompt = true")}`);
  server.enqueue({ status: 500, body: { error: { message: "boom" } } }, { status: 500 }, { status: 500 }, sse(created("r1"), textMessage("ok"), completed("r1")));
  const run = await runCodex(["exec", "--json", "please say sk-test-key-0123456789 hi"], { env: t.env, cwd: t.repo });
  expect(run.code).toBe(0);
  const turn = one(otlp.spans, "session_task.turn");
  expect(turn.attributes["codex.turn.user_prompt"]).toContain("please say");
  expect(turn.attributes["codex.turn.user_prompt"]).not.toContain("sk-test-key-0123456789");
  const sampling = one(otlp.spans, "codex.sampling");
  expect(sampling.attributes["codex.sampling.retries"]).toBe(1);
  expect(sampling.events.map((e) => e.name)).toEqual(["retrying"]);
  // No TRACEPARENT: the session span is a root.
  expect(one(otlp.spans, "session_loop").parentSpanId).toBe("");
});

test("exec over a websocket: the traceparent goes in client_metadata (ws_request_header_traceparent)", async () => {
  const ws = await startFakeWsResponsesServer();
  try {
    t.writeConfig(`model = "gpt-5.5"\nopenai_base_url = "${ws.url}"\n${otelConfig()}`);
    ws.enqueue(sse(created("r1"), textMessage("hi"), completed("r1")));
    const run = await runCodex(["exec", "--json", "hi"], { env: { ...t.env, TRACEPARENT }, cwd: t.repo });
    expect(run.code).toBe(0);
    const sampling = one(otlp.spans, "codex.sampling");
    expect(ws.wsRequests).toHaveLength(1);
    expect(ws.wsRequests[0]!.body.client_metadata.ws_request_header_traceparent).toBe(`00-${PARENT_TRACE}-${sampling.spanId}-01`);
  } finally {
    await ws.close();
  }
});

test("exec with no [otel]: no traceparent is sent, even with TRACEPARENT set", async () => {
  t.writeConfig(fakeProviderConfig(server.url));
  server.enqueue(sse(created("r1"), textMessage("hi"), completed("r1")));
  const run = await runCodex(["exec", "--json", "hi"], { env: { ...t.env, TRACEPARENT }, cwd: t.repo });
  expect(run.code).toBe(0);
  expect(server.requests[0]!.headers.traceparent).toBeUndefined();
  expect(otlp.exportHeaders).toHaveLength(0);
});

test("a bad [otel] exporter table is a one-line config error naming the field", async () => {
  t.writeConfig(`${fakeProviderConfig(server.url)}\n[otel.trace_exporter.otlp-http]\nprotocol = "json"\n`);
  const run = await runCodex(["exec", "--json", "hi"], { env: t.env, cwd: t.repo });
  expect(run.code).not.toBe(0);
  expect(run.stderr).toContain("otel.trace_exporter.otlp-http.endpoint");
  expect(server.requests).toHaveLength(0);
});

test("exec: an MCP call has its span under the tool call's, and its traceparent in the call's _meta", async () => {
  const log = path.join(t.home, "mcp.log");
  t.writeConfig(`${fakeProviderConfig(server.url, faultServerToml("srv", { log }))}\n${otelConfig()}`);
  server.enqueue(
    sse(created("r1"), functionCall("call_1", "mcp__srv__get_sum", { a: 2, b: 3 }), completed("r1")),
    sse(created("r2"), textMessage("5"), completed("r2")),
  );
  const run = await runCodex(["exec", "--json", "--skip-git-repo-check", "add"], { env: { ...t.env, TRACEPARENT }, cwd: t.repo });
  expect(run.code, run.stderr).toBe(0);
  const mcp = one(otlp.spans, "mcp.tools.call");
  const tool = one(otlp.spans, "handle_tool_call");
  expect(mcp.parentSpanId).toBe(tool.spanId);
  expect(mcp.attributes).toMatchObject({ "mcp.server": "srv", "mcp.tool": "get_sum", call_id: "call_1" });
  const call = readMcpLog(log).find((l) => l.kind === "call");
  expect(call._meta.traceparent).toBe(`00-${PARENT_TRACE}-${mcp.spanId}-01`);
  expect(call._meta.callId).toBe("call_1");
});
