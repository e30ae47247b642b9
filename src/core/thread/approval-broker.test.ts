import { expect, test } from "vitest";
import type { EventMsg, FileChangeSummary } from "../../protocol/events.js";
import type { ProposedAction } from "../approval/contract.js";
import { createApprovalBroker } from "./approval-broker.js";

const changes: FileChangeSummary[] = [
  { path: "/w/new.txt", kind: "add", unifiedDiff: "--- /dev/null\n+++ b/new.txt\n@@ -0,0 +1 @@\n+hi\n" },
  { path: "/w/b.txt", kind: "update", movedFrom: "/w/a.txt", unifiedDiff: "--- a/a.txt\n+++ b/b.txt\n" },
];
const patch: ProposedAction = { kind: "patch", callId: "p1", paths: ["/w/new.txt", "/w/b.txt"], cwd: "/w", changes };

test("a patch request carries the action's changes (path, kind, move source, diff); the answer resolves the ask", async () => {
  const broker = createApprovalBroker();
  const events: EventMsg[] = [];
  const asked = broker.asker((m) => void events.push(m))(patch, { reason: "outside the roots", signal: new AbortController().signal });
  expect(events).toEqual([{ type: "apply_patch_approval_request", callId: "p1", changes, reason: "outside the roots" }]);
  expect(broker.answer("p1", "approved")).toBe(true);
  expect(await asked).toBe("approved");
  expect(broker.pending()).toBe(0);
});

test("the turn's signal ends a pending ask as abort; an already aborted signal never asks", async () => {
  const broker = createApprovalBroker();
  const events: EventMsg[] = [];
  const controller = new AbortController();
  const asker = broker.asker((m) => void events.push(m));
  const asked = asker({ kind: "exec", callId: "e1", argv: ["rm", "-rf", "x"], cwd: "/w", escalated: false }, { signal: controller.signal });
  expect(broker.pending()).toBe(1);
  controller.abort();
  expect(await asked).toBe("abort");
  expect(broker.answer("e1", "approved")).toBe(false);
  expect(await asker(patch, { signal: controller.signal })).toBe("abort");
  expect(events.map((e) => e.type)).toEqual(["exec_approval_request"]);
});

test("an ask ended by the signal or abortAll is unanswered (once); a person's abort is an answer", async () => {
  const broker = createApprovalBroker();
  const controller = new AbortController();
  const asker = broker.asker(() => {});
  const exec = (callId: string): ProposedAction => ({ kind: "exec", callId, argv: ["ls"], cwd: "/w", escalated: false });
  const byPerson = asker(exec("a"), { signal: controller.signal });
  broker.answer("a", "abort");
  expect(await byPerson).toBe("abort");
  const bySignal = asker(exec("b"), { signal: controller.signal });
  controller.abort();
  expect(await bySignal).toBe("abort");
  const byClose = asker(exec("c"), {});
  broker.abortAll();
  expect(await byClose).toBe("abort");
  expect([broker.takeUnanswered("a"), broker.takeUnanswered("b"), broker.takeUnanswered("c"), broker.takeUnanswered("b")]).toEqual([false, true, true, false]);
});

test("with a journal, the request is emitted once it is written, and not at all when the turn ended meanwhile", async () => {
  const broker = createApprovalBroker();
  const events: string[] = [];
  let release!: () => void;
  const written = new Promise<void>((r) => (release = r));
  const asker = broker.asker((m) => void events.push(`emit ${m.type}`), {
    journal: async (m) => {
      events.push(`journal ${m.type}`);
      await written;
    },
  });
  const asked = asker(patch, {});
  expect(events).toEqual(["journal apply_patch_approval_request"]);
  release();
  await written;
  await new Promise((r) => setImmediate(r));
  expect(events).toEqual(["journal apply_patch_approval_request", "emit apply_patch_approval_request"]);
  broker.answer("p1", "denied");
  expect(await asked).toBe("denied");

  const controller = new AbortController();
  const late = broker.asker((m) => void events.push(`late ${m.type}`), { journal: () => new Promise((r) => setImmediate(r)) })(patch, { signal: controller.signal });
  controller.abort();
  expect(await late).toBe("abort");
  await new Promise((r) => setImmediate(r));
  expect(events.some((e) => e.startsWith("late"))).toBe(false);
});
