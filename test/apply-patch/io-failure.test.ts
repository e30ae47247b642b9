import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ApplyPatchError, applyPatch, nodePatchFs, type PatchFs } from "../../src/core/apply-patch/index.js";
import { snapshotTree } from "./corpus-support.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
function tempDir(files: Record<string, string>): string {
  const d = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "ap-io-")));
  dirs.push(d);
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(d, rel)), { recursive: true });
    fs.writeFileSync(path.join(d, rel), content);
  }
  return d;
}

/** The real fs, except that the n-th rename fails like a full disk would. */
function failingRenameFs(failOn: number): PatchFs & { renames: number } {
  const real = nodePatchFs();
  const port = {
    ...real,
    renames: 0,
    async rename(from: string, to: string) {
      port.renames++;
      if (port.renames === failOn) throw Object.assign(new Error("ENOSPC: no space left"), { code: "ENOSPC" });
      return real.rename(from, to);
    },
  };
  return port;
}

describe("apply_patch I/O failure mid-commit", () => {
  it("restores the first file when the second rename fails", async () => {
    const cwd = tempDir({ "a.txt": "a\n", "b.txt": "b\n" });
    const before = snapshotTree(cwd);
    const fsPort = failingRenameFs(2);
    const patch = [
      "*** Begin Patch",
      "*** Update File: a.txt",
      "@@",
      "-a",
      "+A",
      "*** Update File: b.txt",
      "@@",
      "-b",
      "+B",
      "*** End Patch",
    ].join("\n");
    const err = await applyPatch(patch, { cwd, fs: fsPort }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplyPatchError);
    expect((err as Error).message).toBe(`Failed to write file ${cwd}/b.txt: No space left on device (os error 28)`);
    expect(fsPort.renames).toBeGreaterThanOrEqual(2);
    // a.txt was written and then restored; no temp files remain.
    expect(snapshotTree(cwd)).toEqual(before);
  });

  it("removes an added file and the directories it created, and restores a deleted file", async () => {
    const cwd = tempDir({ "gone.txt": "keep me\n", "b.txt": "b\n" });
    const before = snapshotTree(cwd);
    const patch = [
      "*** Begin Patch",
      "*** Delete File: gone.txt",
      "*** Add File: new/deep/x.txt",
      "+x",
      "*** Update File: b.txt",
      "@@",
      "-b",
      "+B",
      "*** End Patch",
    ].join("\n");
    const err = await applyPatch(patch, { cwd, fs: failingRenameFs(2) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplyPatchError);
    expect(snapshotTree(cwd)).toEqual(before);
    expect(fs.existsSync(path.join(cwd, "new"))).toBe(false);
  });

  it("refuses paths canWrite rejects, before writing anything", async () => {
    const cwd = tempDir({ "ok.txt": "ok\n", "secret/s.txt": "s\n" });
    const before = snapshotTree(cwd);
    const patch = "*** Begin Patch\n*** Add File: ok2.txt\n+x\n*** Delete File: secret/s.txt\n*** End Patch";
    const err = await applyPatch(patch, { cwd, canWrite: (p) => !p.includes("/secret/") }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplyPatchError);
    expect((err as Error).message).toContain(`${cwd}/secret/s.txt`);
    expect(snapshotTree(cwd)).toEqual(before);
  });

  it("keeps the file mode of an updated file", async () => {
    const cwd = tempDir({ "run.sh": "echo a\n" });
    fs.chmodSync(path.join(cwd, "run.sh"), 0o755);
    await applyPatch("*** Begin Patch\n*** Update File: run.sh\n@@\n-echo a\n+echo b\n*** End Patch", { cwd });
    expect(fs.statSync(path.join(cwd, "run.sh")).mode & 0o777).toBe(0o755);
    expect(fs.readFileSync(path.join(cwd, "run.sh"), "utf8")).toBe("echo b\n");
  });
});
