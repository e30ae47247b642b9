import * as path from "node:path";
import type { FileChangeSummary } from "../../protocol/events.js";
import { applyChunks } from "./apply-chunks.js";
import { describeIoError, type PatchFs } from "./fs-port.js";
import { ApplyPatchError, type ParsedPatch } from "./types.js";
import { updateDiff, wholeFileDiff } from "./unified-diff.js";

/** The end state of one touched path, with what it held before so a failed write can be undone. */
export interface PlannedFile {
  abs: string;
  /** Where bytes go: the symlink target for an existing symlink, else `abs`. */
  target: string;
  original: string | null;
  final: string | null;
  mode?: number;
}

export interface PlannedOp {
  kind: "add" | "delete" | "update";
  /** As written in the patch (destination for a move): used in the summary. */
  displayPath: string;
  change: FileChangeSummary;
  diff: string;
}

export interface PatchPlan {
  files: PlannedFile[];
  ops: PlannedOp[];
}

interface PlanOptions {
  cwd: string;
  fs: PatchFs;
  canWrite: (absPath: string) => boolean;
}

/**
 * Work out every op in memory: read sources, match every chunk, check delete targets and write permission.
 * Nothing touches the disk here, so any error leaves the tree as it was. Later ops see earlier ops' results.
 */
export async function planPatch(parsed: ParsedPatch, opts: PlanOptions): Promise<PatchPlan> {
  if (parsed.ops.length === 0) throw new ApplyPatchError("No files were modified.");
  const state = new Map<string, PlannedFile & { isDir: boolean }>();
  const order: string[] = [];

  const load = async (abs: string) => {
    const known = state.get(abs);
    if (known !== undefined) return known;
    const stat = await opts.fs.stat(abs);
    let entry: PlannedFile & { isDir: boolean };
    if (stat === null) entry = { abs, target: abs, original: null, final: null, isDir: false };
    else if (stat.isDirectory) entry = { abs, target: abs, original: null, final: null, isDir: true };
    else {
      let content: string;
      try {
        content = await opts.fs.readFile(abs);
      } catch (err) {
        throw new ApplyPatchError(`Failed to read file ${abs}: ${describeIoError(err)}`, { path: abs });
      }
      const target = await opts.fs.realpath(abs);
      entry = { abs, target, original: content, final: content, mode: stat.mode, isDir: false };
    }
    state.set(abs, entry);
    order.push(abs);
    return entry;
  };
  const checkWritable = (abs: string) => {
    if (!opts.canWrite(abs)) {
      throw new ApplyPatchError(`Failed to write file ${abs}: writing here is not allowed by the sandbox policy`, {
        path: abs,
      });
    }
  };
  const resolve = (p: string) => path.resolve(opts.cwd, p);

  const ops: PlannedOp[] = [];
  for (const op of parsed.ops) {
    const abs = resolve(op.path);
    checkWritable(abs);
    const file = await load(abs);
    if (op.kind === "add") {
      if (file.isDir) throw new ApplyPatchError(`Failed to write file ${abs}: Is a directory (os error 21)`, { path: abs });
      const before = file.final;
      file.final = op.contents;
      ops.push({
        kind: "add",
        displayPath: op.path,
        change: { path: abs, kind: "add" },
        diff: wholeFileDiff(before === null ? "/dev/null" : aName(op.path), bName(op.path), before ?? "", op.contents),
      });
      continue;
    }
    if (op.kind === "delete") {
      if (file.isDir) throw new ApplyPatchError(`Failed to delete file ${abs}: Is a directory (os error 21)`, { path: abs });
      if (file.final === null) {
        throw new ApplyPatchError(`Failed to delete file ${abs}: No such file or directory (os error 2)`, { path: abs });
      }
      const before = file.final;
      file.final = null;
      ops.push({
        kind: "delete",
        displayPath: op.path,
        change: { path: abs, kind: "delete" },
        diff: wholeFileDiff(aName(op.path), "/dev/null", before, ""),
      });
      continue;
    }
    if (file.isDir || file.final === null) {
      const why = file.isDir ? "Is a directory (os error 21)" : "No such file or directory (os error 2)";
      throw new ApplyPatchError(`Failed to read file to update ${abs}: ${why}`, { path: abs });
    }
    const before = file.final;
    const applied = applyChunks(before, op.chunks, abs);
    const destRel = op.movePath ?? op.path;
    const destAbs = resolve(destRel);
    if (destAbs !== abs) {
      checkWritable(destAbs);
      const dest = await load(destAbs);
      if (dest.isDir) {
        throw new ApplyPatchError(`Failed to write file ${destAbs}: Is a directory (os error 21)`, { path: destAbs });
      }
      file.final = null;
      dest.final = applied.newContent;
      dest.mode ??= file.mode;
    } else {
      file.final = applied.newContent;
    }
    const change: FileChangeSummary =
      destAbs !== abs ? { path: destAbs, kind: "update", movedFrom: abs } : { path: abs, kind: "update" };
    ops.push({
      kind: "update",
      displayPath: destRel,
      change,
      diff: updateDiff(aName(op.path), bName(destRel), {
        oldContent: before,
        newContent: applied.newContent,
        oldLines: applied.oldLines,
        replacements: applied.replacements,
      }),
    });
  }
  const files = order.map((abs) => state.get(abs)).filter((f): f is PlannedFile & { isDir: boolean } => f !== undefined);
  return { files: files.filter((f) => !f.isDir).map(({ isDir: _d, ...f }) => f), ops };
}

function aName(p: string): string {
  return path.isAbsolute(p) ? p : `a/${p}`;
}
function bName(p: string): string {
  return path.isAbsolute(p) ? p : `b/${p}`;
}
