import { describe, expect, test } from "vitest";
import type { RolloutLine } from "./contract.js";
import { AgentDiffError, agentDiffForGit, latestTurnPatches } from "./agent-diff.js";

const ev = (payload: Record<string, unknown>): RolloutLine =>
  ({ timestamp: "t", type: "event_msg", payload }) as unknown as RolloutLine;
const patchEnd = (diff: string, path: string, success = true) =>
  ev({ type: "patch_apply_end", callId: "c", success, diff, output: "", changes: [{ path, kind: "update" }] });

describe("latestTurnPatches", () => {
  test("takes the successful patches of the last turn that applied any", () => {
    const lines = [
      ev({ type: "task_started" }),
      patchEnd("--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n", "/r/x"),
      ev({ type: "task_started" }),
      patchEnd("d1", "/r/y"),
      patchEnd("failed", "/r/y", false),
      patchEnd("d2", "/r/z"),
      ev({ type: "task_started" }), // a later turn without patches does not hide them
    ];
    expect(latestTurnPatches(lines).map((p) => p.diff)).toEqual(["d1", "d2"]);
    expect(latestTurnPatches([ev({ type: "task_started" })])).toEqual([]);
  });
});

describe("agentDiffForGit", () => {
  test("rebases names on the repository root; hunk lines that look like headers are left alone", () => {
    const diff = "--- a/notes.txt\n+++ b/notes.txt\n@@ -1,2 +1,2 @@\n--- not a header\n+++ still not\n keep\n";
    const out = agentDiffForGit([{ diff, changes: [{ path: "/repo/sub/notes.txt", kind: "update" }] }], "/repo");
    expect(out).toBe("diff --git a/sub/notes.txt b/sub/notes.txt\n--- a/sub/notes.txt\n+++ b/sub/notes.txt\n@@ -1,2 +1,2 @@\n--- not a header\n+++ still not\n keep\n");
  });

  test("an added file from /dev/null, absolute names, and a file outside the repository", () => {
    const add = "--- /dev/null\n+++ /repo/new.txt\n@@ -0,0 +1 @@\n+hi\n";
    expect(agentDiffForGit([{ diff: add, changes: [{ path: "/repo/new.txt", kind: "add" }] }], "/repo")).toBe(
      "diff --git a/new.txt b/new.txt\nnew file mode 100644\n--- /dev/null\n+++ b/new.txt\n@@ -0,0 +1 @@\n+hi\n",
    );
    const outside = "--- /dev/null\n+++ /elsewhere/x\n@@ -0,0 +1 @@\n+hi\n";
    expect(() => agentDiffForGit([{ diff: outside, changes: [] }], "/repo")).toThrow(AgentDiffError);
  });
});
