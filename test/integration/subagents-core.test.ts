// Sub-agents through the core: interrupts reach the children while the root stays open, and the tree shares one
// person (asks relayed through the root) and one exec policy (a rule remembered anywhere holds everywhere).
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "vitest";
import { fakeProviderConfig } from "../support/codex-env.js";
import { startCoreThread, untilTurnEnds, useCoreHome, type CoreHome } from "../support/core-thread.js";
import { sse, type RecordedRequest } from "../support/fake-responses-server.js";
import { completed, created, functionCall, textMessage } from "../support/sse.js";

let h: CoreHome;
useCoreHome("codex-subagents-", (home) => (h = home));

const isChild = (r: RecordedRequest) => r.headers["x-openai-subagent"] === "collab_spawn";

function childJournal(): Array<{ type: string; payload: { type?: string } }> {
  const files: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".jsonl")) files.push(p);
    }
  };
  walk(path.join(h.codexHome, "sessions"));
  const file = files.find((f) => readFileSync(f, "utf8").includes('"thread_source":"subagent"'))!;
  return readFileSync(file, "utf8").trim().split("\n").map((l) => JSON.parse(l));
}

test("an interrupt of the root aborts the child's turn; the root stays usable", async () => {
  writeFileSync(path.join(h.codexHome, "config.toml"), fakeProviderConfig(h.server.url, "[features]\nmulti_agent_v2 = true\n"));
  h.server.enqueue(
    sse(created("r1"), functionCall("s1", "spawn_agent", { task_name: "slow", message: "x", fork_turns: "none" }, { namespace: "collaboration" }), completed("r1")),
    sse(created("r2"), functionCall("w1", "wait_agent", { timeout_ms: 600_000 }, { namespace: "collaboration" }), completed("r2")),
  );
  h.server.enqueueFor(isChild, { events: [created("c1")], then: "stall" });
  const thread = await startCoreThread(h, { sandboxMode: "read-only", approvalPolicy: "never", interactiveApprovals: false });
  const it = thread.events()[Symbol.asyncIterator]();
  await thread.submit({ type: "user_turn", items: [{ type: "text", text: "go" }] });
  // Both the child's request and the root's wait are under way.
  while (!(h.server.requests.some(isChild) && h.server.requests.filter((r) => !isChild(r)).length >= 2)) {
    await h.server.waitForRequests(h.server.requests.length + 1);
  }
  const seen = untilTurnEnds(it, {
    thread,
    answer: (m) => (m.type === "collab_tool_call_begin" && m.tool === "wait" ? [{ type: "interrupt" }] : []),
  });
  const msgs = await seen;
  expect(msgs.at(-1)!.type).toBe("turn_aborted");
  // The child's turn ends aborted while the root thread is still open.
  const deadline = Date.now() + 10_000;
  while (!childJournal().some((l) => l.type === "event_msg" && l.payload.type === "turn_aborted")) {
    if (Date.now() > deadline) throw new Error("the child's turn was not aborted");
    await new Promise((r) => setTimeout(r, 25));
  }
  await thread.close();
});

test("a child's approval is asked through the root thread's person and answered there", async () => {
  writeFileSync(path.join(h.codexHome, "config.toml"), fakeProviderConfig(h.server.url, "[features]\nmulti_agent_v2 = true\n"));
  const marker = path.join(h.repo, "from-child.txt");
  h.server.enqueue(
    sse(created("r1"), functionCall("s1", "spawn_agent", { task_name: "maker", message: "x", fork_turns: "none" }, { namespace: "collaboration" }), completed("r1")),
    sse(created("r2"), functionCall("w1", "wait_agent", { timeout_ms: 60_000 }, { namespace: "collaboration" }), completed("r2")),
    sse(created("r3"), textMessage("done"), completed("r3")),
  );
  h.server.enqueueFor(
    isChild,
    sse(created("c1"), functionCall("k1", "exec_command", { cmd: `touch ${marker}`, login: false }), completed("c1")),
    sse(created("c2"), textMessage("made it"), completed("c2")),
  );
  const thread = await startCoreThread(h, { sandboxMode: "danger-full-access", approvalPolicy: "untrusted", interactiveApprovals: true });
  const it = thread.events()[Symbol.asyncIterator]();
  await thread.submit({ type: "user_turn", items: [{ type: "text", text: "go" }] });
  const asked: string[] = [];
  const msgs = await untilTurnEnds(it, {
    thread,
    answer: (m) => (m.type === "exec_approval_request" ? (asked.push(m.callId), [{ type: "exec_approval", callId: m.callId, decision: "approved" }]) : []),
  });
  expect(msgs.at(-1)!.type).toBe("task_complete");
  expect(asked).toEqual(["k1"]);
  expect(existsSync(marker)).toBe(true);
  const childOut = h.server.requests.filter(isChild)[1]!.functionCallOutput("k1");
  expect(childOut).toBeDefined();
  await thread.close();
});

test("a rule a child's person remembers holds for the whole tree: the root runs the same command without asking", async () => {
  writeFileSync(path.join(h.codexHome, "config.toml"), fakeProviderConfig(h.server.url, "[features]\nmulti_agent_v2 = true\n"));
  const marker = path.join(h.repo, "shared.txt");
  h.server.enqueue(
    sse(created("r1"), functionCall("s1", "spawn_agent", { task_name: "maker", message: "x", fork_turns: "none" }, { namespace: "collaboration" }), completed("r1")),
    sse(created("r2"), functionCall("w1", "wait_agent", { timeout_ms: 60_000 }, { namespace: "collaboration" }), completed("r2")),
    sse(created("r3"), functionCall("k2", "exec_command", { cmd: `touch ${marker}`, login: false }), completed("r3")),
    sse(created("r4"), textMessage("done"), completed("r4")),
  );
  h.server.enqueueFor(
    isChild,
    sse(created("c1"), functionCall("k1", "exec_command", { cmd: `touch ${marker}`, login: false }), completed("c1")),
    sse(created("c2"), textMessage("made it"), completed("c2")),
  );
  const thread = await startCoreThread(h, { sandboxMode: "danger-full-access", approvalPolicy: "untrusted", interactiveApprovals: true });
  const it = thread.events()[Symbol.asyncIterator]();
  await thread.submit({ type: "user_turn", items: [{ type: "text", text: "go" }] });
  const asked: string[] = [];
  const msgs = await untilTurnEnds(it, {
    thread,
    answer: (m) =>
      m.type === "exec_approval_request" ? (asked.push(m.callId), [{ type: "exec_approval", callId: m.callId, decision: "approved_execpolicy_amendment" }]) : [],
  });
  expect(msgs.at(-1)!.type).toBe("task_complete");
  expect(asked).toEqual(["k1"]);
  expect(readFileSync(path.join(h.codexHome, "rules", "default.rules"), "utf8")).toContain("touch");
  await thread.close();
});

test("a child spawned without model or effort runs with its spawner's current ones (a per-turn override too); named ones win", async () => {
  writeFileSync(path.join(h.codexHome, "config.toml"), fakeProviderConfig(h.server.url, 'model_reasoning_effort = "medium"\n[features]\nmulti_agent_v2 = true\n'));
  const spawnArgs = (task: string, extra: Record<string, string> = {}) => ({ task_name: task, message: "x", fork_turns: "none", ...extra });
  h.server.enqueue(
    sse(
      created("r1"),
      functionCall("s1", "spawn_agent", spawnArgs("plain"), { namespace: "collaboration" }),
      functionCall("s2", "spawn_agent", spawnArgs("named", { model: "gpt-5.5", reasoning_effort: "high" }), { namespace: "collaboration" }),
      functionCall("s3", "spawn_agent", spawnArgs("effort_only", { reasoning_effort: "high" }), { namespace: "collaboration" }),
      completed("r1"),
    ),
    sse(created("r2"), textMessage("spawned"), completed("r2")),
  );
  const agentOf = (r: RecordedRequest): string | undefined => JSON.parse(r.headers["x-codex-turn-metadata"] ?? "{}").agent_name;
  h.server.enqueueFor(isChild, sse(created("c1"), textMessage("ok"), completed("c1")), sse(created("c2"), textMessage("ok"), completed("c2")), sse(created("c3"), textMessage("ok"), completed("c3")));
  const thread = await startCoreThread(h, { sandboxMode: "read-only", approvalPolicy: "never", interactiveApprovals: false });
  const it = thread.events()[Symbol.asyncIterator]();
  // The person switched this thread to another model and effort (TUI /model, app-server turn/start overrides).
  await thread.submit({ type: "override_turn_context", model: "gpt-5.4", effort: "low" });
  await thread.submit({ type: "user_turn", items: [{ type: "text", text: "go" }] });
  const msgs = await untilTurnEnds(it);
  expect(msgs.at(-1)!.type).toBe("task_complete");
  while (h.server.requests.filter(isChild).length < 3) await h.server.waitForRequests(h.server.requests.length + 1, { timeoutMs: 15_000 });
  const childRequest = (p: string) => h.server.requests.find((r) => isChild(r) && agentOf(r) === p)!;
  const sent = (p: string) => [childRequest(p).body.model, childRequest(p).body.reasoning?.effort];
  expect(h.server.requests.find((r) => !isChild(r))!.body.model).toBe("gpt-5.4");
  expect(sent("/root/plain")).toEqual(["gpt-5.4", "low"]);
  expect(sent("/root/named")).toEqual(["gpt-5.5", "high"]);
  expect(sent("/root/effort_only")).toEqual(["gpt-5.4", "high"]);
  // What the spawn shows is what the child runs with.
  const shown = msgs.flatMap((m) => (m.type === "collab_tool_call_end" ? [[m.callId, m.spawnedWith]] : []));
  expect(shown).toEqual([
    ["s1", { model: "gpt-5.4", reasoningEffort: "low" }],
    ["s2", { model: "gpt-5.5", reasoningEffort: "high" }],
    ["s3", { model: "gpt-5.4", reasoningEffort: "high" }],
  ]);
  await thread.close();
});
