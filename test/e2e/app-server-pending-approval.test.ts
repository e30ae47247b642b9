// A command approval pending when the app-server goes away — its client closes stdin, or the process is
// killed (SIGKILL) — is kept in the thread's journal (the call, the request, no output). A new app-server
// process resumes the thread and the client is asked again (item/commandExecution/requestApproval, same
// itemId); accepted, the command runs and the model goes on. Every message validates against the schemas.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { beforeEach, expect, test } from "vitest";
import { fakeProviderConfig, runCodex, type TestEnv } from "../support/codex-env.js";
import { sse, type FakeServer } from "../support/fake-responses-server.js";
import { completed, created, functionCall, textMessage } from "../support/sse.js";
import type { AppServerClient } from "../support/app-server-client.js";
import { useAppServerE2E } from "../support/app-server-e2e.js";

let server: FakeServer;
let env: TestEnv;
const e2e = useAppServerE2E((s, e) => ((server = s), (env = e)));
const appServer = (): Promise<AppServerClient> => e2e.appServer();

beforeEach(() => {
  env.writeConfig(`approval_policy = "untrusted"\nsandbox_mode = "workspace-write"\n` + fakeProviderConfig(server.url));
});

const text = (t: string) => ({ type: "text", text: t, text_elements: [] });

/** Starts a turn whose command waits for approval; resolves once the client was asked. */
async function askedOnce(client: AppServerClient) {
  server.enqueue(
    sse(created("r1"), functionCall("call_1", "exec_command", { cmd: "touch approved.txt" }), completed("r1")),
    sse(created("r2"), textMessage("ran it"), completed("r2")),
  );
  const { thread } = await client.call("thread/start", {});
  const { turn } = await client.call("turn/start", { threadId: thread.id, input: [text("touch it")] });
  const ask = await client.waitFor((m) => m.method === "item/commandExecution/requestApproval", { what: "the approval request" });
  expect(ask.params).toMatchObject({ threadId: thread.id, turnId: turn.id, itemId: "call_1" });
  return { thread, turn };
}

function journal(file: string): Array<{ type: string; payload: any }> {
  return readFileSync(file, "utf8").trim().split("\n").map((l) => JSON.parse(l));
}

/** The journal keeps the call and its request, and no output for it. */
function expectPendingJournaled(file: string): void {
  const lines = journal(file);
  expect(lines.some((l) => l.type === "response_item" && l.payload.type === "function_call" && l.payload.call_id === "call_1")).toBe(true);
  expect(lines.some((l) => l.type === "event_msg" && l.payload.type === "exec_approval_request" && l.payload.call_id === "call_1")).toBe(true);
  expect(lines.some((l) => l.type === "response_item" && l.payload.type === "function_call_output")).toBe(false);
}

/** A new app-server resumes the thread: asked again (same itemId), accept, the command runs, the model goes on. */
async function resumeAndAccept(threadId: string): Promise<void> {
  const client = await appServer();
  const from = client.seen.length;
  const resumed = await client.call("thread/resume", { threadId });
  expect(resumed.thread.id).toBe(threadId);
  const ask = await client.waitFor((m) => m.method === "item/commandExecution/requestApproval", { from, what: "the approval asked again" });
  expect(ask.params).toMatchObject({ threadId, itemId: "call_1", command: expect.stringContaining("touch approved.txt") });
  // The answer to thread/resume comes first, then the turn that asks again.
  const methods = client.seen.slice(from).map((m) => m.method ?? "response");
  expect(methods.indexOf("response")).toBeLessThan(methods.indexOf("turn/started"));
  expect(methods.indexOf("turn/started")).toBeLessThan(methods.indexOf("item/commandExecution/requestApproval"));
  expect(ask.params.turnId).toBe(client.seen.slice(from).find((m) => m.method === "turn/started")!.params.turn.id);
  client.send({ id: ask.id, result: { decision: "accept" } });
  const done = await client.notification("turn/completed", (p) => p.turn.id === ask.params.turnId, { from });
  expect(done.params.turn.status).toBe("completed");
  const item = await client.notification("item/completed", (p) => p.item.id === "call_1", { from });
  expect(item.params.item).toMatchObject({ type: "commandExecution", status: "completed", exitCode: 0 });
  expect(existsSync(path.join(env.repo, "approved.txt"))).toBe(true);
  const answer = await client.notification("item/completed", (p) => p.item.type === "agentMessage", { from });
  expect(answer.params.item.text).toBe("ran it");
  expect(server.requests).toHaveLength(2);
  const output = JSON.stringify(server.requests[1]!.functionCallOutput("call_1"));
  expect(output).not.toContain("aborted");
  expect(output).toContain("Process exited with code 0");
  expect(await client.close()).toBe(0);
}

test("the client closes stdin while asked: the turn ends interrupted, the server exits, a resumed thread asks again", async () => {
  const first = await appServer();
  const { thread, turn } = await askedOnce(first);
  expect(await first.close()).toBe(0);
  expect(existsSync(path.join(env.repo, "approved.txt"))).toBe(false);
  expectPendingJournaled(thread.path);
  expect(journal(thread.path).some((l) => l.type === "event_msg" && l.payload.type === "turn_aborted" && l.payload.turn_id === turn.id)).toBe(true);
  await resumeAndAccept(thread.id);
});

test("the app-server is killed (SIGKILL) while asking: resumed by a new process, it asks again", async () => {
  const first = await appServer();
  const { thread } = await askedOnce(first);
  const exited = new Promise((resolve) => first.child.once("exit", resolve));
  first.child.kill("SIGKILL");
  await exited;
  expectPendingJournaled(thread.path);
  await resumeAndAccept(thread.id);
});

test("exec resume of such a thread: the pending call goes through exec's own approval rule before the new prompt", async () => {
  const first = await appServer();
  const { thread } = await askedOnce(first);
  const exited = new Promise((resolve) => first.child.once("exit", resolve));
  first.child.kill("SIGKILL");
  await exited;
  server.enqueue(sse(created("r3"), textMessage("and done"), completed("r3")));
  const r = await runCodex(["exec", "--json", "resume", thread.id, "and now?"], { env: env.env, cwd: env.repo });
  expect(r.code, r.stderr).toBe(0);
  // exec never asks (approval "never"): the command runs in the sandbox, as any call of an exec turn would.
  const events = r.stdout.trim().split("\n").map((l) => JSON.parse(l));
  expect(events.find((e) => e.type === "item.completed" && e.item.type === "command_execution")?.item).toMatchObject({ exit_code: 0, status: "completed" });
  expect(existsSync(path.join(env.repo, "approved.txt"))).toBe(true);
  const input = server.requests.at(-1)!.input;
  const out = input.findIndex((i: any) => i.type === "function_call_output" && i.call_id === "call_1");
  const prompt = input.findIndex((i: any) => i.type === "message" && JSON.stringify(i.content).includes("and now?"));
  expect(out).toBeGreaterThan(0);
  expect(out).toBeLessThan(prompt);
  expect(JSON.stringify(input[out])).not.toContain("aborted");
});

test("turn/interrupt while asked: turn/completed then serverRequest/resolved; a late answer is dropped; the next turn asks again first", async () => {
  const client = await appServer();
  const { thread, turn } = await askedOnce(client);
  const stale = client.seen.find((m) => m.method === "item/commandExecution/requestApproval")!;
  const from = client.seen.length;
  await client.call("turn/interrupt", { threadId: thread.id, turnId: turn.id });
  const resolved = await client.notification("serverRequest/resolved", (p) => p.requestId === stale.id, { from });
  const methods = client.seen.slice(from).map((m) => m.method);
  expect(methods.indexOf("turn/completed")).toBeLessThan(client.seen.slice(from).indexOf(resolved));
  expect(client.seen.slice(from).find((m) => m.method === "turn/completed")!.params.turn.status).toBe("interrupted");
  // The late answer changes nothing: nothing runs, nothing is resolved twice.
  client.send({ id: stale.id, result: { decision: "accept" } });
  const next = client.seen.length;
  const { turn: second } = await client.call("turn/start", { threadId: thread.id, input: [text("go on")] });
  const again = await client.waitFor((m) => m.method === "item/commandExecution/requestApproval", { from: next, what: "the approval asked again" });
  expect(again.id).not.toBe(stale.id);
  expect(again.params).toMatchObject({ turnId: second.id, itemId: "call_1" });
  expect(existsSync(path.join(env.repo, "approved.txt"))).toBe(false);
  client.send({ id: again.id, result: { decision: "accept" } });
  const done = await client.notification("turn/completed", (p) => p.turn.id === second.id, { from: next });
  expect(done.params.turn.status).toBe("completed");
  expect(existsSync(path.join(env.repo, "approved.txt"))).toBe(true);
  expect(client.seen.filter((m) => m.method === "serverRequest/resolved" && m.params.requestId === stale.id)).toHaveLength(1);
  const input = server.requests[1]!.input;
  const out = input.findIndex((i: any) => i.type === "function_call_output" && i.call_id === "call_1");
  const goOn = input.findIndex((i: any) => i.type === "message" && JSON.stringify(i.content).includes("go on"));
  expect(out).toBeGreaterThan(0);
  expect(out).toBeLessThan(goOn);
  expect(server.requests).toHaveLength(2);
});
