// request_user_input over app-server stdio, as the reference 0.169 behaves (observed against the fake
// server with features.default_mode_request_user_input): the thread shows waitingOnUserInput, the client
// gets the `item/tool/requestUserInput` server request (itemId = the call id, isOther set, isBlocking false in
// Default mode), its answer goes back to the model as the answers' JSON, and `serverRequest/resolved` follows;
// a client error means no answers; an interrupt ends the turn and resolves the request after turn/completed.
// Every message validates against the reference's schema and ours (no experimental API needed).
import { readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fakeProviderConfig, makeTestEnv, type TestEnv } from "../support/codex-env.js";
import { startFakeResponsesServer, sse, type FakeServer } from "../support/fake-responses-server.js";
import { completed, created, functionCall, textMessage } from "../support/sse.js";
import { methodsSchemaProblems, startAppServer, type AppServerClient } from "./app-server-methods-client.js";

let server: FakeServer;
let t: TestEnv;
let c: AppServerClient;

const FEATURE = `[features]\ndefault_mode_request_user_input = true\n`;

async function boot(config: string): Promise<void> {
  t.writeConfig(fakeProviderConfig(server.url) + "\n" + config);
  c = await startAppServer({ env: t.env, cwd: t.repo, experimental: false });
}

beforeEach(async () => {
  server = await startFakeResponsesServer();
  t = makeTestEnv({ baseUrl: server.url });
});
afterEach(async () => {
  const problems = c ? methodsSchemaProblems(c) : [];
  await c?.close();
  await server.close();
  t.cleanup();
  expect(problems).toEqual([]);
});

const text = (s: string) => ({ type: "text", text: s, text_elements: [] });
const OPTIONS = [{ label: "Red (Recommended)", description: "warm" }, { label: "Blue", description: "cool" }];
const ARGS = { questions: [{ id: "color", header: "Color", question: "Which color?", options: OPTIONS }] };

function script(): void {
  server.enqueue(
    sse(created("r1"), textMessage("One question first."), functionCall("call_q", "request_user_input", ARGS), completed("r1")),
    sse(created("r2"), textMessage("thanks"), completed("r2")),
  );
}

async function startTurn(): Promise<{ threadId: string; turnId: string; from: number }> {
  const { result } = await c.request("thread/start", {});
  const threadId = result.thread.id;
  const from = c.seen.length;
  const { result: started } = await c.request("turn/start", { threadId, input: [text("paint it")] });
  return { threadId, turnId: started.turn.id, from };
}

const isAsk = (m: { method?: string }) => m.method === "item/tool/requestUserInput";

describe("app-server item/tool/requestUserInput", () => {
  it("asks the client, sends its answer to the model, resolves the request", async () => {
    await boot(FEATURE);
    script();
    const { threadId, turnId, from } = await startTurn();
    const ask = await c.waitFor(isAsk, { from, what: "item/tool/requestUserInput" });
    expect(ask.params).toEqual({
      threadId,
      turnId,
      itemId: "call_q",
      questions: [{ id: "color", header: "Color", question: "Which color?", isOther: true, isSecret: false, options: OPTIONS }],
      isBlocking: false,
      autoResolutionMs: null,
    });
    // Before the request: the text before it is complete and the thread shows it waits on the person.
    const before = c.seen.slice(from, c.seen.indexOf(ask));
    expect(before.some((m) => m.method === "item/completed" && m.params.item.type === "agentMessage" && m.params.item.text === "One question first.")).toBe(true);
    expect(before.at(-1)).toMatchObject({ method: "thread/status/changed", params: { threadId, status: { type: "active", activeFlags: ["waitingOnUserInput"] } } });

    const answer = { answers: { color: { answers: ["Blue", "user_note: a dark one"] } } };
    c.send({ id: ask.id, result: answer });
    const resolved = await c.notification("serverRequest/resolved", (p) => p.requestId === ask.id, { from });
    expect(resolved.params).toEqual({ threadId, requestId: ask.id });
    const after = await c.waitFor((m) => m.method === "thread/status/changed", { from: c.seen.indexOf(resolved) + 1, what: "the status after" });
    expect(after.params.status).toEqual({ type: "active", activeFlags: [] });
    const done = await c.notification("turn/completed", undefined, { from });
    expect(done.params.turn.status).toBe("completed");
    expect(server.requests[1]!.functionCallOutput("call_q").output).toBe(JSON.stringify(answer));
  });

  it("a client error answers with no answers", async () => {
    await boot(FEATURE);
    script();
    const { from } = await startTurn();
    const ask = await c.waitFor(isAsk, { from, what: "the request" });
    c.send({ id: ask.id, error: { code: -32000, message: "no person here" } });
    await c.notification("serverRequest/resolved", (p) => p.requestId === ask.id, { from });
    const done = await c.notification("turn/completed", undefined, { from });
    expect(done.params.turn.status).toBe("completed");
    expect(server.requests[1]!.functionCallOutput("call_q").output).toBe('{"answers":{}}');
  });

  it("an answer that is not a response (no answers field) counts as no answers", async () => {
    await boot(FEATURE);
    script();
    const { from } = await startTurn();
    const ask = await c.waitFor(isAsk, { from, what: "the request" });
    c.send({ id: ask.id, result: { nope: 1 } });
    await c.notification("serverRequest/resolved", (p) => p.requestId === ask.id, { from });
    const done = await c.notification("turn/completed", undefined, { from });
    expect(done.params.turn.status).toBe("completed");
    expect(server.requests[1]!.functionCallOutput("call_q").output).toBe('{"answers":{}}');
  });

  it("turn/interrupt while the question is open: the turn ends interrupted, then the request is resolved", async () => {
    await boot(FEATURE);
    script();
    const { threadId, turnId, from } = await startTurn();
    const ask = await c.waitFor(isAsk, { from, what: "the request" });
    await c.call("turn/interrupt", { threadId, turnId });
    const done = await c.notification("turn/completed", undefined, { from });
    expect(done.params.turn.status).toBe("interrupted");
    const resolved = await c.notification("serverRequest/resolved", (p) => p.requestId === ask.id, { from });
    expect(c.seen.indexOf(resolved)).toBeGreaterThan(c.seen.indexOf(done));
    // A late answer is dropped: the next turn goes on with the call answered as aborted.
    c.send({ id: ask.id, result: { answers: {} } });
    server.enqueue(sse(created("r3"), textMessage("again"), completed("r3")));
    const from2 = c.seen.length;
    await c.request("turn/start", { threadId, input: [text("go on")] });
    const done2 = await c.notification("turn/completed", undefined, { from: from2 });
    expect(done2.params.turn.status).toBe("completed");
    expect(String(server.requests.at(-1)!.functionCallOutput("call_q").output)).toMatch(/aborted/);
    expect(server.refusedRequests).toEqual([]);
  });

  it("without the feature nothing is asked: the model is told it is unavailable in Default mode", async () => {
    await boot("");
    script();
    const { from } = await startTurn();
    const done = await c.notification("turn/completed", undefined, { from });
    expect(done.params.turn.status).toBe("completed");
    expect(c.seen.some(isAsk)).toBe(false);
    expect(server.requests[1]!.functionCallOutput("call_q").output).toBe("request_user_input is unavailable in Default mode");
  });

  it("a crash with the question open: the journal has the question, a resumed thread goes on with the call answered as aborted", async () => {
    await boot(FEATURE);
    script();
    const { threadId, from } = await startTurn();
    await c.waitFor(isAsk, { from, what: "the request" });
    const { result } = await c.request("thread/read", { threadId, includeTurns: false });
    const rolloutPath: string = result.thread.path;
    // Journaled as the event passes (each line written and fdatasync'd: slow on a busy disk).
    const deadline = Date.now() + 30_000;
    while (!readFileSync(rolloutPath, "utf8").includes('"type":"request_user_input"')) {
      if (Date.now() > deadline) throw new Error("the question was not journaled");
      await new Promise((r) => setTimeout(r, 25));
    }
    const exited = new Promise((r) => c.child.once("exit", r));
    c.child.kill("SIGKILL");
    await exited;
    // The schema check of the first server's messages; the second is checked in afterEach.
    expect(methodsSchemaProblems(c)).toEqual([]);

    c = await startAppServer({ env: t.env, cwd: t.repo, experimental: false });
    await c.call("thread/resume", { threadId });
    server.enqueue(sse(created("r3"), textMessage("resumed"), completed("r3")));
    const from2 = c.seen.length;
    await c.call("turn/start", { threadId, input: [text("go on")] });
    const done = await c.notification("turn/completed", undefined, { from: from2 });
    expect(done.params.turn.status).toBe("completed");
    expect(server.requests.at(-1)!.functionCallOutput("call_q")).toBeDefined();
    expect(server.refusedRequests).toEqual([]);
  });
});
