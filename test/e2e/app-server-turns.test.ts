// app-server turns: approvals for each decision (and decline → declined item, model told), interrupt while the
// model connects, steer, and resume / fork / list / read / revert.
import { beforeEach, describe, expect, test } from "vitest";
import { fakeProviderConfig, type TestEnv } from "../support/codex-env.js";
import { httpError, sse, type FakeServer } from "../support/fake-responses-server.js";
import { completed, created, customToolCall, functionCall, textMessage } from "../support/sse.js";
import type { AppServerClient } from "../support/app-server-client.js";
import { useAppServerE2E } from "../support/app-server-e2e.js";

let server: FakeServer;
let env: TestEnv;
let client: AppServerClient;
// Every message a test saw must validate against the reference's schema and ours.
const e2e = useAppServerE2E((s, e) => ((server = s), (env = e)));

beforeEach(async () => {
  env.writeConfig(`approval_policy = "untrusted"\nsandbox_mode = "workspace-write"\n` + fakeProviderConfig(server.url));
  client = await e2e.appServer();
});

const text = (t: string) => ({ type: "text", text: t, text_elements: [] });
const DECLINED = 'exec_command failed: CreateProcess { message: "Rejected(\\"rejected by user\\")" }';

async function commandTurn(decision: unknown) {
  server.enqueue(
    sse(created("r1"), functionCall("call_1", "exec_command", { cmd: "touch approved.txt" }), completed("r1")),
    sse(created("r2"), textMessage("ok"), completed("r2")),
  );
  const { thread } = await client.call("thread/start", {});
  const from = client.seen.length;
  const { turn } = await client.call("turn/start", { threadId: thread.id, input: [text("go")] });
  const ask = await client.waitFor((m) => m.method === "item/commandExecution/requestApproval", { from });
  client.send({ id: ask.id, result: { decision } });
  const done = await client.notification("turn/completed", undefined, { from });
  return { thread, turn, ask, done, msgs: client.seen.slice(from) };
}

describe("command approvals", () => {
  test("the request, serverRequest/resolved and the status flags around it (accept)", async () => {
    const { thread, turn, ask, done, msgs } = await commandTurn("accept");
    expect(ask).toEqual({
      method: "item/commandExecution/requestApproval",
      id: 0,
      params: {
        kind: "command",
        threadId: thread.id,
        turnId: turn.id,
        itemId: "call_1",
        startedAtMs: expect.any(Number),
        environmentId: null,
        reason: null,
        command: expect.stringContaining("touch approved.txt"),
        cwd: env.repo,
        commandActions: [{ type: "unknown", command: expect.stringContaining("touch approved.txt") }],
        proposedExecpolicyAmendment: expect.arrayContaining(["touch"]),
      },
    });
    const methods = msgs.filter((m) => m.method).map((m) => m.method);
    const at = methods.indexOf("item/commandExecution/requestApproval");
    expect(methods.slice(at - 2, at + 4)).toEqual([
      "item/started",
      "thread/status/changed",
      "item/commandExecution/requestApproval",
      "serverRequest/resolved",
      "thread/status/changed",
      "item/completed",
    ]);
    const flags = msgs.filter((m) => m.method === "thread/status/changed").map((m) => m.params.status);
    expect(flags.slice(0, 3)).toEqual([
      { type: "active", activeFlags: [] },
      { type: "active", activeFlags: ["waitingOnApproval"] },
      { type: "active", activeFlags: [] },
    ]);
    expect(msgs.find((m) => m.method === "serverRequest/resolved")!.params).toEqual({ threadId: thread.id, requestId: 0 });
    const item = msgs.find((m) => m.method === "item/completed" && m.params.item.type === "commandExecution")!.params.item;
    expect(item).toMatchObject({ id: "call_1", status: "completed", exitCode: 0 });
    expect(done.params.turn.status).toBe("completed");
  });

  test.each([
    ["acceptForSession", "completed"],
    [{ acceptWithExecpolicyAmendment: { execpolicy_amendment: ["touch"] } }, "completed"],
    ["decline", "declined"],
  ])("decision %j → the command item ends %s", async (decision, status) => {
    const { msgs, done } = await commandTurn(decision);
    const item = msgs.find((m) => m.method === "item/completed" && m.params.item.type === "commandExecution")!.params.item;
    expect(item.status).toBe(status);
    expect(done.params.turn.status).toBe("completed");
    const output = server.requests[1]!.functionCallOutput("call_1");
    if (status === "declined") expect(output.output).toBe(DECLINED);
    else expect(output.output).not.toContain("Rejected");
  });

  test("cancel ends the turn interrupted", async () => {
    const { done } = await commandTurn("cancel");
    expect(done.params.turn.status).toBe("interrupted");
  });
});

test("a declined patch: the fileChange item carries the changes and ends declined; the model is told", async () => {
  const outside = `${env.home}/outside.txt`;
  server.enqueue(
    sse(created("r1"), customToolCall("call_p", "apply_patch", `*** Begin Patch\n*** Add File: ${outside}\n+hi\n*** End Patch\n`), completed("r1")),
    sse(created("r2"), textMessage("ok"), completed("r2")),
  );
  const { thread } = await client.call("thread/start", {});
  const { turn } = await client.call("turn/start", { threadId: thread.id, input: [text("patch")] });
  const ask = await client.waitFor((m) => m.method === "item/fileChange/requestApproval");
  expect(ask.params).toEqual({ threadId: thread.id, turnId: turn.id, itemId: "call_p", startedAtMs: expect.any(Number), reason: null, grantRoot: null });
  const started = client.seen.find((m) => m.method === "item/started" && m.params.item.type === "fileChange")!;
  expect(started.params.item).toMatchObject({ id: "call_p", changes: [{ path: outside, kind: { type: "add" }, diff: expect.stringContaining("hi") }], status: "inProgress" });
  client.send({ id: ask.id, result: { decision: "decline" } });
  const item = (await client.waitFor((m) => m.method === "item/completed" && m.params.item.type === "fileChange")).params.item;
  expect(item.status).toBe("declined");
  await client.notification("turn/completed");
  expect(server.requests[1]!.functionCallOutput("call_p").output).toBe("patch rejected by user");
});

test("turn/interrupt while the model request is still connecting: interrupted within 200 ms", async () => {
  server.enqueue({ events: [], then: "stall" });
  const { thread } = await client.call("thread/start", {});
  const { turn } = await client.call("turn/start", { threadId: thread.id, input: [text("slow")] });
  await client.notification("turn/started");
  const sent = Date.now();
  const answer = await client.request("turn/interrupt", { threadId: thread.id, turnId: turn.id });
  expect(answer.result).toEqual({});
  const done = await client.notification("turn/completed");
  expect(Date.now() - sent).toBeLessThan(200);
  expect(done.params.turn).toMatchObject({ id: turn.id, status: "interrupted", error: null });
  expect(await client.request("turn/steer", { threadId: thread.id, expectedTurnId: turn.id, input: [text("x")] })).toMatchObject({
    error: { code: -32600, message: "no active turn to steer" },
  });
});

test("turn/interrupt sent right after turn/start (before the turn began) still interrupts it", async () => {
  server.enqueue({ events: [], then: "stall" });
  const { thread } = await client.call("thread/start", {});
  const id = 555;
  client.send({ id, method: "turn/start", params: { threadId: thread.id, input: [text("slow")] } });
  const { result } = await client.waitFor((m) => m.id === id);
  expect((await client.request("turn/interrupt", { threadId: thread.id, turnId: result.turn.id })).result).toEqual({});
  expect((await client.notification("turn/completed")).params.turn.status).toBe("interrupted");
});

test("turn/steer adds input the model sees in the same turn", async () => {
  server.enqueue(
    sse(created("r1"), functionCall("call_1", "exec_command", { cmd: "touch steer.txt" }), completed("r1")),
    sse(created("r2"), textMessage("done"), completed("r2")),
  );
  const { thread } = await client.call("thread/start", {});
  const { turn } = await client.call("turn/start", { threadId: thread.id, input: [text("first")] });
  const ask = await client.waitFor((m) => m.method === "item/commandExecution/requestApproval");
  expect(await client.call("turn/steer", { threadId: thread.id, expectedTurnId: turn.id, input: [text("and also this")] })).toEqual({ turnId: turn.id });
  expect((await client.request("turn/steer", { threadId: thread.id, expectedTurnId: "other", input: [text("x")] })).error.code).toBe(-32600);
  client.send({ id: ask.id, result: { decision: "decline" } });
  const done = await client.notification("turn/completed");
  expect(done.params.turn.status).toBe("completed");
  expect(server.requests[1]!.lastUserText()).toBe("and also this");
  const users = client.seen.filter((m) => m.method === "item/completed" && m.params.item.type === "userMessage").map((m) => m.params.item.content[0].text);
  expect(users).toEqual(["first", "and also this"]);
});

test("resume, fork, list, read, name and revert", async () => {
  server.enqueue(sse(created("r1"), textMessage("one"), completed("r1")), sse(created("r2"), textMessage("two"), completed("r2")));
  const { thread } = await client.call("thread/start", {});
  const turnIds: string[] = [];
  for (const q of ["first question", "second question"]) {
    turnIds.push((await client.call("turn/start", { threadId: thread.id, input: [text(q)] })).turn.id);
    await client.notification("turn/completed", (p) => p.turn.id === turnIds.at(-1));
  }
  await client.call("thread/name/set", { threadId: thread.id, name: "my thread" });
  const list = await client.call("thread/list", { limit: 10 });
  expect(list.data.map((t: { id: string }) => t.id)).toEqual([thread.id]);
  expect(list.data[0]).toMatchObject({ preview: "first question", name: "my thread", status: { type: "idle" }, modelProvider: "fake" });
  expect((await client.call("thread/list", { searchTerm: "nothing like it" })).data).toEqual([]);
  expect((await client.call("thread/list", { cwd: "/elsewhere" })).data).toEqual([]);
  const read = await client.call("thread/read", { threadId: thread.id, includeTurns: true });
  expect(read.thread.turns.map((t: { id: string }) => t.id)).toEqual(turnIds);
  expect(read.thread.turns[0].items.map((i: { type: string }) => i.type)).toEqual(["userMessage", "agentMessage"]);

  const fork = await client.call("thread/fork", { threadId: thread.id });
  expect(fork.thread.id).not.toBe(thread.id);
  expect(fork.thread.forkedFromId).toBe(thread.id);
  expect(fork.thread.turns.map((t: { id: string }) => t.id)).toEqual(turnIds);

  const reverted = await client.call("thread/revert", { threadId: thread.id, beforeTurnId: turnIds[1] });
  expect(reverted.thread.id).toBe(thread.id);
  const after = await client.call("thread/read", { threadId: thread.id, includeTurns: true });
  expect(after.thread.turns.map((t: { id: string }) => t.id)).toEqual([turnIds[0]]);
  server.enqueue(sse(created("r3"), textMessage("three"), completed("r3")));
  await client.call("turn/start", { threadId: thread.id, input: [text("third question")] });
  await client.notification("turn/completed", (p) => p.threadId === thread.id && !turnIds.includes(p.turn.id));
  const third = server.requests.at(-1)!.rawBody;
  expect(third).toContain("first question");
  expect(third).not.toContain("second question");

  // A second server process resumes it from disk.
  await client.close();
  client = await e2e.appServer();
  const resumed = await client.call("thread/resume", { threadId: thread.id });
  expect(resumed.thread.id).toBe(thread.id);
  expect(resumed.thread.turns.length).toBe(2);
  expect(resumed.thread.name).toBe("my thread");
  expect((await client.request("thread/resume", { threadId: "00000000-0000-0000-0000-000000000000" })).error.code).toBe(-32600);
});

test("a failed turn: error (willRetry false) then turn/completed failed, both with typed codexErrorInfo", async () => {
  server.enqueue(httpError(401, "bad key"));
  const { thread } = await client.call("thread/start", {});
  const { turn } = await client.call("turn/start", { threadId: thread.id, input: [text("hi")] });
  const done = await client.notification("turn/completed");
  const error = client.seen.find((m) => m.method === "error")!;
  expect(error.params).toEqual({
    error: { message: expect.any(String), codexErrorInfo: "unauthorized", additionalDetails: null },
    willRetry: false,
    threadId: thread.id,
    turnId: turn.id,
  });
  expect(done.params.turn).toMatchObject({ id: turn.id, status: "failed", error: { codexErrorInfo: "unauthorized" } });
  expect(client.seen.indexOf(error)).toBeLessThan(client.seen.indexOf(done));
});

test("compact/start runs a compaction turn; archive, unarchive and delete move the rollout", async () => {
  // A long answer, so that a summary makes the history smaller (otherwise compaction is skipped).
  server.enqueue(sse(created("r1"), textMessage("lorem ipsum dolor ".repeat(4000)), completed("r1")), sse(created("r2"), textMessage("SUMMARY of the thread"), completed("r2")));
  const { thread } = await client.call("thread/start", {});
  const long = "remember this";
  await client.call("turn/start", { threadId: thread.id, input: [text(long)] });
  await client.notification("turn/completed");
  const from = client.seen.length;
  expect(await client.call("thread/compact/start", { threadId: thread.id })).toEqual({});
  const done = await client.notification("turn/completed", undefined, { from });
  expect(done.params.turn.status).toBe("completed");
  const methods = client.seen.slice(from).map((m) => m.method);
  expect(methods).toContain("thread/compacted");
  expect(client.seen.slice(from).some((m) => m.method === "item/completed" && m.params.item.type === "contextCompaction")).toBe(true);

  expect(await client.call("thread/archive", { threadId: thread.id })).toEqual({});
  expect((await client.notification("thread/archived")).params).toEqual({ threadId: thread.id });
  expect((await client.call("thread/list", {})).data).toEqual([]);
  const back = await client.call("thread/unarchive", { threadId: thread.id });
  expect(back.thread).toMatchObject({ id: thread.id, status: { type: "notLoaded" }, preview: long });
  expect((await client.call("thread/list", {})).data.map((t: { id: string }) => t.id)).toEqual([thread.id]);
  expect(await client.call("thread/delete", { threadId: thread.id })).toEqual({});
  expect((await client.call("thread/list", {})).data).toEqual([]);
  expect((await client.request("thread/read", { threadId: thread.id })).error.code).toBe(-32600);
});
