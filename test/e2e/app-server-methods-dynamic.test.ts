// Experimental app-server features over stdio: client-defined dynamic tools (item/tool/call round trip, hidden
// tools, namespaces) and a thread's background terminals (list, clean).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fakeProviderConfig, makeTestEnv, type TestEnv } from "../support/codex-env.js";
import { startFakeResponsesServer, sse, type FakeServer } from "../support/fake-responses-server.js";
import { completed, created, customToolCall, functionCall, textMessage } from "../support/sse.js";
import { methodsSchemaProblems, startAppServer, type AppServerClient } from "./app-server-methods-client.js";

let server: FakeServer;
let t: TestEnv;
let c: AppServerClient;

beforeEach(async () => {
  server = await startFakeResponsesServer();
  t = makeTestEnv({ baseUrl: server.url });
  t.writeConfig(`approval_policy = "never"\n` + fakeProviderConfig(server.url));
  c = await startAppServer({ env: t.env, cwd: t.repo });
});
afterEach(async () => {
  // Every message the test saw validates against the reference's schema and ours.
  const problems = c ? methodsSchemaProblems(c) : [];
  await c.close();
  await server.close();
  t.cleanup();
  expect(problems).toEqual([]);
});

const text = (s: string) => ({ type: "text", text: s, text_elements: [] });
const toolNames = (tools: Array<{ name?: string; type: string }>) => tools.map((x) => x.name ?? x.type);

/** A namespaced function call as the model makes one into a namespace spec. */
function namespacedCall(callId: string, namespace: string, name: string, args: unknown) {
  const item = { type: "function_call", id: `fc_${callId}`, status: "completed", namespace, name, arguments: JSON.stringify(args), call_id: callId };
  return [
    { type: "response.output_item.added", item: { ...item, status: "in_progress", arguments: "" } },
    { type: "response.output_item.done", item },
  ];
}

const TOOLS = [
  { type: "function", name: "lookup", description: "Look up a ticket", inputSchema: { type: "object", properties: { id: { type: "string" } } } },
  {
    type: "namespace",
    name: "crm",
    description: "CRM tools",
    tools: [
      { type: "function", name: "find", description: "Find a customer", inputSchema: { type: "object" } },
      { type: "function", name: "secret", description: "Hidden from the model", inputSchema: { type: "object" }, deferLoading: true },
    ],
  },
];

describe("dynamic tools", () => {
  it("the model calls a client tool, the client answers item/tool/call, the model sees the answer", async () => {
    server.enqueue(
      sse(created("r1"), functionCall("call_1", "lookup", { id: "T-1" }), completed("r1")),
      sse(created("r2"), namespacedCall("call_2", "crm", "find", { q: "acme" }), completed("r2")),
      sse(created("r3"), textMessage("done"), completed("r3")),
    );
    const { result } = await c.request("thread/start", { dynamicTools: TOOLS });
    const threadId = result.thread.id;
    const from = c.seen.length;
    const { result: turnStart } = await c.request("turn/start", { threadId, input: [text("go")] });

    const ask = await c.waitFor((m) => m.method === "item/tool/call" && m.params.callId === "call_1", { from, what: "item/tool/call" });
    expect(ask.params).toEqual({ threadId, turnId: turnStart.turn.id, callId: "call_1", namespace: null, tool: "lookup", arguments: { id: "T-1" } });
    c.send({ id: ask.id, result: { contentItems: [{ type: "inputText", text: "ticket T-1 is open" }], success: true } });
    const ask2 = await c.waitFor((m) => m.method === "item/tool/call" && m.params.callId === "call_2", { from, what: "the namespaced call" });
    expect(ask2.params).toMatchObject({ namespace: "crm", tool: "find", arguments: { q: "acme" } });
    c.send({ id: ask2.id, result: { contentItems: [{ type: "inputText", text: "acme: 3 open deals" }], success: false } });
    await c.notification("turn/completed", undefined, { from });

    // The item lifecycle: started (inProgress) before the request, completed with the client's answer.
    const started = c.seen.findIndex((m, i) => i >= from && m.method === "item/started" && m.params.item.id === "call_1");
    expect(started).toBeGreaterThan(-1);
    expect(started).toBeLessThan(c.seen.indexOf(ask));
    expect(c.seen[started]!.params.item).toMatchObject({ type: "dynamicToolCall", status: "inProgress", tool: "lookup", namespace: null, contentItems: null, success: null });
    const done = c.seen.find((m) => m.method === "item/completed" && m.params.item.id === "call_1")!;
    expect(done.params.item).toMatchObject({
      type: "dynamicToolCall",
      status: "completed",
      arguments: { id: "T-1" },
      contentItems: [{ type: "inputText", text: "ticket T-1 is open" }],
      success: true,
      durationMs: expect.any(Number),
    });
    const failed = c.seen.find((m) => m.method === "item/completed" && m.params.item.id === "call_2")!;
    expect(failed.params.item).toMatchObject({ status: "failed", success: false, namespace: "crm" });

    // What the model was sent back, and what tools it was offered.
    const [, second, third] = server.requests;
    expect(second!.functionCallOutput("call_1")).toMatchObject({ output: "ticket T-1 is open" });
    expect(third!.functionCallOutput("call_2")).toMatchObject({ output: "acme: 3 open deals" });
    const tools = server.requests[0]!.body.tools;
    expect(tools).toContainEqual({ type: "function", name: "lookup", description: "Look up a ticket", strict: false, parameters: { type: "object", properties: { id: { type: "string" } } } });
    const crm = tools.find((x: { name?: string }) => x.name === "crm");
    expect(crm).toEqual({
      type: "namespace",
      name: "crm",
      description: "CRM tools",
      tools: [{ type: "function", name: "find", description: "Find a customer", strict: false, parameters: { type: "object", properties: {} } }],
    });
    // The deferred (exposeToContext: false) tool is not in what the model is sent; tool_search is.
    expect(JSON.stringify(tools)).not.toContain("secret");
    expect(toolNames(tools)).toContain("tool_search");
  });

  it("a hidden tool stays callable from code mode: tools.crm__secret() asks the client and returns its answer", async () => {
    t.writeConfig(`approval_policy = "never"\n` + fakeProviderConfig(server.url) + `\n[features]\ncode_mode_only = true\n`);
    await c.close();
    c = await startAppServer({ env: t.env, cwd: t.repo });
    const js = `const r = await tools.crm__secret({ x: 1 });\ntext(String(r));`;
    server.enqueue(sse(created("r1"), ...customToolCall("call_js", "exec", js), completed("r1")), sse(created("r2"), textMessage("done"), completed("r2")));
    const started = await c.request("thread/start", { dynamicTools: TOOLS });
    expect(started.error).toBeUndefined();
    const from = c.seen.length;
    await c.request("turn/start", { threadId: started.result.thread.id, input: [text("go")] });
    const ask = await c.waitFor((m) => m.method === "item/tool/call", { from, what: "item/tool/call from code mode" });
    expect(ask.params).toMatchObject({ namespace: "crm", tool: "secret", arguments: { x: 1 } });
    c.send({ id: ask.id, result: { contentItems: [{ type: "inputText", text: "the secret is 42" }], success: true } });
    await c.notification("turn/completed", undefined, { from });
    const first = server.requests[0]!.body;
    expect(JSON.stringify(first.tools.filter((x: { name?: string }) => x.name !== "exec"))).not.toContain("secret");
    // Hidden from the model (not described in exec either: a script finds it in ALL_TOOLS), yet callable.
    expect(first.tools.find((x: { name?: string }) => x.name === "exec").description).not.toContain("crm__secret");
    const out = server.requests[1]!.functionCallOutput("call_js");
    expect(JSON.stringify(out.output)).toContain("the secret is 42");
  });

  it("the legacy flat form (exposeToContext: false) hides a tool the same way", async () => {
    server.enqueue(sse(created("r1"), textMessage("hi"), completed("r1")));
    const { result } = await c.request("thread/start", {
      dynamicTools: [
        { name: "visible", description: "Shown", inputSchema: { type: "object" } },
        { name: "hidden", namespace: "ops", description: "Not shown", inputSchema: { type: "object" }, exposeToContext: false },
      ],
    });
    const from = c.seen.length;
    await c.request("turn/start", { threadId: result.thread.id, input: [text("hi")] });
    await c.notification("turn/completed", undefined, { from });
    const names = toolNames(server.requests[0]!.body.tools);
    expect(names).toContain("visible");
    expect(names).not.toContain("hidden");
    expect(names).not.toContain("ops");
  });

  it("bad dynamic tools are refused: wrong shape (-32602 naming the path), deferred without namespace, without experimentalApi", async () => {
    const shape = await c.request("thread/start", { dynamicTools: [{ type: "function", name: "x", inputSchema: {} }] });
    expect(shape.error).toMatchObject({ code: -32602, message: expect.stringContaining("dynamicTools.0.description") });
    const deferred = await c.request("thread/start", {
      dynamicTools: [{ type: "function", name: "later", description: "d", inputSchema: {}, deferLoading: true }],
    });
    expect(deferred.error).toEqual({ code: -32600, message: "deferred dynamic tool must include a namespace: later" });
    const plain = await startAppServer({ env: t.env, cwd: t.repo, experimental: false });
    try {
      const refused = await plain.request("thread/start", { dynamicTools: TOOLS });
      expect(refused.error?.message).toContain("requires experimentalApi");
    } finally {
      await plain.close();
    }
  });
});

describe("background terminals", () => {
  it("a command left running is listed, clean stops it, and the list is then empty", async () => {
    server.enqueue(
      sse(created("r1"), functionCall("call_bg", "exec_command", { cmd: "sleep 60", yield_time_ms: 250 }), completed("r1")),
      sse(created("r2"), textMessage("left it running"), completed("r2")),
    );
    const { result } = await c.request("thread/start", {});
    const threadId = result.thread.id;
    const from = c.seen.length;
    await c.request("turn/start", { threadId, input: [text("start a server")] });
    await c.notification("turn/completed", undefined, { from });

    const listed = await c.request("thread/backgroundTerminals/list", { threadId });
    expect(listed.result).toEqual({
      data: [{ itemId: "call_bg", processId: expect.any(String), command: expect.stringContaining("sleep 60"), cwd: t.repo, osPid: expect.any(Number), cpuPercent: null, rssKb: null }],
      nextCursor: null,
    });
    const pid = listed.result.data[0].osPid as number;
    expect(() => process.kill(pid, 0)).not.toThrow();
    expect((await c.request("thread/backgroundTerminals/clean", { threadId })).result).toEqual({});
    expect((await c.request("thread/backgroundTerminals/list", { threadId })).result).toEqual({ data: [], nextCursor: null });
    expect(() => process.kill(pid, 0)).toThrow();

    const unknown = await c.request("thread/backgroundTerminals/list", { threadId: "no-such-thread" });
    expect(unknown.error).toMatchObject({ code: -32600, message: "thread not found: no-such-thread" });
    const bad = await c.request("thread/backgroundTerminals/clean", {});
    expect(bad.error).toMatchObject({ code: -32602, message: expect.stringContaining("threadId") });
  });

  it("needs the experimental API", async () => {
    const plain = await startAppServer({ env: t.env, cwd: t.repo, experimental: false });
    try {
      const refused = await plain.request("thread/backgroundTerminals/list", { threadId: "x" });
      expect(refused.error).toMatchObject({ code: -32600, message: expect.stringContaining("requires experimentalApi") });
    } finally {
      await plain.close();
    }
  });
});
