import { expect, test } from "vitest";
import type { EventMsg } from "../protocol/events.js";
import { mapEvent, newMapperState, subAgentCompleted, type Out } from "./event-mapper.js";

const run = (events: EventMsg[], keepTurns = false) => {
  const s = newMapperState({ threadId: "th", keepTurns });
  const out: Out[] = [];
  events.forEach((e, i) => out.push(...mapEvent(s, e, 1_000_000 + i)));
  return { s, out, methods: out.map((o) => (o.kind === "notify" ? o.def.method : o.kind)) };
};

test("a command with an approval, a failed turn with typed codexErrorInfo, and no items outside a turn", () => {
  const { out, methods } = run([
    { type: "warning", message: "before" },
    { type: "agent_message_delta", delta: "ignored: no turn" },
    { type: "task_started", turnId: "t1" },
    { type: "exec_approval_request", callId: "c1", command: ["rm", "-rf", "x"], cwd: "/w", proposedPrefix: ["rm"] },
    { type: "exec_command_end", callId: "c1", command: "rm -rf x", exitCode: null, aggregatedOutput: "", status: "declined", durationMs: 3.4 },
    { type: "turn_failed", turnId: "t1", error: { kind: "server_error", message: "boom", httpStatus: 503 } },
  ]);
  expect(methods).toEqual([
    "warning",
    "thread/status/changed",
    "turn/started",
    "item/started",
    "approveCommand",
    "item/completed",
    "error",
    "thread/status/changed",
    "turn/completed",
  ]);
  expect(out[4]).toEqual({ kind: "approveCommand", callId: "c1", turnId: "t1", command: "rm -rf x", cwd: "/w", reason: null, proposedPrefix: ["rm"] });
  const completed = out[5] as Extract<Out, { kind: "notify" }>;
  expect((completed.params as { item: unknown }).item).toMatchObject({ type: "commandExecution", id: "c1", status: "declined", durationMs: 3, cwd: "/w" });
  const error = out[6] as Extract<Out, { kind: "notify" }>;
  expect(error.params).toEqual({
    error: { message: "boom", codexErrorInfo: { responseTooManyFailedAttempts: { httpStatusCode: 503 } }, additionalDetails: null },
    willRetry: false,
    threadId: "th",
    turnId: "t1",
  });
  const end = out[8] as Extract<Out, { kind: "notify" }>;
  expect(end.params).toMatchObject({ turn: { id: "t1", status: "failed", error: { codexErrorInfo: { responseTooManyFailedAttempts: { httpStatusCode: 503 } } } } });
});

test("replaying journaled events keeps full turns; a rollback drops the last user turns", () => {
  const { s } = run(
    [
      { type: "task_started", turnId: "t1" },
      { type: "user_message", message: "one", images: [] },
      { type: "agent_message", message: "a1" },
      { type: "plan_update", plan: [{ step: "s", status: "in_progress" }] },
      { type: "task_complete", turnId: "t1", lastAgentMessage: "a1" },
      { type: "task_started", turnId: "t2" },
      { type: "user_message", message: "two", images: [] },
      { type: "turn_aborted", turnId: "t2", reason: "interrupted" },
      { type: "task_started", turnId: "t3" },
      { type: "user_message", message: "three", images: [] },
      { type: "task_complete", turnId: "t3", lastAgentMessage: null },
      { type: "thread_rolled_back", numTurns: 2 },
    ],
    true,
  );
  expect(s.turns.map((t) => [t.id, t.status, t.itemsView, t.items.map((i) => i.type)])).toEqual([["t1", "completed", "full", ["userMessage", "agentMessage"]]]);
});

test("a sub-agent's turn names its root's turn; its completion shows in the parent's running turn only", () => {
  const child = { ...newMapperState({ threadId: "child", keepTurns: false }), rootTurnId: () => "root-turn" };
  const started = mapEvent(child, { type: "task_started", turnId: "ct" }, 5_000);
  const turn = started.find((o) => o.kind === "notify" && o.def.method === "turn/started");
  expect(turn?.kind === "notify" && turn.params).toMatchObject({ threadId: "child", turn: { id: "ct", rootTurnId: "root-turn" } });

  const parent = newMapperState({ threadId: "parent", keepTurns: false });
  expect(subAgentCompleted(parent, { agentThreadId: "child", agentPath: "/root/w", turnId: "ct" }, 6_000)).toEqual([]);
  mapEvent(parent, { type: "task_started", turnId: "pt" }, 6_000);
  const shown = subAgentCompleted(parent, { agentThreadId: "child", agentPath: "/root/w", turnId: "ct" }, 7_000);
  expect(shown.map((o) => (o.kind === "notify" ? o.def.method : o.kind))).toEqual(["item/started", "item/completed"]);
  expect(shown[1]!.kind === "notify" && shown[1]!.params).toEqual({
    item: {
      type: "subAgentActivity",
      model: null,
      reasoningEffort: null,
      id: "subagent-completed-ct",
      kind: "completed",
      agentThreadId: "child",
      agentPath: "/root/w",
      startedAtMs: 7_000,
      completedAtMs: 7_000,
    },
    threadId: "parent",
    turnId: "pt",
    contentTokenCount: null,
    completedAtMs: 7_000,
  });
  expect(parent.turn?.items.map((i) => i.id)).toEqual(["subagent-completed-ct"]);
});

test("an interrupt leaves a command still waiting for approval open (it is asked again on resume); a running one ends failed", () => {
  const { out, methods } = run([
    { type: "task_started", turnId: "t1" },
    { type: "exec_approval_request", callId: "asked", command: ["touch", "a"], cwd: "/w" },
    { type: "exec_approval_request", callId: "ran", command: ["sleep", "9"], cwd: "/w" },
    { type: "exec_command_begin", callId: "ran", command: "sleep 9", cwd: "/w" },
    { type: "turn_aborted", turnId: "t1", reason: "interrupted" },
  ] as EventMsg[]);
  const completedIds = out
    .filter((o): o is Extract<Out, { kind: "notify" }> => o.kind === "notify" && o.def.method === "item/completed")
    .map((o) => (o.params as { item: { id: string; status: string } }).item);
  expect(completedIds).toEqual([expect.objectContaining({ id: "ran", status: "failed" })]);
  expect(methods.at(-1)).toBe("turn/completed");
});
