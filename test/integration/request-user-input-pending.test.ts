// A request_user_input question outlives its turn as an unanswered approval does: when the turn ends while
// the person is being asked (an interrupt, a shutdown), the journal keeps the call with no output and the
// question; the resumed thread asks again under the same call id, and the answer reaches the model as the
// call's output before it goes on. A person's answer is journaled (user_input_answered) before the output;
// with nobody to ask (exec resume) the call gets empty answers as any question does there.
import { appendFileSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import type { Thread } from "../../src/core/index.js";
import type { EventMsg } from "../../src/protocol/events.js";
import type { Op } from "../../src/protocol/ops.js";
import { startCoreThread, untilTurnEnds, useCoreHome, type CoreHome } from "../support/core-thread.js";
import { sse, type FakeServer } from "../support/fake-responses-server.js";
import { completed, created, functionCall, textMessage } from "../support/sse.js";

let home: CoreHome;
let server: FakeServer;
useCoreHome("rui-pending-", (h) => ((home = h), (server = h.server)));

const QUESTIONS = {
  questions: [{ id: "color", header: "Color", question: "Which color?", options: [{ label: "Red", description: "warm" }, { label: "Blue", description: "cool" }] }],
};
const ANSWER = { answers: { color: { answers: ["Blue", "user_note: navy"] } } };

const open = (o: { interactive?: boolean; resume?: string } = {}): Promise<Thread> =>
  startCoreThread(home, {
    sandboxMode: "read-only",
    approvalPolicy: "on-request",
    interactiveApprovals: o.interactive ?? true,
    ...(o.resume ? { resume: o.resume } : {}),
  });

const runTurnWith = (thread: Thread, person: (msg: EventMsg) => Op[]): Promise<EventMsg[]> =>
  untilTurnEnds(thread.events()[Symbol.asyncIterator](), { thread, answer: person });

const interruptOnAsk = (m: EventMsg): Op[] => (m.type === "request_user_input" ? [{ type: "interrupt" }] : []);
const answerOnAsk = (m: EventMsg): Op[] => (m.type === "request_user_input" ? [{ type: "user_input_answer", callId: m.callId, response: ANSWER }] : []);

function rolloutLines(thread: Thread): Array<{ type: string; payload: any }> {
  return readFileSync(thread.rolloutPath!, "utf8").trim().split("\n").map((l) => JSON.parse(l));
}

function expectEveryRequestPaired(): void {
  for (const req of server.requests) {
    for (const item of req.input.filter((i: any) => i.type === "function_call")) {
      expect(req.functionCallOutput(item.call_id), `output for ${item.call_id}`).toBeDefined();
    }
  }
}

/** A turn that ends (interrupt, or shutdown) while call_q's question waits; returns the closed thread's id. */
async function leftAsking(how: "interrupt" | "close"): Promise<string> {
  appendFileSync(path.join(home.codexHome, "config.toml"), `\n[features]\ndefault_mode_request_user_input = true\n`);
  server.enqueue(
    sse(created("r1"), functionCall("call_q", "request_user_input", QUESTIONS), completed("r1")),
    sse(created("r2"), textMessage("blue it is"), completed("r2")),
  );
  const thread = await open();
  await thread.submit({ type: "user_turn", items: [{ type: "text", text: "paint it" }] });
  if (how === "interrupt") {
    const seen = await runTurnWith(thread, interruptOnAsk);
    expect(seen.at(-1)).toMatchObject({ type: "turn_aborted", reason: "interrupted" });
  } else {
    const it = thread.events()[Symbol.asyncIterator]();
    for (let ev = await it.next(); !ev.done && ev.value.msg.type !== "request_user_input"; ev = await it.next());
  }
  await thread.close();
  expect(thread.pendingApprovals()).toEqual(["call_q"]);
  const lines = rolloutLines(thread);
  expect(lines.some((l) => l.type === "response_item" && l.payload.type === "function_call" && l.payload.call_id === "call_q")).toBe(true);
  expect(lines.some((l) => l.type === "event_msg" && l.payload.type === "request_user_input" && l.payload.call_id === "call_q")).toBe(true);
  expect(lines.some((l) => l.type === "response_item" && l.payload.type === "function_call_output")).toBe(false);
  expect(server.requests).toHaveLength(1);
  return thread.id;
}

describe("a request_user_input question pending when the turn ended", () => {
  for (const how of ["interrupt", "close"] as const) {
    test(`ended by ${how}: resume asks again (same call id); the answer is the output of the next request`, async () => {
      const id = await leftAsking(how);
      const resumed = await open({ resume: id });
      expect(resumed.pendingApprovals()).toEqual(["call_q"]);
      await resumed.submit({ type: "resume_pending" });
      const seen = await runTurnWith(resumed, answerOnAsk);
      const types = seen.map((m) => m.type);
      expect(types.indexOf("task_started")).toBeLessThan(types.indexOf("request_user_input"));
      expect(seen.find((m) => m.type === "request_user_input")).toMatchObject({ callId: "call_q", questions: [{ id: "color", isOther: true }] });
      expect(seen.at(-1)).toMatchObject({ type: "task_complete", lastAgentMessage: "blue it is" });
      expect(server.requests).toHaveLength(2);
      expect(server.requests[1]!.functionCallOutput("call_q").output).toBe(JSON.stringify(ANSWER));
      expect(resumed.pendingApprovals()).toEqual([]);
      expectEveryRequestPaired();
      await resumed.close();
      // The answer is journaled before the call's output (a crash in between would not ask again).
      const lines = rolloutLines(resumed);
      const answered = lines.findIndex((l) => l.type === "event_msg" && l.payload.type === "user_input_answered" && l.payload.call_id === "call_q");
      const output = lines.findIndex((l) => l.type === "response_item" && l.payload.type === "function_call_output" && l.payload.call_id === "call_q");
      expect(answered).toBeGreaterThan(0);
      expect(answered).toBeLessThan(output);
      // The answers themselves are journaled only as the call's output.
      expect(lines[answered]!.payload).toEqual({ type: "user_input_answered", call_id: "call_q" });
      const again = await open({ resume: id });
      expect(again.pendingApprovals()).toEqual([]);
      await again.close();
    });
  }

  test("interrupted again while asked again: still pending, nothing sent to the model; then answered", async () => {
    const id = await leftAsking("interrupt");
    const resumed = await open({ resume: id });
    await resumed.submit({ type: "resume_pending" });
    const seen = await runTurnWith(resumed, interruptOnAsk);
    expect(seen.at(-1)).toMatchObject({ type: "turn_aborted", reason: "interrupted" });
    expect(resumed.pendingApprovals()).toEqual(["call_q"]);
    expect(server.requests).toHaveLength(1);
    await resumed.close();
    const third = await open({ resume: id });
    expect(third.pendingApprovals()).toEqual(["call_q"]);
    await third.submit({ type: "resume_pending" });
    const done = await runTurnWith(third, answerOnAsk);
    expect(done.at(-1)).toMatchObject({ type: "task_complete", lastAgentMessage: "blue it is" });
    expect(server.requests[1]!.functionCallOutput("call_q").output).toBe(JSON.stringify(ANSWER));
    expectEveryRequestPaired();
    await third.close();
  });

  test("stopped by the person from the question (user_input_cancel): an answer, not asked again; the call answered aborted", async () => {
    appendFileSync(path.join(home.codexHome, "config.toml"), `\n[features]\ndefault_mode_request_user_input = true\n`);
    server.enqueue(
      sse(created("r1"), functionCall("call_q", "request_user_input", QUESTIONS), completed("r1")),
      sse(created("r2"), textMessage("other plan"), completed("r2")),
    );
    const thread = await open();
    await thread.submit({ type: "user_turn", items: [{ type: "text", text: "paint it" }] });
    const seen = await runTurnWith(thread, (m) => (m.type === "request_user_input" ? [{ type: "user_input_cancel", callId: m.callId }] : []));
    expect(seen.at(-1)).toMatchObject({ type: "turn_aborted", reason: "interrupted" });
    expect(thread.pendingApprovals()).toEqual([]);
    await thread.close();
    const lines = rolloutLines(thread);
    expect(lines.some((l) => l.type === "event_msg" && l.payload.type === "user_input_answered" && l.payload.call_id === "call_q")).toBe(true);
    const resumed = await open({ resume: thread.id });
    expect(resumed.pendingApprovals()).toEqual([]);
    await resumed.submit({ type: "user_turn", items: [{ type: "text", text: "do something else" }] });
    const next = await runTurnWith(resumed, () => []);
    expect(next.some((m) => m.type === "request_user_input")).toBe(false);
    expect(next.at(-1)).toMatchObject({ type: "task_complete", lastAgentMessage: "other plan" });
    expect(String(server.requests[1]!.functionCallOutput("call_q").output)).toMatch(/aborted/);
    expectEveryRequestPaired();
    await resumed.close();
  });

  test("nobody to ask on resume (exec): the pending call gets empty answers at the next turn, before the new message", async () => {
    const id = await leftAsking("interrupt");
    server.enqueue(sse(created("r3"), textMessage("ok"), completed("r3")));
    const resumed = await open({ resume: id, interactive: false });
    await resumed.submit({ type: "user_turn", items: [{ type: "text", text: "go on" }] });
    const seen = await runTurnWith(resumed, () => []);
    expect(seen.some((m) => m.type === "request_user_input")).toBe(false);
    expect(seen.at(-1)).toMatchObject({ type: "task_complete" });
    const input = server.requests[1]!.input;
    const out = input.findIndex((i: any) => i.type === "function_call_output" && i.call_id === "call_q");
    const goOn = input.findIndex((i: any) => i.type === "message" && JSON.stringify(i.content).includes("go on"));
    expect(input[out].output).toBe('{"answers":{}}');
    expect(out).toBeLessThan(goOn);
    expectEveryRequestPaired();
    await resumed.close();
  });
});
