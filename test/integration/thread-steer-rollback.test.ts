// Core ops the app-server needs: a user turn with a given id, steering input into the running turn, and
// rolling the last turns back (also after a resume, since the rollback is journaled).
import { expect, test } from "vitest";
import type { EventMsg } from "../../src/protocol/events.js";
import { sse } from "../support/fake-responses-server.js";
import { completed, created, functionCall, textMessage } from "../support/sse.js";
import { startCoreThread, untilTurnEnds, useCoreHome, type CoreHome } from "../support/core-thread.js";

let h: CoreHome;
useCoreHome("codex-steer-", (home) => (h = home));

const text = (t: string) => ({ type: "text" as const, text: t });

test("steered input reaches the model at the turn's next request, and the turn keeps its given id", async () => {
  h.server.enqueue(
    sse(created("r1"), functionCall("call_1", "exec_command", { cmd: "touch steer-probe.txt" }), completed("r1")),
    sse(created("r2"), textMessage("done"), completed("r2")),
  );
  const thread = await startCoreThread(h, { sandboxMode: "read-only", approvalPolicy: "untrusted", interactiveApprovals: true });
  const it = thread.events()[Symbol.asyncIterator]();
  await thread.submit({ type: "user_turn", items: [text("first")], turnId: "turn-fixed-1" });
  const seen = await untilTurnEnds(it, {
    thread,
    answer: (msg: EventMsg) => {
      if (msg.type !== "exec_approval_request") return [];
      expect(thread.activeTurnId()).toBe("turn-fixed-1");
      return [
        { type: "steer", items: [text("also this")], expectedTurnId: "turn-fixed-1" },
        { type: "steer", items: [text("ignored: wrong turn")], expectedTurnId: "other" },
        { type: "exec_approval", callId: msg.callId, decision: "denied" },
      ];
    },
  });
  expect(seen.find((m) => m.type === "task_started")).toEqual({ type: "task_started", turnId: "turn-fixed-1" });
  expect(seen.at(-1)).toMatchObject({ type: "task_complete", turnId: "turn-fixed-1" });
  expect(seen.filter((m) => m.type === "user_message").map((m) => (m as { message: string }).message)).toEqual(["first", "also this"]);
  expect(h.server.requests).toHaveLength(2);
  expect(h.server.requests[1]!.lastUserText()).toBe("also this");
  expect(h.server.requests[1]!.inputText()).not.toContain("ignored: wrong turn");
  expect(thread.activeTurnId()).toBeNull();
  await thread.close();
});

test("a steer that arrives as the turn starts goes with its first request", async () => {
  h.server.enqueue(sse(created("r1"), textMessage("one"), completed("r1")), sse(created("r2"), textMessage("two"), completed("r2")));
  // Steered before the first request: it goes with the turn's input, and the turn still ends after one answer.
  const thread = await startCoreThread(h, { sandboxMode: "read-only", approvalPolicy: "never", interactiveApprovals: false });
  const it = thread.events()[Symbol.asyncIterator]();
  await thread.submit({ type: "user_turn", items: [text("go")], turnId: "t1" });
  const seen = await untilTurnEnds(it, {
    thread,
    answer: (msg) => (msg.type === "task_started" ? [{ type: "steer", items: [text("and more")], expectedTurnId: "t1" }] : []),
  });
  expect(seen.at(-1)).toMatchObject({ type: "task_complete", lastAgentMessage: "one" });
  expect(h.server.requests.map((r) => r.lastUserText())).toEqual(["and more"]);
  expect(h.server.requests[0]!.inputText()).toContain("go");
  await thread.close();
});

test("rollback drops the last turns from the history; a bad count is refused", async () => {
  h.server.enqueue(
    sse(created("r1"), textMessage("answer-one"), completed("r1")),
    sse(created("r2"), textMessage("answer-two"), completed("r2")),
    sse(created("r3"), textMessage("answer-three"), completed("r3")),
  );
  const thread = await startCoreThread(h, { sandboxMode: "read-only", approvalPolicy: "never", interactiveApprovals: false });
  const it = thread.events()[Symbol.asyncIterator]();
  for (const t of ["question-one", "question-two"]) {
    await thread.submit({ type: "user_turn", items: [text(t)] });
    await untilTurnEnds(it);
  }
  const answer = async (): Promise<EventMsg> => {
    for (;;) {
      const next = await it.next();
      if (next.done) throw new Error("stream ended");
      if (next.value.msg.type === "thread_rolled_back") return next.value.msg;
    }
  };
  await thread.submit({ type: "rollback", numTurns: 5 });
  expect(await answer()).toEqual({ type: "thread_rolled_back", numTurns: 0, error: "cannot roll back 5 of 2 turns" });
  await thread.submit({ type: "rollback", numTurns: 1 });
  expect(await answer()).toEqual({ type: "thread_rolled_back", numTurns: 1 });
  await thread.submit({ type: "user_turn", items: [text("question-three")] });
  await untilTurnEnds(it);
  const third = h.server.requests[2]!.rawBody;
  expect(third).toContain("question-one");
  expect(third).toContain("answer-one");
  expect(third).not.toContain("question-two");
  expect(third).not.toContain("answer-two");
  expect(third).toContain("question-three");
  await thread.close();
});
