// request_user_input through the core: the model's questions become a request_user_input event, the
// person's user_input_answer op becomes the call's output in the next request (as the reference 0.169:
// the answers' JSON); without the feature the call is refused as unavailable in Default mode; with nobody
// to ask the answers are empty; an interrupt while the question waits ends the turn interrupted.
import { appendFileSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import type { Thread } from "../../src/core/index.js";
import type { EventMsg } from "../../src/protocol/events.js";
import type { Op } from "../../src/protocol/ops.js";
import { startCoreThread, untilTurnEnds, useCoreHome, type CoreHome } from "../support/core-thread.js";
import { sse, type FakeServer, type RecordedRequest } from "../support/fake-responses-server.js";
import { completed, created, functionCall, textMessage } from "../support/sse.js";

let home: CoreHome;
let server: FakeServer;
useCoreHome("rui-", (h) => ((home = h), (server = h.server)));

const QUESTIONS = {
  questions: [
    { id: "color", header: "Color", question: "Which color?", options: [{ label: "Red (Recommended)", description: "warm" }, { label: "Blue", description: "cool" }] },
    { id: "size", header: "Size", question: "Which size?", options: [{ label: "S", description: "small" }, { label: "L", description: "large" }], isSecret: true },
  ],
};

const enableFeature = () => appendFileSync(path.join(home.codexHome, "config.toml"), `\n[features]\ndefault_mode_request_user_input = true\n`);

function scriptQuestion(args: unknown = QUESTIONS): void {
  server.enqueue(
    sse(created("r1"), textMessage("I need to know two things."), functionCall("call_q", "request_user_input", args), completed("r1")),
    sse(created("r2"), textMessage("thanks"), completed("r2")),
  );
}

const start = (interactive: boolean): Promise<Thread> =>
  startCoreThread(home, { sandboxMode: "read-only", approvalPolicy: "on-request", interactiveApprovals: interactive });

const runTurn = async (thread: Thread, person: (msg: EventMsg) => Op[] = () => []): Promise<EventMsg[]> => {
  await thread.submit({ type: "user_turn", items: [{ type: "text", text: "paint it" }] });
  return untilTurnEnds(thread.events()[Symbol.asyncIterator](), { thread, answer: person });
};

describe("request_user_input", () => {
  test("offered after the shell tools, with the reference's parameter shape", async () => {
    server.enqueue(sse(created(), textMessage("ok"), completed()));
    const thread = await start(true);
    await runTurn(thread);
    const tools = server.requests[0]!.body.tools;
    const names = tools.map((t: { name?: string; type: string }) => t.name ?? t.type);
    expect(names.indexOf("request_user_input")).toBe(names.indexOf("write_stdin") + 1);
    const spec = tools.find((t: { name?: string }) => t.name === "request_user_input");
    expect(spec).toMatchObject({ type: "function", strict: false, parameters: { required: ["questions"], additionalProperties: false } });
    expect(spec.parameters.properties.questions.items.required).toEqual(["id", "header", "question", "options"]);
    expect(spec.description).toMatch(/only available in Plan mode\.$/);
    await thread.close();
  });

  test("answered: the event carries the questions (isOther set), the answer op becomes the call's output", async () => {
    enableFeature();
    scriptQuestion();
    const thread = await start(true);
    const response = { answers: { color: { answers: ["Blue"] }, size: { answers: ["L", "user_note: roomy"] } } };
    const seen = await runTurn(thread, (m) => (m.type === "request_user_input" ? [{ type: "user_input_answer", callId: m.callId, response }] : []));
    const asked = seen.find((m) => m.type === "request_user_input");
    expect(asked).toMatchObject({ callId: "call_q", isBlocking: false, turnId: expect.any(String) });
    expect(asked && "questions" in asked && asked.questions).toEqual([
      { id: "color", header: "Color", question: "Which color?", isOther: true, isSecret: false, options: QUESTIONS.questions[0]!.options },
      { id: "size", header: "Size", question: "Which size?", isOther: true, isSecret: true, options: QUESTIONS.questions[1]!.options },
    ]);
    expect(seen.at(-1)).toMatchObject({ type: "task_complete", lastAgentMessage: "thanks" });
    expect(server.requests[1]!.functionCallOutput("call_q").output).toBe(JSON.stringify(response));
    expect(server.refusedRequests).toEqual([]);
    // The question is journaled with the thread (the answer is the call's output in the history).
    await thread.close();
    const rollout = readFileSync(thread.rolloutPath!, "utf8");
    expect(rollout).toContain('"type":"request_user_input"');
  });

  test("without the feature: refused as unavailable in Default mode, nobody is asked", async () => {
    scriptQuestion();
    const thread = await start(true);
    const seen = await runTurn(thread);
    expect(seen.some((m) => m.type === "request_user_input")).toBe(false);
    expect(server.requests[1]!.functionCallOutput("call_q").output).toBe("request_user_input is unavailable in Default mode");
    await thread.close();
  });

  test("a question without options is refused with the reference's message", async () => {
    enableFeature();
    scriptQuestion({ questions: [{ id: "a", header: "H", question: "Q?" }] });
    const thread = await start(true);
    const seen = await runTurn(thread);
    expect(seen.some((m) => m.type === "request_user_input")).toBe(false);
    expect(server.requests[1]!.functionCallOutput("call_q").output).toBe("request_user_input requires non-empty options for every question");
    await thread.close();
  });

  test("nobody to ask (exec): the model gets empty answers, the turn never waits", async () => {
    enableFeature();
    scriptQuestion();
    const thread = await start(false);
    const seen = await runTurn(thread);
    expect(seen.some((m) => m.type === "request_user_input")).toBe(false);
    expect(server.requests[1]!.functionCallOutput("call_q").output).toBe('{"answers":{}}');
    await thread.close();
  });

  test("interrupt while the question waits: the turn ends interrupted, the call answered as aborted", async () => {
    enableFeature();
    scriptQuestion();
    server.enqueue(sse(created("r3"), textMessage("again"), completed("r3")));
    const thread = await start(true);
    const seen = await runTurn(thread, (m) => (m.type === "request_user_input" ? [{ type: "interrupt" }] : []));
    expect(seen.at(-1)).toMatchObject({ type: "turn_aborted", reason: "interrupted" });
    // A late answer to the ended question is dropped; the next turn sends the call paired with its output.
    await thread.submit({ type: "user_input_answer", callId: "call_q", response: { answers: {} } });
    const next = await runTurn(thread);
    expect(next.at(-1)).toMatchObject({ type: "task_complete" });
    const last = server.requests.at(-1)!;
    expect(String(last.functionCallOutput("call_q").output)).toMatch(/aborted/);
    expect(server.refusedRequests).toEqual([]);
    await thread.close();
  });

  test("a sub-agent's question reaches nobody: it gets empty answers, the root is not asked", async () => {
    appendFileSync(path.join(home.codexHome, "config.toml"), `\n[features]\ndefault_mode_request_user_input = true\nmulti_agent_v2 = true\n`);
    const isChild = (r: RecordedRequest) => r.headers["x-openai-subagent"] === "collab_spawn";
    server.enqueue(
      sse(created("r1"), functionCall("s1", "spawn_agent", { task_name: "asker", message: "x", fork_turns: "none" }, { namespace: "collaboration" }), completed("r1")),
      sse(created("r2"), functionCall("w1", "wait_agent", { timeout_ms: 60_000 }, { namespace: "collaboration" }), completed("r2")),
      sse(created("r3"), textMessage("done"), completed("r3")),
    );
    server.enqueueFor(
      isChild,
      sse(created("c1"), functionCall("child_q", "request_user_input", QUESTIONS), completed("c1")),
      sse(created("c2"), textMessage("answered"), completed("c2")),
    );
    const thread = await start(true);
    const seen = await runTurn(thread);
    expect(seen.at(-1)).toMatchObject({ type: "task_complete" });
    expect(seen.some((m) => m.type === "request_user_input")).toBe(false);
    const childSecond = server.requests.filter(isChild)[1]!;
    expect(childSecond.functionCallOutput("child_q").output).toBe('{"answers":{}}');
    await thread.close();
  });
});
