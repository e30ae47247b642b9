import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ApplyPatchError, applyPatch } from "../../src/core/apply-patch/index.js";
import { listCorpus, snapshotTree, stageInput } from "./corpus-support.js";

const cases = listCorpus();
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe("apply_patch corpus", () => {
  it("has at least 40 cases", () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });

  it.each(cases.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    const cwd = stageInput(c);
    dirs.push(cwd);
    if (c.expectedError !== undefined) {
      const err = await applyPatch(c.patch, { cwd }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err, "patch should have been rejected").toBeInstanceOf(ApplyPatchError);
      expect((err as Error).message).toContain(c.expectedError.replaceAll("<CWD>", cwd));
    } else {
      const result = await applyPatch(c.patch, { cwd });
      expect(result.summary.startsWith("Success. Updated the following files:\n")).toBe(true);
      if (c.expectedOutput !== undefined) expect(result.summary).toBe(c.expectedOutput);
      for (const change of result.changes) expect(path.isAbsolute(change.path)).toBe(true);
    }
    // Rejections must leave the tree exactly as it was (expected/ mirrors input/ for them).
    expect(snapshotTree(cwd)).toEqual(snapshotTree(path.join(c.dir, "expected")));
  });
});
