// A sub-agent's own stream over app-server, as the reference 0.169 sends it (multi_agent_v2, observed against the
// fake server): the child's status, turn/started (rootTurnId: the root's turn), items, usage and turn/completed
// under the child's threadId; its completed turn shown in the parent's turn as a `subAgentActivity` (completed).
// Every message seen is validated against the reference's schema and ours.
import path from "node:path";
import { appendFileSync } from "node:fs";
import { expect, test } from "vitest";
import type { TestEnv } from "../support/codex-env.js";
import { sse, type FakeServer, type RecordedRequest } from "../support/fake-responses-server.js";
import { completed, created, functionCall, textMessage } from "../support/sse.js";
import type { AppServerClient, Message } from "../support/app-server-client.js";
import { useAppServerE2E } from "../support/app-server-e2e.js";

let server: FakeServer;
let env: TestEnv;
let client: AppServerClient;

const e2e = useAppServerE2E((s, e) => ((server = s), (env = e)));

const text = (t: string) => ({ type: "text", text: t, text_elements: [] });
const collab = (id: string, name: string, args: unknown) => functionCall(id, name, args, { namespace: "collaboration" });
const agentOf = (r: RecordedRequest): string | undefined => JSON.parse(r.headers["x-codex-turn-metadata"] ?? "{}").agent_name;
const isChild = (p: string) => (r: RecordedRequest) => r.headers["x-openai-subagent"] === "collab_spawn" && agentOf(r) === p;

test("a spawned agent's turn, items and end reach the client under its own threadId; the parent shows it completed", async () => {
  env.writeConfig(`approval_policy = "never"\n` + e2e.trustedConfig());
  appendFileSync(path.join(env.codexHome, "config.toml"), `\n[features]\nmulti_agent_v2 = true\n`);
  client = await e2e.appServer();

  server.enqueue(
    sse(created("r1"), collab("s1", "spawn_agent", { task_name: "worker", message: "compute 2+2", fork_turns: "none" }), completed("r1")),
    sse(created("r2"), collab("w1", "wait_agent", { timeout_ms: 60_000 }), completed("r2")),
    sse(created("r3"), textMessage("the worker says four"), completed("r3")),
  );
  server.enqueueFor(
    isChild("/root/worker"),
    sse(created("c1"), functionCall("x1", "exec_command", { cmd: "echo from-child" }), completed("c1")),
    sse(created("c2"), textMessage("four"), completed("c2")),
  );
  const { thread } = await client.call("thread/start", {});
  const from = client.seen.length;
  const { turn } = await client.call("turn/start", { threadId: thread.id, input: [text("add numbers with a helper")] });
  const rootDone = await client.notification("turn/completed", (p) => p.threadId === thread.id, { from });
  expect(rootDone.params.turn.status).toBe("completed");

  const spawned = client.seen.slice(from).find((m) => m.method === "item/completed" && m.params.item.id === "s1")!;
  const childId: string = spawned.params.item.agentThreadId;
  expect(childId).not.toBe(thread.id);
  const childDone = await client.notification("turn/completed", (p) => p.threadId === childId, { from });
  const childMsgs = client.seen.slice(from).filter((m) => (m.params?.threadId ?? m.params?.thread?.id) === childId);
  const shown = (m: Message) => (m.params.item ? `${m.method} ${m.params.item.type}` : m.params.status ? `${m.method} ${m.params.status.type}` : m.method);
  expect(childMsgs.filter((m) => !["thread/tokenUsage/updated", "thread/started"].includes(m.method)).map(shown)).toEqual([
    "thread/status/changed idle",
    "thread/status/changed active",
    "turn/started",
    "item/started commandExecution",
    "item/commandExecution/outputDelta",
    "item/completed commandExecution",
    "item/started agentMessage",
    "item/agentMessage/delta",
    "item/completed agentMessage",
    "thread/status/changed idle",
    "turn/completed",
  ]);
  const childTurnId: string = childDone.params.turn.id;
  const started = childMsgs.find((m) => m.method === "turn/started")!;
  // The child's turn is attributed to the root's turn that led to it.
  expect(started.params.turn).toMatchObject({ id: childTurnId, rootTurnId: turn.id, status: "inProgress" });
  expect(childDone.params.turn).toMatchObject({ id: childTurnId, rootTurnId: turn.id, status: "completed", error: null });
  expect(childDone.params.turn.items.map((i: { text?: string }) => i.text)).toEqual(["four"]);
  for (const m of childMsgs.filter((m) => m.method.startsWith("item/"))) expect(m.params.turnId).toBe(childTurnId);
  const command = childMsgs.find((m) => m.method === "item/completed" && m.params.item.type === "commandExecution")!;
  expect(command.params.item).toMatchObject({ id: "x1", status: "completed", exitCode: 0, aggregatedOutput: "from-child\n" });
  expect(childMsgs.filter((m) => m.method === "thread/tokenUsage/updated").every((m) => m.params.turnId === childTurnId)).toBe(true);

  // In the parent's turn: the child's completed turn, between the spawn and the end of the wait.
  const parentItems = client.seen
    .slice(from)
    .filter((m) => m.method === "item/completed" && m.params.threadId === thread.id && m.params.item.type !== "userMessage")
    .map((m) => m.params.item);
  expect(parentItems.map((i) => i.id)).toEqual(["s1", `subagent-completed-${childTurnId}`, "w1", expect.any(String)]);
  expect(parentItems[1]).toEqual({
    type: "subAgentActivity",
    model: null,
    reasoningEffort: null,
    id: `subagent-completed-${childTurnId}`,
    kind: "completed",
    agentThreadId: childId,
    agentPath: "/root/worker",
    startedAtMs: expect.any(Number),
    completedAtMs: expect.any(Number),
  });
  const completedActivity = client.seen.find((m) => m.method === "item/completed" && m.params.item.id === `subagent-completed-${childTurnId}`)!;
  expect(completedActivity.params.turnId).toBe(turn.id);
});
