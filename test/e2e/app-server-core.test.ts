// codex app-server over stdio against the fake Responses server: handshake and its errors, a turn's exact
// notification sequence, malformed lines, opt-out, several threads on one connection.
import { beforeEach, describe, expect, test } from "vitest";
import type { TestEnv } from "../support/codex-env.js";
import { sse, type FakeServer } from "../support/fake-responses-server.js";
import { completed, created, reasoning, textMessage } from "../support/sse.js";
import type { AppServerClient } from "../support/app-server-client.js";
import { useAppServerE2E } from "../support/app-server-e2e.js";

let server: FakeServer;
let env: TestEnv;
let client: AppServerClient;
// Every message a test saw must validate against the reference's schema and ours.
const e2e = useAppServerE2E((s, e) => ((server = s), (env = e)));

beforeEach(async () => {
  client = await e2e.appServer({ initialize: false });
});

const text = (t: string) => ({ type: "text", text: t, text_elements: [] });

describe("handshake", () => {
  test("requests before initialize, a second initialize, unknown methods, bad params and malformed JSON", async () => {
    expect(await client.request("thread/start", {})).toMatchObject({ error: { code: -32600, message: "Not initialized" } });
    const init = await client.initialize();
    expect(init.result).toEqual({
      userAgent: expect.stringMatching(/^codex_test_client\/\S+ \(.+\) \(codex_test_client; 1\.0\.0\)$/),
      codexHome: env.codexHome,
      platformFamily: "unix",
      platformOs: process.platform === "darwin" ? "macos" : "linux",
    });
    expect(Object.keys(init)).toEqual(["id", "result"]);
    expect(await client.request("initialize", { clientInfo: { name: "x", title: null, version: "1" } })).toMatchObject({
      error: { code: -32600, message: "Already initialized" },
    });
    expect(await client.request("nope/nope", {})).toMatchObject({ error: { code: -32600, message: "Invalid request: unknown variant `nope/nope`" } });
    const bad = await client.request("turn/start", { threadId: 5, input: [] });
    expect(bad.error).toEqual({ code: -32602, message: expect.stringMatching(/^Invalid params: threadId: /) });
    const before = client.seen.length;
    client.sendRaw("{not json");
    const parseError = await client.waitFor((m) => m.error?.code === -32700, { from: before });
    expect(parseError).toEqual({ error: { code: -32700, message: expect.stringMatching(/^Parse error/) }, id: null });
    // Still usable, and a client may send the jsonrpc field.
    client.send({ jsonrpc: "2.0", id: 77, method: "thread/list", params: {} });
    expect(await client.waitFor((m) => m.id === 77)).toEqual({ id: 77, result: { data: [], nextCursor: null, backwardsCursor: null } });
    expect(client.seen.every((m) => !("jsonrpc" in m))).toBe(true);
  });

  test("clientInfo.title may be left out (it is optional on the wire, as the reference's Option)", async () => {
    const init = await client.request("initialize", { clientInfo: { name: "bare", version: "1" } });
    expect(init.error).toBeUndefined();
    expect(init.result.codexHome).toBe(env.codexHome);
  });
});

describe("a turn", () => {
  test("start → turn → items → completed with exact shapes", async () => {
    await client.initialize();
    server.enqueue(sse(created("r1"), reasoning("thinking hard"), textMessage("hello there", { chunks: ["hello ", "there"] }), completed("r1")));
    const started = await client.call("thread/start", {});
    const threadId = started.thread.id;
    expect(started).toMatchObject({
      thread: { id: threadId, sessionId: threadId, preview: "", ephemeral: false, status: { type: "idle" }, cwd: env.repo, turns: [], source: "vscode" },
      model: "gpt-5.5",
      modelProvider: "fake",
      cwd: env.repo,
      approvalsReviewer: "user",
    });
    expect(started.thread.path).toContain(`${threadId}.jsonl`);
    // As the reference: thread/started follows the answer.
    const answerAt = client.seen.findIndex((m) => m.result?.thread?.id === threadId);
    const startedNote = await client.notification("thread/started");
    expect(client.seen.indexOf(startedNote)).toBeGreaterThan(answerAt);
    expect(startedNote.params).toEqual({ thread: started.thread });
    const from = client.seen.length;
    const { turn } = await client.call("turn/start", { threadId, input: [text("hi")] });
    expect(turn).toEqual({
      id: expect.any(String),
      rootTurnId: turn.id,
      items: [],
      itemsView: "notLoaded",
      status: "inProgress",
      error: null,
      startedAt: null,
      completedAt: null,
      durationMs: null,
    });
    const done = await client.notification("turn/completed", undefined, { from });
    const sequence = client.seen.slice(from, client.seen.indexOf(done) + 1).filter((m) => m.method).map((m) => m.method);
    expect(sequence).toEqual([
      "thread/status/changed",
      "turn/started",
      "item/started",
      "item/completed",
      "item/started",
      "item/reasoning/summaryPartAdded",
      "item/reasoning/summaryTextDelta",
      "item/completed",
      "item/started",
      "item/agentMessage/delta",
      "item/agentMessage/delta",
      "item/completed",
      "thread/tokenUsage/updated",
      "thread/status/changed",
      "turn/completed",
    ]);
    const msgs = client.seen.slice(from);
    const user = msgs.find((m) => m.method === "item/completed" && m.params.item.type === "userMessage")!;
    expect(user.params).toEqual({
      item: { type: "userMessage", id: expect.any(String), clientId: null, content: [text("hi")], startedAtMs: expect.any(Number), completedAtMs: expect.any(Number) },
      threadId,
      turnId: turn.id,
      contentTokenCount: null,
      completedAtMs: expect.any(Number),
    });
    const agent = msgs.find((m) => m.method === "item/completed" && m.params.item.type === "agentMessage")!;
    expect(agent.params.item).toEqual({
      type: "agentMessage",
      id: expect.any(String),
      text: "hello there",
      phase: null,
      moderation: null,
      memoryCitation: null,
      delivery: null,
      questions: null,
      startedAtMs: expect.any(Number),
      completedAtMs: expect.any(Number),
    });
    const deltas = msgs.filter((m) => m.method === "item/agentMessage/delta").map((m) => m.params);
    expect(deltas).toEqual([
      { threadId, turnId: turn.id, itemId: agent.params.item.id, delta: "hello " },
      { threadId, turnId: turn.id, itemId: agent.params.item.id, delta: "there" },
    ]);
    const reasoningDone = msgs.find((m) => m.method === "item/completed" && m.params.item.type === "reasoning")!;
    expect(reasoningDone.params.item).toMatchObject({ summary: ["thinking hard"], content: [] });
    const usage = msgs.find((m) => m.method === "thread/tokenUsage/updated")!;
    expect(usage.params).toEqual({
      threadId,
      turnId: turn.id,
      tokenUsage: {
        total: { totalTokens: expect.any(Number), inputTokens: expect.any(Number), cachedInputTokens: 0, cacheWriteInputTokens: 0, outputTokens: expect.any(Number), reasoningOutputTokens: 0 },
        last: expect.any(Object),
        modelContextWindow: expect.any(Number),
      },
    });
    expect(done.params).toEqual({
      threadId,
      turn: {
        ...turn,
        startedAt: expect.any(Number),
        completedAt: expect.any(Number),
        durationMs: expect.any(Number),
        status: "completed",
        itemsView: "summary",
        items: [agent.params.item],
      },
    });
    expect(done.emittedAtMs).toEqual(expect.any(Number));
    expect(server.requests[0]!.lastUserText()).toBe("hi");
  });

  test("optOutNotificationMethods drops exactly those methods", async () => {
    await client.initialize({ optOut: ["item/agentMessage/delta", "thread/status/changed"] });
    server.enqueue(sse(created("r1"), textMessage("quiet", { chunks: ["qu", "iet"] }), completed("r1")));
    const { thread } = await client.call("thread/start", {});
    await client.call("turn/start", { threadId: thread.id, input: [text("hi")] });
    await client.notification("turn/completed");
    const methods = new Set(client.seen.map((m) => m.method).filter(Boolean));
    expect(methods.has("item/agentMessage/delta")).toBe(false);
    expect(methods.has("thread/status/changed")).toBe(false);
    expect(methods.has("item/completed")).toBe(true);
  });

  test("three threads run at once on one connection", async () => {
    await client.initialize();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await client.call("thread/start", {})).thread.id);
    for (let i = 0; i < 3; i++) server.enqueue(sse(created(`r${i}`), textMessage(`answer`), completed(`r${i}`)));
    const turns = await Promise.all(ids.map((threadId, i) => client.call("turn/start", { threadId, input: [text(`q${i}`)] })));
    const completedTurns = await Promise.all(ids.map((threadId) => client.notification("turn/completed", (p) => p.threadId === threadId)));
    expect(completedTurns.map((m) => m.params.turn.status)).toEqual(["completed", "completed", "completed"]);
    expect(completedTurns.map((m) => m.params.turn.id)).toEqual(turns.map((t) => t.turn.id));
    expect(new Set(server.requests.map((r) => r.lastUserText()))).toEqual(new Set(["q0", "q1", "q2"]));
    expect(new Set((await client.call("thread/loaded/list", {})).data)).toEqual(new Set(ids));
    expect(await client.call("thread/unsubscribe", { threadId: ids[0] })).toEqual({ status: "unsubscribed" });
    expect(await client.call("thread/unsubscribe", { threadId: ids[0] })).toEqual({ status: "notSubscribed" });
    expect(await client.call("thread/unsubscribe", { threadId: "nope" })).toEqual({ status: "notLoaded" });
  });
});
