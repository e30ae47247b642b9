import { expect, test } from "vitest";
import { agentActivity, collabItem, reviewActionWire, reviewWire, showsAtBegin } from "./wire-agents.js";

const end = (o: Record<string, unknown>) =>
  ({
    type: "collab_tool_call_end",
    callId: "c",
    tool: "send_input",
    senderThreadId: "root",
    receiverThreadIds: ["kid"],
    prompt: "p",
    agentsStates: {},
    status: "completed",
    receiverAgents: [{ threadId: "kid", path: "/root/kid" }],
    ...o,
  }) as Parameters<typeof collabItem>[0];

test("reviewed actions: command quoted, patch files, MCP tool; verdicts incl. failed (denied) and aborted", () => {
  expect(reviewActionWire({ type: "command", command: ["/bin/bash", "-lc", "touch a b"], cwd: "/r" })).toEqual({
    type: "command",
    source: "unifiedExec",
    command: "/bin/bash -lc 'touch a b'",
    cwd: "/r",
  });
  expect(reviewActionWire({ type: "fileChange", files: ["/r/a"], cwd: "/r" })).toEqual({ type: "applyPatch", cwd: "/r", files: ["/r/a"] });
  expect(reviewActionWire({ type: "mcpToolCall", server: "s", tool: "t", arguments: {} })).toEqual({
    type: "mcpToolCall",
    server: "s",
    toolName: "t",
    connectorId: null,
    connectorName: null,
    toolTitle: null,
  });
  const done = { type: "guardian_review_completed" as const, callId: "c", action: {} };
  expect(reviewWire(null)).toEqual({ status: "inProgress", riskLevel: null, userAuthorization: null, rationale: null });
  expect(reviewWire({ ...done, status: "failed", rationale: "not JSON" })).toEqual({
    status: "denied",
    riskLevel: null,
    userAuthorization: null,
    rationale: "Automatic approval review failed: not JSON",
  });
  expect(reviewWire({ ...done, status: "aborted" }).status).toBe("aborted");
  expect(reviewWire({ ...done, status: "denied", riskLevel: "high", userAuthorization: "low", rationale: "no" })).toEqual({
    status: "denied",
    riskLevel: "high",
    userAuthorization: "low",
    rationale: "no",
  });
});

test("collab calls: activity for calls that reached an agent, collab items for waits and failures; agent states mapped", () => {
  expect(agentActivity(end({ tool: "spawn_agent" }))).toMatchObject({ kind: "started", agentThreadId: "kid", agentPath: "/root/kid", model: null, reasoningEffort: null });
  expect(agentActivity(end({ tool: "send_input" }))?.kind).toBe("interacted");
  expect(agentActivity(end({ tool: "close_agent" }))?.kind).toBe("interrupted");
  expect(agentActivity(end({ tool: "spawn_agent", status: "failed" }))).toBeNull();
  expect(agentActivity(end({ tool: "send_input", receiverThreadIds: [] }))).toBeNull();
  expect(agentActivity(end({ tool: "wait" }))).toBeNull();
  expect(showsAtBegin(end({ tool: "wait" }))).toBe(true);
  expect(showsAtBegin(end({ tool: "spawn_agent" }))).toBe(false);
  const item = collabItem(
    end({
      tool: "close_agent",
      status: "failed",
      agentsStates: { kid: { status: "errored", message: "boom" }, b: { status: "pending_init" }, c: { status: "mystery" } },
    }),
  );
  expect(item).toMatchObject({ tool: "closeAgent", status: "failed", receiverThreadIds: ["kid"], model: null, reasoningEffort: null });
  expect(item.agentsStates).toEqual({
    kid: { status: "errored", message: "boom" },
    b: { status: "pendingInit", message: null },
    c: { status: "notFound", message: null },
  });
});

test("a spawn's activity shows the model and effort the agent runs with (as the reference 0.169); other activities none", () => {
  const spawnedWith = { model: "gpt-5.5", reasoningEffort: "high" };
  expect(agentActivity(end({ tool: "spawn_agent", spawnedWith }))).toEqual({
    type: "subAgentActivity",
    model: "gpt-5.5",
    reasoningEffort: "high",
    id: "c",
    kind: "started",
    agentThreadId: "kid",
    agentPath: "/root/kid",
  });
  // A model without reasoning: no effort. An effort the wire cannot name is not passed on.
  expect(agentActivity(end({ tool: "spawn_agent", spawnedWith: { model: "m", reasoningEffort: null } }))).toMatchObject({ model: "m", reasoningEffort: null });
  expect(agentActivity(end({ tool: "spawn_agent", spawnedWith: { model: "m", reasoningEffort: "ultra" } }))).toMatchObject({ model: "m", reasoningEffort: null });
  expect(agentActivity(end({ tool: "send_input", spawnedWith }))).toMatchObject({ kind: "interacted", model: null, reasoningEffort: null });
});
