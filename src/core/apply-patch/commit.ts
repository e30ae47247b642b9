import { randomUUID } from "node:crypto";
import * as path from "node:path";
import { describeIoError, type PatchFs } from "./fs-port.js";
import type { PlannedFile } from "./plan.js";
import { ApplyPatchError } from "./types.js";

interface Done {
  file: PlannedFile;
  createdDir?: string;
}

/**
 * Write a plan to disk: each file through a temp file + rename, each delete by unlink. If any step fails,
 * undo the steps already taken (best effort) so the tree ends as it started.
 */
export async function commitPlan(files: readonly PlannedFile[], fs: PatchFs): Promise<void> {
  const done: Done[] = [];
  for (const file of files) {
    if (file.final === file.original) continue;
    try {
      if (file.final === null) {
        await fs.unlink(file.abs);
        done.push({ file });
      } else {
        const createdDir = await fs.mkdirp(path.dirname(file.target));
        done.push({ file, createdDir });
        await writeAtomically(fs, file.target, file.final, file.mode);
      }
    } catch (err) {
      const verb = file.final === null ? "delete" : "write";
      const rollbackErrors = await rollback(done, fs);
      const suffix =
        rollbackErrors.length === 0 ? "" : `\n(rollback incomplete; could not restore: ${rollbackErrors.join(", ")})`;
      throw new ApplyPatchError(`Failed to ${verb} file ${file.abs}: ${describeIoError(err)}${suffix}`, {
        path: file.abs,
      });
    }
  }
}

async function writeAtomically(fs: PatchFs, target: string, data: string, mode: number | undefined): Promise<void> {
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${randomUUID().slice(0, 8)}.apply-patch.tmp`);
  await fs.writeFile(tmp, data, mode === undefined ? {} : { mode });
  try {
    await fs.rename(tmp, target);
  } catch (err) {
    await fs.unlink(tmp).catch(() => undefined);
    throw err;
  }
}

async function rollback(done: Done[], fs: PatchFs): Promise<string[]> {
  const failed: string[] = [];
  for (const { file, createdDir } of [...done].reverse()) {
    try {
      if (file.original === null) {
        await fs.unlink(file.target).catch((err: unknown) => {
          if ((err as { code?: string }).code !== "ENOENT") throw err;
        });
        if (createdDir !== undefined) await removeCreatedDirs(fs, path.dirname(file.target), createdDir);
      } else {
        await fs.mkdirp(path.dirname(file.target));
        await writeAtomically(fs, file.target, file.original, file.mode).catch(() =>
          fs.writeFile(file.target, file.original ?? "", file.mode === undefined ? {} : { mode: file.mode }),
        );
      }
    } catch {
      failed.push(file.abs);
    }
  }
  return failed;
}

/** Remove the directories mkdirp created for a file, deepest first, stopping at the first non-empty one. */
async function removeCreatedDirs(fs: PatchFs, deepest: string, topCreated: string): Promise<void> {
  let dir = deepest;
  for (;;) {
    try {
      await fs.rmdir(dir);
    } catch {
      return;
    }
    if (dir === topCreated || path.dirname(dir) === dir) return;
    dir = path.dirname(dir);
  }
}
