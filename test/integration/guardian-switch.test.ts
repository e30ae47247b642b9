// A session can switch its reviewer mid-way (TUI /approvals and /experimental): after override_turn_context
// with approvalsReviewer "guardian", what would ask the person goes to the guardian; "user" switches back.
import { existsSync } from "node:fs";
import path from "node:path";
import { expect, test } from "vitest";
import type { EventMsg } from "../../src/protocol/events.js";
import { startCoreThread, untilTurnEnds, useCoreHome, type CoreHome } from "../support/core-thread.js";
import { sse, type RecordedRequest } from "../support/fake-responses-server.js";
import { completed, created, functionCall, textMessage } from "../support/sse.js";

let h: CoreHome;
useCoreHome("guardian-switch-", (home) => (h = home));

const isGuardian = (r: RecordedRequest) => r.headers["x-openai-subagent"] === "guardian";

test("switching the reviewer to the guardian and back", async () => {
  const thread = await startCoreThread(h, { sandboxMode: "danger-full-access", approvalPolicy: "untrusted", interactiveApprovals: true });
  const it = thread.events()[Symbol.asyncIterator]();
  const asked: string[] = [];
  const person = (m: EventMsg) => (m.type === "exec_approval_request" ? (asked.push(m.callId), [{ type: "exec_approval" as const, callId: m.callId, decision: "approved" as const }]) : []);
  const turn = async (id: string, file: string) => {
    h.server.enqueue(
      sse(created(`${id}a`), functionCall(id, "exec_command", { cmd: `touch ${file}`, login: false }), completed(`${id}a`)),
      sse(created(`${id}b`), textMessage("done"), completed(`${id}b`)),
    );
    await thread.submit({ type: "user_turn", items: [{ type: "text", text: id }] });
    return untilTurnEnds(it, { thread, answer: person });
  };
  await turn("c1", path.join(h.repo, "one.txt"));
  expect(asked).toEqual(["c1"]);

  await thread.submit({ type: "override_turn_context", approvalsReviewer: "guardian" });
  h.server.enqueueFor(isGuardian, sse(created("g"), textMessage(JSON.stringify({ outcome: "allow", rationale: "fine" })), completed("g")));
  const second = await turn("c2", path.join(h.repo, "two.txt"));
  expect(asked).toEqual(["c1"]);
  expect(second.some((m) => m.type === "guardian_review_completed" && m.status === "approved")).toBe(true);
  expect(h.server.requests.filter(isGuardian)).toHaveLength(1);
  expect(existsSync(path.join(h.repo, "two.txt"))).toBe(true);

  await thread.submit({ type: "override_turn_context", approvalsReviewer: "user" });
  await turn("c3", path.join(h.repo, "three.txt"));
  expect(asked).toEqual(["c1", "c3"]);
  expect(h.server.requests.filter(isGuardian)).toHaveLength(1);
  await thread.close();
});
