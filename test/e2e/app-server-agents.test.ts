// app-server surfaces of three core features: MCP tool approvals asked as `mcpServer/elicitation/request`,
// Smart Approvals as `item/autoApprovalReview/*`, and sub-agent calls as `collabAgentToolCall` items.
// Every message seen is validated against the reference's schema and ours.
import { appendFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import type { TestEnv } from "../support/codex-env.js";
import { sse, type FakeServer, type RecordedRequest } from "../support/fake-responses-server.js";
import { faultServerToml, readMcpLog } from "../support/mcp-env.js";
import { completed, created, functionCall, textMessage } from "../support/sse.js";
import type { AppServerClient, Message } from "../support/app-server-client.js";
import { useAppServerE2E } from "../support/app-server-e2e.js";

let server: FakeServer;
let env: TestEnv;
let client: AppServerClient;

const e2e = useAppServerE2E((s, e) => ((server = s), (env = e)));

async function setUp(top: string, extra = ""): Promise<void> {
  env.writeConfig(top + e2e.trustedConfig());
  if (extra) appendFileSync(path.join(env.codexHome, "config.toml"), `\n${extra}\n`);
  client = await e2e.appServer();
}

const text = (t: string) => ({ type: "text", text: t, text_elements: [] });
const items = (from: number, type: string, phase = "item/completed") =>
  client.seen.slice(from).filter((m) => m.method === phase && m.params.item.type === type).map((m) => m.params.item);
/** The text the model got back for a call, in the latest request that carries it. */
function modelSaw(callId: string): string {
  const req = [...server.requests].reverse().find((r) => r.functionCallOutput(callId) !== undefined);
  const out = req?.functionCallOutput(callId).output;
  return Array.isArray(out) ? out.map((p: { text?: string }) => p.text ?? "").join("\n") : String(out);
}

async function startTurn(prompt: string): Promise<{ threadId: string; turnId: string; from: number }> {
  const { thread } = await client.call("thread/start", {});
  const from = client.seen.length;
  const { turn } = await client.call("turn/start", { threadId: thread.id, input: [text(prompt)] });
  return { threadId: thread.id, turnId: turn.id, from };
}

describe("MCP tool approvals (mcpServer/elicitation/request)", () => {
  const log = () => path.join(env.home, "mcp.log");
  const calls = () => readMcpLog(log()).filter((l) => l.kind === "call");
  const setUpMcp = async () => {
    await setUp(`approval_policy = "on-request"\nsandbox_mode = "workspace-write"\n`);
    appendFileSync(path.join(env.codexHome, "config.toml"), `\n${faultServerToml("srv", { log: log() })}\n`);
    await client.close();
    client = await e2e.appServer();
  };
  const script = (...names: Array<[string, unknown]>) => {
    names.forEach(([name, args], i) => server.enqueue(sse(created(`r${i}`), functionCall(`call_${i}`, name, args), completed(`r${i}`))));
    server.enqueue(sse(created("rz"), textMessage("done"), completed("rz")));
  };

  test("a destructive tool asks the client: decline refuses it (the model is told), accept runs it", async () => {
    await setUpMcp();
    script(["mcp__srv__drop_table", { name: "users" }], ["mcp__srv__drop_table", { name: "logs" }]);
    const { threadId, turnId, from } = await startTurn("drop the tables");
    const first = await client.waitFor((m) => m.method === "mcpServer/elicitation/request", { from });
    // The reference's shape (observed from codex 0.169 app-server against the same fake servers).
    expect(first.params).toEqual({
      threadId,
      turnId,
      serverName: "srv",
      mode: "form",
      _meta: {
        codex_approval_kind: "mcp_tool_call",
        persist: ["session", "always"],
        tool_name: "drop_table",
        tool_annotations: { readOnlyHint: false, destructiveHint: true },
        tool_description: "Deletes a table.",
        tool_params: { name: "users" },
        tool_params_display: [{ name: "name", value: "users", display_name: "name" }],
      },
      message: 'Allow the srv MCP server to run tool "drop_table"?',
      requestedSchema: { type: "object", properties: {} },
    });
    const upTo = client.seen.slice(from, client.seen.indexOf(first) + 1).filter((m) => m.method !== "thread/tokenUsage/updated");
    expect(upTo.slice(-3).map((m) => m.method)).toEqual(["item/started", "thread/status/changed", "mcpServer/elicitation/request"]);
    expect(upTo.at(-3)!.params.item).toMatchObject({ type: "mcpToolCall", id: "call_0", server: "srv", tool: "drop_table", status: "inProgress", readOnlyHint: false });
    expect(upTo.at(-2)!.params.status).toEqual({ type: "active", activeFlags: ["waitingOnApproval"] });
    client.send({ id: first.id, result: { action: "decline", content: null, _meta: null } });
    await client.waitFor((m) => m.method === "serverRequest/resolved" && m.params.requestId === first.id, { from });
    const second = await client.waitFor((m) => m.method === "mcpServer/elicitation/request" && m.id !== first.id, { from });
    expect(second.params._meta.tool_params).toEqual({ name: "logs" });
    client.send({ id: second.id, result: { action: "accept", content: {} } });
    const done = await client.notification("turn/completed", undefined, { from });
    expect(done.params.turn.status).toBe("completed");
    expect(calls().map((c) => c.arguments)).toEqual([{ name: "logs" }]);
    expect(modelSaw("call_0")).toContain("user rejected MCP tool call");
    expect(modelSaw("call_1")).toContain("drop_table");
    const resolved = client.seen.slice(from).filter((m) => m.method === "serverRequest/resolved").map((m) => m.params);
    expect(resolved).toEqual([
      { threadId, requestId: first.id },
      { threadId, requestId: second.id },
    ]);
    const mcp = items(from, "mcpToolCall");
    expect(mcp.map((i) => [i.id, i.status])).toEqual([
      ["call_0", "failed"],
      ["call_1", "completed"],
    ]);
    expect(mcp[0]).toMatchObject({ error: { message: "user rejected MCP tool call" }, readOnlyHint: false });
    expect(items(from, "mcpToolCall", "item/started").map((i) => i.id)).toEqual(["call_0", "call_1"]);
  });

  test("accepted for the session (_meta.persist session): the same tool runs again without asking", async () => {
    await setUpMcp();
    script(["mcp__srv__drop_table", { name: "a" }], ["mcp__srv__drop_table", { name: "b" }]);
    const { from } = await startTurn("drop both");
    const ask = await client.waitFor((m) => m.method === "mcpServer/elicitation/request", { from });
    client.send({ id: ask.id, result: { action: "accept", content: {}, _meta: { persist: "session" } } });
    await client.notification("turn/completed", undefined, { from });
    expect(client.seen.slice(from).filter((m) => m.method === "mcpServer/elicitation/request")).toHaveLength(1);
    expect(calls().map((c) => c.arguments)).toEqual([{ name: "a" }, { name: "b" }]);
  });

  test("cancel: nothing runs and the model is told the call was cancelled (as core answers a cancelled form)", async () => {
    await setUpMcp();
    script(["mcp__srv__drop_table", { name: "users" }]);
    const { from } = await startTurn("drop it");
    const ask = await client.waitFor((m) => m.method === "mcpServer/elicitation/request", { from });
    client.send({ id: ask.id, result: { action: "cancel" } });
    const done = await client.notification("turn/completed", undefined, { from });
    expect(done.params.turn.status).toBe("completed");
    expect(calls()).toEqual([]);
    expect(modelSaw("call_0")).toContain("user cancelled MCP tool call");
  });
});

describe("Smart Approvals (item/autoApprovalReview/*)", () => {
  const isGuardian = (r: RecordedRequest) => r.headers["x-openai-subagent"] === "guardian";
  const verdict = (o: Record<string, unknown>) => sse(created("g"), textMessage(JSON.stringify(o)), completed("g"));
  const escalated = (id: string, file: string) =>
    functionCall(id, "exec_command", { cmd: `touch ${file}`, sandbox_permissions: "require_escalated", justification: "write the marker", login: false });

  test("the guardian allows one command and denies the next: started/completed reviews target the command items", async () => {
    await setUp(`approvals_reviewer = "guardian_subagent"\napproval_policy = "on-request"\nsandbox_mode = "read-only"\n`);
    const a = path.join(env.repo, "a.txt");
    const b = path.join(env.repo, "b.txt");
    server.enqueue(
      sse(created("r1"), escalated("c1", a), completed("r1")),
      sse(created("r2"), escalated("c2", b), completed("r2")),
      sse(created("r3"), textMessage("done"), completed("r3")),
    );
    server.enqueueFor(
      isGuardian,
      verdict({ risk_level: "low", user_authorization: "high", outcome: "allow", rationale: "asked for" }),
      verdict({ risk_level: "high", user_authorization: "unknown", outcome: "deny", rationale: "nobody asked for b" }),
    );
    const { threadId, turnId, from } = await startTurn("make the markers");
    const done = await client.notification("turn/completed", undefined, { from });
    expect(done.params.turn.status).toBe("completed");
    const msgs = client.seen.slice(from);
    // Nobody was asked: the guardian answered.
    expect(msgs.some((m) => m.method === "item/commandExecution/requestApproval")).toBe(false);
    const started = msgs.filter((m) => m.method === "item/autoApprovalReview/started").map((m) => m.params);
    const ended = msgs.filter((m) => m.method === "item/autoApprovalReview/completed").map((m) => m.params);
    expect(started).toHaveLength(2);
    expect(started[0]).toEqual({
      threadId,
      turnId,
      startedAtMs: expect.any(Number),
      reviewId: expect.any(String),
      targetItemId: "c1",
      review: { status: "inProgress", riskLevel: null, userAuthorization: null, rationale: null },
      action: { type: "command", source: "unifiedExec", command: expect.stringMatching(new RegExp(` '?touch ${a}'?$`)), cwd: env.repo },
    });
    expect(ended[0]).toEqual({
      ...started[0],
      completedAtMs: expect.any(Number),
      decisionSource: "agent",
      review: { status: "approved", riskLevel: "low", userAuthorization: "high", rationale: "asked for" },
    });
    expect(ended[1]).toMatchObject({
      reviewId: started[1].reviewId,
      targetItemId: "c2",
      review: { status: "denied", riskLevel: "high", userAuthorization: "unknown", rationale: "nobody asked for b" },
    });
    expect(started[0].reviewId).not.toBe(started[1].reviewId);
    expect(ended[0].completedAtMs).toBeGreaterThanOrEqual(ended[0].startedAtMs);
    // The review comes between the command item's start and its completion.
    const at = (pred: (m: Message) => boolean) => msgs.findIndex(pred);
    const reviewAt = at((m) => m.method === "item/autoApprovalReview/completed" && m.params.targetItemId === "c1");
    expect(reviewAt).toBeLessThan(at((m) => m.method === "item/completed" && m.params.item.id === "c1"));
    const commands = items(from, "commandExecution");
    expect(commands.map((i) => [i.id, i.status])).toEqual([
      ["c1", "completed"],
      ["c2", "declined"],
    ]);
    expect(modelSaw("c2")).toContain("nobody asked for b");
  });

  test("a review that fails (no valid verdict) shows denied with the problem as rationale; nothing runs", async () => {
    await setUp(`approvals_reviewer = "guardian_subagent"\napproval_policy = "on-request"\nsandbox_mode = "read-only"\n`);
    server.enqueue(sse(created("r1"), escalated("c1", path.join(env.repo, "never.txt")), completed("r1")), sse(created("r2"), textMessage("ok"), completed("r2")));
    const bad = () => sse(created("g"), textMessage("sure, go ahead"), completed("g"));
    server.enqueueFor(isGuardian, bad(), bad(), bad());
    const { from } = await startTurn("make the marker");
    await client.notification("turn/completed", undefined, { from });
    const ended = client.seen.slice(from).filter((m) => m.method === "item/autoApprovalReview/completed").map((m) => m.params);
    expect(ended).toHaveLength(1);
    expect(ended[0].review).toMatchObject({ status: "denied", riskLevel: null, rationale: expect.any(String) });
    expect(ended[0].review.rationale).toMatch(/^Automatic approval review failed: \S/);
    expect(modelSaw("c1")).toContain("review failed");
  });
});

test("thread/start's approvalsReviewer picks the guardian for that thread (answered back as auto_review, as the reference)", async () => {
  await setUp(`approval_policy = "on-request"\nsandbox_mode = "read-only"\n`);
  const isGuardian = (r: RecordedRequest) => r.headers["x-openai-subagent"] === "guardian";
  const marker = path.join(env.repo, "g.txt");
  server.enqueue(
    sse(created("r1"), functionCall("c1", "exec_command", { cmd: `touch ${marker}`, sandbox_permissions: "require_escalated", justification: "marker", login: false }), completed("r1")),
    sse(created("r2"), textMessage("done"), completed("r2")),
  );
  server.enqueueFor(isGuardian, sse(created("g"), textMessage(JSON.stringify({ outcome: "allow", rationale: "fine" })), completed("g")));
  const plain = await client.call("thread/start", {});
  expect(plain.approvalsReviewer).toBe("user");
  const started = await client.call("thread/start", { approvalsReviewer: "guardian_subagent" });
  expect(started.approvalsReviewer).toBe("auto_review");
  const from = client.seen.length;
  await client.call("turn/start", { threadId: started.thread.id, input: [text("make it")] });
  await client.notification("turn/completed", undefined, { from });
  const ended = client.seen.slice(from).filter((m) => m.method === "item/autoApprovalReview/completed");
  expect(ended.map((m) => m.params.review.status)).toEqual(["approved"]);
  expect(server.requests.filter(isGuardian)).toHaveLength(1);
});

test("the guardian reviews an MCP tool call instead of asking the client: the action names the server and tool", async () => {
  await setUp(`approvals_reviewer = "guardian_subagent"\napproval_policy = "on-request"\nsandbox_mode = "workspace-write"\n`);
  const log = path.join(env.home, "mcp.log");
  appendFileSync(path.join(env.codexHome, "config.toml"), `\n${faultServerToml("srv", { log })}\n`);
  await client.close();
  client = await e2e.appServer();
  const isGuardian = (r: RecordedRequest) => r.headers["x-openai-subagent"] === "guardian";
  server.enqueue(sse(created("r1"), functionCall("call_0", "mcp__srv__drop_table", { name: "users" }), completed("r1")), sse(created("r2"), textMessage("done"), completed("r2")));
  server.enqueueFor(isGuardian, sse(created("g"), textMessage(JSON.stringify({ risk_level: "high", outcome: "deny", rationale: "dropping users is destructive" })), completed("g")));
  const { from } = await startTurn("drop it");
  await client.notification("turn/completed", undefined, { from });
  const msgs = client.seen.slice(from);
  expect(msgs.some((m) => m.method === "mcpServer/elicitation/request")).toBe(false);
  const ended = msgs.filter((m) => m.method === "item/autoApprovalReview/completed").map((m) => m.params);
  expect(ended).toHaveLength(1);
  expect(ended[0]).toMatchObject({
    targetItemId: "call_0",
    action: { type: "mcpToolCall", server: "srv", toolName: "drop_table", connectorId: null, connectorName: null, toolTitle: null },
    review: { status: "denied", riskLevel: "high", rationale: "dropping users is destructive" },
  });
  expect(readMcpLog(log).filter((l) => l.kind === "call")).toEqual([]);
  expect(items(from, "mcpToolCall")).toMatchObject([{ id: "call_0", status: "failed" }]);
});

describe("sub-agents (collabAgentToolCall items)", () => {
  const collab = (id: string, name: string, args: unknown) => functionCall(id, name, args, { namespace: "collaboration" });
  const turnAgent = (r: RecordedRequest): string | undefined => JSON.parse(r.headers["x-codex-turn-metadata"] ?? "{}").agent_name;
  const isChild = (p: string) => (r: RecordedRequest) => r.headers["x-openai-subagent"] === "collab_spawn" && turnAgent(r) === p;
  const rootRequests = () => server.requests.filter((r) => r.headers["x-openai-subagent"] === undefined);

  test("spawn, message, a failed follow-up and wait: shown as subAgentActivity and collabAgentToolCall items, as the reference shows them", async () => {
    await setUp(`model_reasoning_effort = "medium"\n`, `[features]\nmulti_agent_v2 = true`);
    let open!: () => void;
    const childMayAnswer = new Promise<void>((r) => (open = r));
    server.enqueue(
      sse(created("r1"), collab("s1", "spawn_agent", { task_name: "worker", message: "compute 2+2", fork_turns: "none", reasoning_effort: "high" }), completed("r1")),
      sse(created("r2"), collab("m1", "send_message", { target: "worker", message: "a note" }), completed("r2")),
      sse(created("r3"), collab("f1", "followup_task", { target: "nobody", message: "x" }), completed("r3")),
      sse(created("r4"), collab("w1", "wait_agent", { timeout_ms: 60_000 }), completed("r4")),
      sse(created("r5"), textMessage("the worker says four"), completed("r5")),
    );
    server.enqueueFor(
      isChild("/root/worker"),
      { ...sse(created("c1"), textMessage("four"), completed("c1")), after: childMayAnswer },
      sse(created("c2"), textMessage("four again"), completed("c2")),
    );
    const { threadId, from } = await startTurn("add numbers with a helper");
    while (rootRequests().length < 4) await server.waitForRequests(server.requests.length + 1, { timeoutMs: 20_000 });
    open();
    const done = await client.notification("turn/completed", (p) => p.threadId === threadId, { from });
    expect(done.params.turn.status).toBe("completed");

    const mine = (phase: string) =>
      client.seen
        .slice(from)
        .filter((m) => m.method === phase && m.params.threadId === threadId && ["subAgentActivity", "collabAgentToolCall"].includes(m.params.item.type))
        // A child's completed turns show as items too (app-server-child-streams.test.ts); not what this test is about.
        .filter((m) => !m.params.item.id.startsWith("subagent-completed-"))
        .map((m) => m.params.item);
    const ended = mine("item/completed");
    expect(ended.map((i) => [i.type, i.id])).toEqual([
      ["subAgentActivity", "s1"],
      ["subAgentActivity", "m1"],
      ["collabAgentToolCall", "f1"],
      ["collabAgentToolCall", "w1"],
    ]);
    const [spawn, message, followup, wait] = ended;
    expect(spawn.agentThreadId).not.toBe(threadId);
    // As the reference 0.169: the spawn shows the model and effort the agent runs with (the spawner's model, the
    // effort asked for), as its requests carry them.
    expect(server.requests.filter(isChild("/root/worker")).map((r) => [r.body.model, r.body.reasoning?.effort])[0]).toEqual(["gpt-5.5", "high"]);
    expect(spawn).toEqual({
      type: "subAgentActivity",
      model: "gpt-5.5",
      reasoningEffort: "high",
      id: "s1",
      kind: "started",
      agentThreadId: expect.any(String),
      agentPath: "/root/worker",
      startedAtMs: expect.any(Number),
      completedAtMs: expect.any(Number),
    });
    expect(message).toMatchObject({ kind: "interacted", agentThreadId: spawn.agentThreadId, agentPath: "/root/worker" });
    // The child is a thread of its own: announced with its parent and its place in the tree.
    const child = client.seen.slice(from).find((m) => m.method === "thread/started" && m.params.thread.id === spawn.agentThreadId);
    expect(child?.params.thread).toMatchObject({
      parentThreadId: threadId,
      sessionId: threadId,
      source: { subAgent: { thread_spawn: { parent_thread_id: threadId, depth: 1, agent_path: "/root/worker" } } },
    });
    expect(followup).toMatchObject({ tool: "sendInput", status: "failed", senderThreadId: threadId, receiverThreadIds: [], prompt: "x", agentsStates: {} });
    expect(wait).toEqual({
      type: "collabAgentToolCall",
      id: "w1",
      tool: "wait",
      status: "completed",
      senderThreadId: threadId,
      receiverThreadIds: [],
      prompt: null,
      model: null,
      reasoningEffort: null,
      agentsStates: {},
      startedAtMs: expect.any(Number),
      completedAtMs: expect.any(Number),
    });
    // The wait is in progress while the agent works: its item starts when the call begins.
    const begun = mine("item/started");
    const waitStart = client.seen.findIndex((m) => m.method === "item/started" && m.params.item.id === "w1");
    const waitEnd = client.seen.findIndex((m) => m.method === "item/completed" && m.params.item.id === "w1");
    expect(begun.find((i) => i.id === "w1")).toMatchObject({ status: "inProgress" });
    expect(waitStart).toBeLessThan(waitEnd);
    expect(modelSaw("f1")).toMatch(/nobody/);
  });

  test("a spawn that names no model or effort runs the child with the turn's (turn/start overrides them), as the reference", async () => {
    await setUp(`model_reasoning_effort = "medium"\n`, `[features]\nmulti_agent_v2 = true`);
    server.enqueue(
      sse(created("r1"), collab("s1", "spawn_agent", { task_name: "helper", message: "say hi", fork_turns: "none" }), completed("r1")),
      sse(created("r2"), collab("w1", "wait_agent", { timeout_ms: 60_000 }), completed("r2")),
      sse(created("r3"), textMessage("done"), completed("r3")),
    );
    server.enqueueFor(isChild("/root/helper"), sse(created("c1"), textMessage("hi"), completed("c1")));
    const { thread } = await client.call("thread/start", {});
    const from = client.seen.length;
    await client.call("turn/start", { threadId: thread.id, input: [text("get help")], model: "gpt-5.4", effort: "low" });
    const done = await client.notification("turn/completed", (p) => p.threadId === thread.id, { from });
    expect(done.params.turn.status).toBe("completed");
    expect(rootRequests()[0]!.body.model).toBe("gpt-5.4");
    expect(server.requests.filter(isChild("/root/helper")).map((r) => [r.body.model, r.body.reasoning?.effort])).toEqual([["gpt-5.4", "low"]]);
    const spawn = client.seen.slice(from).find((m) => m.method === "item/completed" && m.params.item.id === "s1")!.params.item;
    expect(spawn).toMatchObject({ model: "gpt-5.4", reasoningEffort: "low" });
  });
});
