// app-server turn/start settings overrides, as the reference 0.169 applies them (observed against the fake
// server): model, effort, summary, service tier, cwd, approval policy and sandbox hold for this turn and the
// next ones; outputSchema is this turn's only. Checked on the model requests and on what commands may do.
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { beforeEach, expect, test } from "vitest";
import { fakeProviderConfig, type TestEnv } from "../support/codex-env.js";
import { sse, type FakeServer } from "../support/fake-responses-server.js";
import { completed, created, functionCall, textMessage } from "../support/sse.js";
import type { AppServerClient } from "../support/app-server-client.js";
import { useAppServerE2E } from "../support/app-server-e2e.js";

let server: FakeServer;
let env: TestEnv;
let client: AppServerClient;

const e2e = useAppServerE2E((s, e) => ((server = s), (env = e)));

beforeEach(async () => {
  // Asks before any command it does not know to be safe: a turn that runs one unasked runs under `never`.
  env.writeConfig(`approval_policy = "untrusted"\nsandbox_mode = "workspace-write"\n` + e2e.trustedConfig());
  client = await e2e.appServer();
});

const text = (t: string) => ({ type: "text", text: t, text_elements: [] });
const SCHEMA = { type: "object", properties: { answer: { type: "string" } }, required: ["answer"], additionalProperties: false };

async function turn(threadId: string, prompt: string, over: Record<string, unknown> = {}) {
  const from = client.seen.length;
  const { turn } = await client.call("turn/start", { threadId, input: [text(prompt)], ...over });
  const done = await client.notification("turn/completed", (p) => p.turn.id === turn.id, { from });
  return { done, msgs: client.seen.slice(from) };
}
const outputOf = (callId: string): string => {
  const req = server.requests.find((r) => r.functionCallOutput(callId) !== undefined);
  return JSON.stringify(req?.functionCallOutput(callId));
};

test("model, effort and summary hold for the next turns; outputSchema for its turn only; thread/read reports them", async () => {
  const { thread } = await client.call("thread/start", {});
  server.enqueue(sse(created("r1"), textMessage('{"answer":"1"}'), completed("r1")), sse(created("r2"), textMessage("two"), completed("r2")));
  const first = await turn(thread.id, "one", {
    model: "gpt-5.4",
    effort: "high",
    summary: "detailed",
    serviceTier: "flex",
    personality: "pragmatic",
    outputSchema: SCHEMA,
  });
  const second = await turn(thread.id, "two");
  expect([first.done.params.turn.status, second.done.params.turn.status]).toEqual(["completed", "completed"]);
  const [r1, r2] = server.requests;
  expect(r1!.body.model).toBe("gpt-5.4");
  expect(r1!.body.reasoning).toMatchObject({ effort: "high", summary: "detailed" });
  expect(r1!.body.text.format).toEqual({ type: "json_schema", name: "codex_output_schema", strict: true, schema: SCHEMA });
  expect(r2!.body.model).toBe("gpt-5.4");
  expect(r2!.body.reasoning).toMatchObject({ effort: "high", summary: "detailed" });
  expect(r2!.body.text?.format).toBeUndefined();
  expect([r1!.body.service_tier, r2!.body.service_tier]).toEqual(["flex", "flex"]);
  // Everything given was applied: no "not supported" warning.
  expect(first.msgs.filter((m) => m.method === "warning")).toEqual([]);
  const read = await client.call("thread/read", { threadId: thread.id, includeTurns: false });
  expect(read.thread).toMatchObject({ model: "gpt-5.4", reasoningEffort: "high" });
});

test("serviceTierForTurn is for its turn only; \"default\" sends no tier while the thread's tier stays", async () => {
  const { thread } = await client.call("thread/start", {});
  for (const id of ["r1", "r2", "r3", "r4"]) server.enqueue(sse(created(id), textMessage(id), completed(id)));
  await turn(thread.id, "one", { serviceTierForTurn: "flex" });
  await turn(thread.id, "two");
  await turn(thread.id, "three", { serviceTier: "priority", serviceTierForTurn: "default" });
  await turn(thread.id, "four");
  expect(server.requests.map((r) => r.body.service_tier ?? null)).toEqual(["flex", null, null, "priority"]);
});

test("approvalPolicy never + readOnly: the command runs unasked and cannot write, in this turn and the next", async () => {
  const { thread } = await client.call("thread/start", {});
  server.enqueue(
    sse(created("r1"), functionCall("c1", "exec_command", { cmd: "touch one.txt" }), completed("r1")),
    sse(created("r2"), textMessage("tried"), completed("r2")),
    sse(created("r3"), functionCall("c2", "exec_command", { cmd: "touch two.txt" }), completed("r3")),
    sse(created("r4"), textMessage("tried again"), completed("r4")),
  );
  // Only `type`, as the reference's schema allows (networkAccess defaults to false).
  const first = await turn(thread.id, "write one", { approvalPolicy: "never", sandboxPolicy: { type: "readOnly" } });
  const second = await turn(thread.id, "write two");
  for (const t of [first, second]) expect(t.msgs.filter((m) => m.method === "item/commandExecution/requestApproval")).toEqual([]);
  expect(outputOf("c1")).toMatch(/Read-only file system|Permission denied|not permitted/i);
  expect(outputOf("c2")).toMatch(/Read-only file system|Permission denied|not permitted/i);
  expect(existsSync(path.join(env.repo, "one.txt"))).toBe(false);
  expect(existsSync(path.join(env.repo, "two.txt"))).toBe(false);
  const read = await client.call("thread/read", { threadId: thread.id, includeTurns: false });
  expect(read.thread.cwd).toBe(env.repo);
});

test("cwd + workspaceWrite: commands run in the new directory, which is writable, and the old one is not", async () => {
  const other = path.join(env.home, "other");
  mkdirSync(other);
  const { thread } = await client.call("thread/start", {});
  server.enqueue(
    sse(created("r1"), functionCall("c1", "exec_command", { cmd: `pwd && touch here.txt && touch ${env.repo}/there.txt` }), completed("r1")),
    sse(created("r2"), textMessage("done"), completed("r2")),
    sse(created("r3"), functionCall("c2", "exec_command", { cmd: "pwd" }), completed("r3")),
    sse(created("r4"), textMessage("still there"), completed("r4")),
  );
  const sandboxPolicy = { type: "workspaceWrite", writableRoots: [], networkAccess: false, excludeTmpdirEnvVar: true, excludeSlashTmp: true };
  const first = await turn(thread.id, "write both", { cwd: other, approvalPolicy: "never", sandboxPolicy });
  expect(first.done.params.turn.status).toBe("completed");
  const item = first.msgs.find((m) => m.method === "item/started" && m.params.item.type === "commandExecution");
  expect(item?.params.item.cwd).toBe(other);
  expect(outputOf("c1")).toContain(other);
  expect(existsSync(path.join(other, "here.txt"))).toBe(true);
  expect(existsSync(path.join(env.repo, "there.txt"))).toBe(false);
  expect(outputOf("c1")).toMatch(/Read-only file system|Permission denied|not permitted/i);
  await turn(thread.id, "where are you");
  expect(outputOf("c2")).toContain(other);
  const read = await client.call("thread/read", { threadId: thread.id, includeTurns: false });
  expect(read.thread.cwd).toBe(other);
});

test("cwd alone: a workspace-write thread's writable root moves with it", async () => {
  await client.close();
  env.writeConfig(
    `approval_policy = "never"\nsandbox_mode = "workspace-write"\n` +
      fakeProviderConfig(server.url, `\n[sandbox_workspace_write]\nexclude_slash_tmp = true\nexclude_tmpdir_env_var = true\n`),
  );
  client = await e2e.appServer();
  const other = path.join(env.home, "other");
  mkdirSync(other);
  const { thread } = await client.call("thread/start", {});
  server.enqueue(
    sse(created("r1"), functionCall("c1", "exec_command", { cmd: `touch here.txt; touch ${env.repo}/there.txt` }), completed("r1")),
    sse(created("r2"), textMessage("done"), completed("r2")),
  );
  await turn(thread.id, "write both", { cwd: other });
  expect(existsSync(path.join(other, "here.txt"))).toBe(true);
  expect(existsSync(path.join(env.repo, "there.txt"))).toBe(false);
  const read = await client.call("thread/read", { threadId: thread.id, includeTurns: false });
  expect(read.thread.cwd).toBe(other);
});

test("what is not applied says so: an external sandbox warns and the thread's sandbox stays; a missing cwd is refused", async () => {
  const { thread } = await client.call("thread/start", {});
  const bad = await client.request("turn/start", { threadId: thread.id, input: [text("x")], cwd: path.join(env.home, "missing") });
  expect(bad.error).toMatchObject({ code: -32600, message: expect.stringContaining("cwd") });
  server.enqueue(sse(created("r1"), textMessage("ok"), completed("r1")));
  const t = await turn(thread.id, "hi", { sandboxPolicy: { type: "externalSandbox" } });
  expect(t.msgs.filter((m) => m.method === "warning").map((m) => m.params.message)).toEqual([
    "turn/start: `sandboxPolicy` externalSandbox is not supported; the thread's sandbox applies",
  ]);
  server.enqueue(sse(created("r3"), textMessage("ok"), completed("r3")));
  const others = await turn(thread.id, "more", { disabledPluginIds: ["p1"], collaborationMode: { mode: "plan", settings: {} } });
  expect(others.msgs.filter((m) => m.method === "warning").map((m) => m.params.message)).toEqual([
    "turn/start: `disabledPluginIds`: plugins are not supported; nothing to disable",
    "turn/start: `collaborationMode` is not supported; the thread's mode applies",
  ]);
  // Two turns ran; the refused one sent nothing.
  expect(server.requests).toHaveLength(2);
  const granular = { granular: { sandbox_approval: true, rules: true, skill_approval: true, request_permissions: true, mcp_elicitations: true } };
  server.enqueue(sse(created("r2"), textMessage("ok"), completed("r2")));
  const g = await turn(thread.id, "again", { approvalPolicy: granular });
  expect(g.msgs.filter((m) => m.method === "warning").map((m) => m.params.message)).toEqual([
    "turn/start: a granular `approvalPolicy` is not supported; it applies as on-request (every approval asked)",
  ]);
  const read = await client.call("thread/read", { threadId: thread.id, includeTurns: false });
  expect(read.thread.cwd).toBe(env.repo);
});

test("thread/resume by a new server: the thread runs on the model and effort it last ran with, unless the resume names a model", async () => {
  server.enqueue(
    sse(created("r1"), textMessage("one"), completed("r1")),
    sse(created("r2"), textMessage("two"), completed("r2")),
    sse(created("r3"), textMessage("three"), completed("r3")),
  );
  const { thread } = await client.call("thread/start", {});
  await turn(thread.id, "first", { model: "gpt-5.4", effort: "low" });
  await client.close();
  // As the reference 0.169 (observed: a thread that ran gpt-5.4, resumed by a new app-server without a model,
  // answers gpt-5.4 and runs its next turn on it; config says gpt-5.5).
  client = await e2e.appServer();
  const resumed = await client.call("thread/resume", { threadId: thread.id });
  expect([resumed.model, resumed.reasoningEffort]).toEqual(["gpt-5.4", "low"]);
  await turn(thread.id, "second");
  await client.close();
  client = await e2e.appServer();
  const named = await client.call("thread/resume", { threadId: thread.id, model: "gpt-5.2" });
  expect(named.model).toBe("gpt-5.2");
  await turn(thread.id, "third");
  expect(server.requests.map((r) => [r.body.model, r.body.reasoning?.effort ?? null])).toEqual([
    ["gpt-5.4", "low"],
    ["gpt-5.4", "low"],
    ["gpt-5.2", expect.anything()],
  ]);
});
