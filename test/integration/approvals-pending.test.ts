// A pending approval outlives its turn: when the turn ends while a person is still being asked (an interrupt,
// a shutdown), the journal keeps the call with no output and the request; the thread — the same one at its
// next turn, or a resumed one — asks again under the same call id. Approved, the call runs and the model
// reads its real output; declined, the model is told. Every request the fake server saw pairs every call.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import type { Thread } from "../../src/core/index.js";
import type { EventMsg } from "../../src/protocol/events.js";
import type { Op } from "../../src/protocol/ops.js";
import { startCoreThread, untilTurnEnds, useCoreHome, type CoreHome } from "../support/core-thread.js";
import { sse, type FakeServer } from "../support/fake-responses-server.js";
import { completed, created, customToolCall, functionCall, textMessage } from "../support/sse.js";

let home: CoreHome;
let server: FakeServer;
let repo: string;
useCoreHome("approvals-pending-", (h) => ((home = h), (server = h.server), (repo = h.repo)));

const open = (o: { sandboxMode: string; resume?: string; interactive?: boolean }): Promise<Thread> =>
  startCoreThread(home, {
    sandboxMode: o.sandboxMode,
    approvalPolicy: "untrusted",
    interactiveApprovals: o.interactive ?? true,
    ...(o.resume ? { resume: o.resume } : {}),
  });

const runTurnWith = (thread: Thread, person: (msg: EventMsg) => Op[]): Promise<EventMsg[]> =>
  untilTurnEnds(thread.events()[Symbol.asyncIterator](), { thread, answer: person });

const interruptOnAsk = (m: EventMsg): Op[] =>
  m.type === "exec_approval_request" || m.type === "apply_patch_approval_request" ? [{ type: "interrupt" }] : [];

function rolloutLines(thread: Thread): Array<{ type: string; payload: any }> {
  return readFileSync(thread.rolloutPath!, "utf8").trim().split("\n").map((l) => JSON.parse(l));
}

/** Every request's input answers every call (the fake server refuses otherwise; this says it for the reader). */
function expectEveryRequestPaired(): void {
  for (const req of server.requests) {
    for (const item of req.input.filter((i: any) => i.type === "function_call" || i.type === "custom_tool_call")) {
      expect(req.functionCallOutput(item.call_id), `output for ${item.call_id}`).toBeDefined();
    }
  }
}

function scriptCommand(file: string): void {
  server.enqueue(
    sse(created("r1"), functionCall("call_1", "exec_command", { cmd: `touch ${file}`, login: false }), completed("r1")),
    sse(created("r2"), textMessage("done"), completed("r2")),
  );
}

/** A turn interrupted while call_1 waits for approval; returns the closed thread's id. */
async function interruptedWhilePending(file: string): Promise<string> {
  scriptCommand(file);
  const thread = await open({ sandboxMode: "danger-full-access" });
  await thread.submit({ type: "user_turn", items: [{ type: "text", text: "touch it" }] });
  const seen = await runTurnWith(thread, interruptOnAsk);
  expect(seen.at(-1)).toMatchObject({ type: "turn_aborted", reason: "interrupted" });
  expect(thread.pendingApprovals()).toEqual(["call_1"]);
  expect(thread.history().some((i) => i.type === "function_call_output")).toBe(false);
  await thread.close();
  const lines = rolloutLines(thread);
  // The journal holds the call, the request and the aborted turn, and no output for the call.
  expect(lines.some((l) => l.type === "response_item" && l.payload.type === "function_call" && l.payload.call_id === "call_1")).toBe(true);
  expect(lines.some((l) => l.type === "event_msg" && l.payload.type === "exec_approval_request" && l.payload.call_id === "call_1")).toBe(true);
  expect(lines.some((l) => l.type === "event_msg" && l.payload.type === "turn_aborted")).toBe(true);
  expect(lines.some((l) => l.type === "response_item" && l.payload.type === "function_call_output")).toBe(false);
  expect(existsSync(file)).toBe(false);
  return thread.id;
}

describe("a command approval pending when the turn ended", () => {
  test("resume asks again (same call id); approve: the command runs, the model reads its output and goes on", async () => {
    const file = path.join(repo, "approved.txt");
    const id = await interruptedWhilePending(file);
    const resumed = await open({ sandboxMode: "danger-full-access", resume: id });
    expect(resumed.pendingApprovals()).toEqual(["call_1"]);
    await resumed.submit({ type: "resume_pending" });
    const seen = await runTurnWith(resumed, (m) => (m.type === "exec_approval_request" ? [{ type: "exec_approval", callId: m.callId, decision: "approved" }] : []));
    const types = seen.map((m) => m.type);
    expect(types.indexOf("task_started")).toBeGreaterThanOrEqual(0);
    expect(types.indexOf("task_started")).toBeLessThan(types.indexOf("exec_approval_request"));
    expect(seen.find((m) => m.type === "exec_approval_request")).toMatchObject({ callId: "call_1" });
    expect(seen.at(-1)).toMatchObject({ type: "task_complete", lastAgentMessage: "done" });
    expect(existsSync(file)).toBe(true);
    expect(server.requests).toHaveLength(2);
    const sent = JSON.stringify(server.requests[1]!.functionCallOutput("call_1"));
    expect(sent).not.toContain("aborted");
    expect(sent).toContain("Process exited with code 0");
    expect(resumed.pendingApprovals()).toEqual([]);
    expectEveryRequestPaired();
    await resumed.close();
    // The answer is journaled before the command runs (a crash while it ran would not ask again).
    const lines = rolloutLines(resumed);
    const answered = lines.findIndex((l) => l.type === "event_msg" && l.payload.type === "approval_answered" && l.payload.call_id === "call_1");
    const output = lines.findIndex((l) => l.type === "response_item" && l.payload.type === "function_call_output" && l.payload.call_id === "call_1");
    expect(answered).toBeGreaterThan(0);
    expect(answered).toBeLessThan(output);
    // Resumed once more, nothing is pending: the output is journaled.
    const again = await open({ sandboxMode: "danger-full-access", resume: id });
    expect(again.pendingApprovals()).toEqual([]);
    await again.close();
  });

  test("resume, decline: the command does not run and the model is told", async () => {
    const file = path.join(repo, "declined.txt");
    const id = await interruptedWhilePending(file);
    const resumed = await open({ sandboxMode: "danger-full-access", resume: id });
    await resumed.submit({ type: "resume_pending" });
    const seen = await runTurnWith(resumed, (m) => (m.type === "exec_approval_request" ? [{ type: "exec_approval", callId: m.callId, decision: "denied" }] : []));
    expect(seen.at(-1)).toMatchObject({ type: "task_complete", lastAgentMessage: "done" });
    expect(existsSync(file)).toBe(false);
    expect(JSON.stringify(server.requests[1]!.functionCallOutput("call_1"))).toContain("rejected by user");
    expectEveryRequestPaired();
    await resumed.close();
  });

  test("the same thread asks again at its next turn, before the new message; the history stays in order", async () => {
    const file = path.join(repo, "next-turn.txt");
    scriptCommand(file);
    const thread = await open({ sandboxMode: "danger-full-access" });
    await thread.submit({ type: "user_turn", items: [{ type: "text", text: "touch it" }] });
    await runTurnWith(thread, interruptOnAsk);
    expect(thread.pendingApprovals()).toEqual(["call_1"]);
    await thread.submit({ type: "user_turn", items: [{ type: "text", text: "go on" }] });
    const seen = await runTurnWith(thread, (m) => (m.type === "exec_approval_request" ? [{ type: "exec_approval", callId: m.callId, decision: "approved" }] : []));
    const types = seen.map((m) => m.type);
    expect(types.indexOf("exec_approval_request")).toBeLessThan(types.indexOf("user_message"));
    expect(seen.at(-1)).toMatchObject({ type: "task_complete", lastAgentMessage: "done" });
    expect(existsSync(file)).toBe(true);
    const input = server.requests[1]!.input;
    const at = (pred: (i: any) => boolean) => input.findIndex(pred);
    const call = at((i) => i.type === "function_call" && i.call_id === "call_1");
    const out = at((i) => i.type === "function_call_output" && i.call_id === "call_1");
    const goOn = at((i) => i.type === "message" && JSON.stringify(i.content).includes("go on"));
    expect(call).toBeLessThan(out);
    expect(out).toBeLessThan(goOn);
    expectEveryRequestPaired();
    await thread.close();
  });

  test("interrupted again while asked again: still pending, nothing sent to the model", async () => {
    const id = await interruptedWhilePending(path.join(repo, "twice.txt"));
    const resumed = await open({ sandboxMode: "danger-full-access", resume: id });
    await resumed.submit({ type: "resume_pending" });
    const seen = await runTurnWith(resumed, interruptOnAsk);
    expect(seen.at(-1)).toMatchObject({ type: "turn_aborted" });
    expect(resumed.pendingApprovals()).toEqual(["call_1"]);
    expect(server.requests).toHaveLength(1);
    await resumed.close();
    const third = await open({ sandboxMode: "danger-full-access", resume: id });
    expect(third.pendingApprovals()).toEqual(["call_1"]);
    await third.close();
  });

  test("a person's cancel is an answer: the call is answered aborted and nothing stays pending", async () => {
    scriptCommand(path.join(repo, "cancelled.txt"));
    const thread = await open({ sandboxMode: "danger-full-access" });
    await thread.submit({ type: "user_turn", items: [{ type: "text", text: "touch it" }] });
    const seen = await runTurnWith(thread, (m) => (m.type === "exec_approval_request" ? [{ type: "exec_approval", callId: m.callId, decision: "abort" }] : []));
    expect(seen.at(-1)).toMatchObject({ type: "turn_aborted" });
    expect(thread.pendingApprovals()).toEqual([]);
    expect(thread.history().find((i) => i.type === "function_call_output")).toMatchObject({ call_id: "call_1", output: expect.stringContaining("aborted") });
    await thread.close();
  });

  test("resumed without a person (exec resume): the next turn's call is refused by policy and the model told", async () => {
    const file = path.join(repo, "headless.txt");
    const id = await interruptedWhilePending(file);
    const resumed = await open({ sandboxMode: "danger-full-access", resume: id, interactive: false });
    server.enqueue(sse(created("r3"), textMessage("ok"), completed("r3")));
    await resumed.submit({ type: "user_turn", items: [{ type: "text", text: "and now?" }] });
    const seen = await runTurnWith(resumed, () => []);
    expect(seen.some((m) => m.type === "exec_approval_request")).toBe(false);
    expect(seen.at(-1)).toMatchObject({ type: "task_complete" });
    expect(existsSync(file)).toBe(false);
    expect(JSON.stringify(server.requests[1]!.functionCallOutput("call_1"))).toContain("no one is available to approve");
    expectEveryRequestPaired();
    await resumed.close();
  });
});

describe("what rewrites the history forgets a pending call", () => {
  test("rollback of its turn: nothing is pending, the next turn asks nothing", async () => {
    scriptCommand(path.join(repo, "rolled.txt"));
    const thread = await open({ sandboxMode: "danger-full-access" });
    await thread.submit({ type: "user_turn", items: [{ type: "text", text: "touch it" }] });
    await runTurnWith(thread, interruptOnAsk);
    await thread.submit({ type: "rollback", numTurns: 1 });
    await thread.submit({ type: "user_turn", items: [{ type: "text", text: "something else" }] });
    const seen = await runTurnWith(thread, () => []);
    expect(thread.pendingApprovals()).toEqual([]);
    expect(seen.some((m) => m.type === "exec_approval_request")).toBe(false);
    expect(seen.at(-1)).toMatchObject({ type: "task_complete", lastAgentMessage: "done" });
    expect(JSON.stringify(server.requests[1]!.input)).not.toContain("call_1");
    await thread.close();
    const resumed = await open({ sandboxMode: "danger-full-access", resume: thread.id });
    expect(resumed.pendingApprovals()).toEqual([]);
    await resumed.close();
  });

  test("manual compaction: the pending call is answered 'aborted' first, so the summary request pairs it", async () => {
    scriptCommand(path.join(repo, "compacted.txt"));
    const thread = await open({ sandboxMode: "danger-full-access" });
    await thread.submit({ type: "user_turn", items: [{ type: "text", text: "touch it" }] });
    await runTurnWith(thread, interruptOnAsk);
    // The queued "done" answers the summary request.
    await thread.submit({ type: "compact" });
    const seen = await runTurnWith(thread, () => []);
    expect(seen.at(-1)).toMatchObject({ type: "task_complete" });
    expect(thread.pendingApprovals()).toEqual([]);
    expect(server.requests[1]!.functionCallOutput("call_1")).toMatchObject({ output: "aborted" });
    await thread.close();
  });
});

describe("a patch approval pending when the thread shut down", () => {
  test("resume asks again with the changes; approve writes the file and the model goes on", async () => {
    const file = path.join(repo, "hello.txt");
    server.enqueue(
      sse(created("r1"), customToolCall("call_p", "apply_patch", `*** Begin Patch\n*** Add File: ${file}\n+hello\n*** End Patch\n`), completed("r1")),
      sse(created("r2"), textMessage("patched"), completed("r2")),
    );
    const thread = await open({ sandboxMode: "read-only" });
    await thread.submit({ type: "user_turn", items: [{ type: "text", text: "add it" }] });
    const first = await runTurnWith(thread, (m) => (m.type === "apply_patch_approval_request" ? [{ type: "shutdown" }] : []));
    expect(first.at(-1)).toMatchObject({ type: "turn_aborted" });
    await thread.close();
    expect(existsSync(file)).toBe(false);
    const resumed = await open({ sandboxMode: "read-only", resume: thread.id });
    expect(resumed.pendingApprovals()).toEqual(["call_p"]);
    await resumed.submit({ type: "resume_pending" });
    const seen = await runTurnWith(resumed, (m) => (m.type === "apply_patch_approval_request" ? [{ type: "patch_approval", callId: m.callId, decision: "approved" }] : []));
    const asked = seen.find((m) => m.type === "apply_patch_approval_request") as Extract<EventMsg, { type: "apply_patch_approval_request" }>;
    expect(asked.callId).toBe("call_p");
    expect(asked.changes.map((c) => c.path)).toEqual([file]);
    expect(seen.at(-1)).toMatchObject({ type: "task_complete", lastAgentMessage: "patched" });
    expect(readFileSync(file, "utf8")).toBe("hello\n");
    expectEveryRequestPaired();
    await resumed.close();
  });

  test("resume_pending with nothing pending starts no turn", async () => {
    server.enqueue(sse(created("r1"), textMessage("hi"), completed("r1")));
    const thread = await open({ sandboxMode: "read-only" });
    await thread.submit({ type: "resume_pending" });
    await thread.submit({ type: "user_turn", items: [{ type: "text", text: "hello" }] });
    const seen = await runTurnWith(thread, () => []);
    expect(seen.filter((m) => m.type === "task_started")).toHaveLength(1);
    expect(seen.at(-1)).toMatchObject({ type: "task_complete", lastAgentMessage: "hi" });
    await thread.close();
  });
});
