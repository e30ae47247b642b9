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
