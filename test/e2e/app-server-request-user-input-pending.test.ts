// A request_user_input question pending when the app-server goes away — its client closes stdin, or the
// process is killed (SIGKILL) — is kept in the thread's journal (the call, the question, no output). A new
// app-server process resumes the thread and the client is asked again (item/tool/requestUserInput, same
// itemId); its answer is the call's output in the next model request and the model goes on. Every message
// validates against the reference's schema and ours.
import { readFileSync } from "node:fs";
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
  env.writeConfig(fakeProviderConfig(server.url) + `\n[features]\ndefault_mode_request_user_input = true\n`);
});

const text = (t: string) => ({ type: "text", text: t, text_elements: [] });
const OPTIONS = [{ label: "Red (Recommended)", description: "warm" }, { label: "Blue", description: "cool" }];
const ARGS = { questions: [{ id: "color", header: "Color", question: "Which color?", options: OPTIONS }] };
const QUESTIONS = [{ id: "color", header: "Color", question: "Which color?", isOther: true, isSecret: false, options: OPTIONS }];
const ANSWER = { answers: { color: { answers: ["Blue", "user_note: a dark one"] } } };

const isAsk = (m: { method?: string }) => m.method === "item/tool/requestUserInput";

/** Starts a turn whose model asks a question; resolves once the client was asked. */
async function askedOnce(client: AppServerClient) {
  server.enqueue(
    sse(created("r1"), textMessage("One question first."), functionCall("call_q", "request_user_input", ARGS), completed("r1")),
    sse(created("r2"), textMessage("blue it is"), completed("r2")),
  );
  const { thread } = await client.call("thread/start", {});
  const { turn } = await client.call("turn/start", { threadId: thread.id, input: [text("paint it")] });
  const ask = await client.waitFor(isAsk, { what: "the question" });
  expect(ask.params).toMatchObject({ threadId: thread.id, turnId: turn.id, itemId: "call_q" });
  return { thread, turn };
}

function journal(file: string): Array<{ type: string; payload: any }> {
  return readFileSync(file, "utf8").trim().split("\n").map((l) => JSON.parse(l));
}

/** The journal keeps the call and its question, and no output for it. */
function expectPendingJournaled(file: string): void {
  const lines = journal(file);
  expect(lines.some((l) => l.type === "response_item" && l.payload.type === "function_call" && l.payload.call_id === "call_q")).toBe(true);
  expect(lines.some((l) => l.type === "event_msg" && l.payload.type === "request_user_input" && l.payload.call_id === "call_q")).toBe(true);
  expect(lines.some((l) => l.type === "response_item" && l.payload.type === "function_call_output")).toBe(false);
}

/** A new app-server resumes the thread: asked again (same itemId), answered, the model reads the answer and goes on. */
async function resumeAndAnswer(threadId: string): Promise<void> {
  const client = await appServer();
  const from = client.seen.length;
  const resumed = await client.call("thread/resume", { threadId });
  expect(resumed.thread.id).toBe(threadId);
  const ask = await client.waitFor(isAsk, { from, what: "the question asked again" });
  const turnStarted = client.seen.slice(from).find((m) => m.method === "turn/started")!;
  expect(ask.params).toEqual({ threadId, turnId: turnStarted.params.turn.id, itemId: "call_q", questions: QUESTIONS, isBlocking: false, autoResolutionMs: null });
  // The answer to thread/resume comes first, then the turn that asks again.
  const methods = client.seen.slice(from).map((m) => m.method ?? "response");
  expect(methods.indexOf("response")).toBeLessThan(methods.indexOf("turn/started"));
  expect(methods.indexOf("turn/started")).toBeLessThan(methods.indexOf("item/tool/requestUserInput"));
  // Nothing reached the model meanwhile.
  expect(server.requests).toHaveLength(1);
  client.send({ id: ask.id, result: ANSWER });
  const resolved = await client.notification("serverRequest/resolved", (p) => p.requestId === ask.id, { from });
  expect(resolved.params).toEqual({ threadId, requestId: ask.id });
  const done = await client.notification("turn/completed", (p) => p.turn.id === ask.params.turnId, { from });
  expect(done.params.turn.status).toBe("completed");
  const answer = await client.notification("item/completed", (p) => p.item.type === "agentMessage" && p.item.text === "blue it is", { from });
  expect(answer.params.turnId).toBe(ask.params.turnId);
  expect(server.requests).toHaveLength(2);
  expect(server.requests[1]!.functionCallOutput("call_q").output).toBe(JSON.stringify(ANSWER));
  expect(await client.close()).toBe(0);
  // The answer is journaled: resumed once more, nothing is asked.
  const lines = journal(resumed.thread.path);
  expect(lines.some((l) => l.type === "event_msg" && l.payload.type === "user_input_answered" && l.payload.call_id === "call_q")).toBe(true);
  const again = await appServer();
  const at = again.seen.length;
  await again.call("thread/resume", { threadId });
  expect(await again.close()).toBe(0);
  expect(again.seen.slice(at).some(isAsk)).toBe(false);
  expect(server.requests).toHaveLength(2);
}

test("the client closes stdin while asked: the turn ends interrupted, the server exits, a resumed thread asks again", async () => {
  const first = await appServer();
  const { thread, turn } = await askedOnce(first);
  expect(await first.close()).toBe(0);
  expectPendingJournaled(thread.path);
  expect(journal(thread.path).some((l) => l.type === "event_msg" && l.payload.type === "turn_aborted" && l.payload.turn_id === turn.id)).toBe(true);
  await resumeAndAnswer(thread.id);
});

test("the app-server is killed (SIGKILL) while asking: resumed by a new process, it asks again", async () => {
  const first = await appServer();
  const { thread } = await askedOnce(first);
  const exited = new Promise((resolve) => first.child.once("exit", resolve));
  first.child.kill("SIGKILL");
  await exited;
  expectPendingJournaled(thread.path);
  await resumeAndAnswer(thread.id);
});

test("exec resume of such a thread: nobody to ask, the pending call gets empty answers before the new prompt", async () => {
  const first = await appServer();
  const { thread } = await askedOnce(first);
  const exited = new Promise((resolve) => first.child.once("exit", resolve));
  first.child.kill("SIGKILL");
  await exited;
  const r = await runCodex(["exec", "--json", "resume", thread.id, "and now?"], { env: env.env, cwd: env.repo });
  expect(r.code, r.stderr).toBe(0);
  // The scripted second response (r2) answers this turn: the model goes on from the empty answers.
  expect(r.stdout).toContain("blue it is");
  const input = server.requests.at(-1)!.input;
  const out = input.findIndex((i: any) => i.type === "function_call_output" && i.call_id === "call_q");
  const prompt = input.findIndex((i: any) => i.type === "message" && JSON.stringify(i.content).includes("and now?"));
  expect(out).toBeGreaterThan(0);
  expect(input[out].output).toBe('{"answers":{}}');
  expect(out).toBeLessThan(prompt);
});
