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

test("the guardian reviews on the model the turn runs with after an override, not the thread's first; its metadata names its own request", async () => {
  const thread = await startCoreThread(h, { sandboxMode: "danger-full-access", approvalPolicy: "untrusted", interactiveApprovals: true });
  const it = thread.events()[Symbol.asyncIterator]();
  const file = path.join(h.repo, "marker.txt");
  h.server.enqueue(
    sse(created("r1"), functionCall("c1", "exec_command", { cmd: `touch ${file}`, login: false }), completed("r1")),
    sse(created("r2"), textMessage("done"), completed("r2")),
  );
  h.server.enqueueFor(isGuardian, sse(created("g"), textMessage(JSON.stringify({ outcome: "allow", rationale: "fine" })), completed("g")));
  // As the reference 0.169 (observed with exec: the guardian's request and its turn metadata name the turn's model at
  // low effort, with the guardian's read-only sandbox); the override is what the turn runs with.
  await thread.submit({ type: "override_turn_context", approvalsReviewer: "guardian", model: "gpt-5.4", effort: "high" });
  await thread.submit({ type: "user_turn", items: [{ type: "text", text: "make it" }] });
  await untilTurnEnds(it, { thread });
  expect(existsSync(file)).toBe(true);
  const parent = h.server.requests.filter((r) => !isGuardian(r));
  expect(parent[0]!.body.model).toBe("gpt-5.4");
  const [g] = h.server.requests.filter(isGuardian);
  expect([g!.body.model, g!.body.reasoning?.effort]).toEqual(["gpt-5.4", "low"]);
  const meta = JSON.parse(g!.headers["x-codex-turn-metadata"]!);
  expect([meta.model, meta.reasoning_effort, meta.sandbox_mode]).toEqual(["gpt-5.4", "low", "read-only"]);
  await thread.close();
});
