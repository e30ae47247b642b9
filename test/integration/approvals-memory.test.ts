// What a person approves outlives the turn it was given in: "approve for this session" holds for the
// thread's later turns, and "approve and remember" holds for every thread of the runtime (a whole agent
// tree) — before, each turn's gate started empty.
import { existsSync } from "node:fs";
import path from "node:path";
import { expect, test } from "vitest";
import type { EventMsg } from "../../src/protocol/events.js";
import { startCoreThread, untilTurnEnds, useCoreHome, type CoreHome } from "../support/core-thread.js";
import { sse } from "../support/fake-responses-server.js";
import { completed, created, functionCall, textMessage } from "../support/sse.js";

let h: CoreHome;
useCoreHome("approval-memory-", (home) => (h = home));

const touchTurn = (file: string, id: string) =>
  h.server.enqueue(
    sse(created(`${id}a`), functionCall(id, "exec_command", { cmd: `touch ${file}`, login: false }), completed(`${id}a`)),
    sse(created(`${id}b`), textMessage("done"), completed(`${id}b`)),
  );

test.each([
  ["approved_for_session" as const],
  ["approved_execpolicy_amendment" as const],
])("%s: the next turn runs the same command without asking", async (decision) => {
  const thread = await startCoreThread(h, { sandboxMode: "danger-full-access", approvalPolicy: "untrusted", interactiveApprovals: true });
  const it = thread.events()[Symbol.asyncIterator]();
  const asked: string[] = [];
  const person = (m: EventMsg) => {
    if (m.type !== "exec_approval_request") return [];
    asked.push(m.callId);
    return [{ type: "exec_approval" as const, callId: m.callId, decision }];
  };
  const first = path.join(h.repo, "first.txt");
  touchTurn(first, "c1");
  await thread.submit({ type: "user_turn", items: [{ type: "text", text: "one" }] });
  expect((await untilTurnEnds(it, { thread, answer: person })).at(-1)!.type).toBe("task_complete");
  touchTurn(first, "c2");
  await thread.submit({ type: "user_turn", items: [{ type: "text", text: "two" }] });
  expect((await untilTurnEnds(it, { thread, answer: person })).at(-1)!.type).toBe("task_complete");
  expect(asked).toEqual(["c1"]);
  expect(existsSync(first)).toBe(true);
  await thread.close();
});
