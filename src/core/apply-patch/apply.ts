import * as path from "node:path";
import type { FileChangeSummary } from "../../protocol/events.js";
import { commitPlan } from "./commit.js";
import { nodePatchFs, type PatchFs } from "./fs-port.js";
import { parsePatch } from "./parser.js";
import { planPatch, type PlannedOp } from "./plan.js";
import { ApplyPatchError, PatchParseError, type ParsedPatch } from "./types.js";

export interface ApplyPatchOptions {
  cwd: string;
  /** Checked for every path the patch would touch, before anything is written. Default: allow all. */
  canWrite?: (absPath: string) => boolean;
  fs?: PatchFs;
}

export interface ApplyPatchResult {
  /** `Success. Updated the following files:` + A/M/D lines, newline-terminated. */
  summary: string;
  /** One per op, in patch order; absolute paths. */
  changes: FileChangeSummary[];
  /** Unified diff of every op, concatenated. */
  diff: string;
}

/** The parsed patch; a malformed one is an ApplyPatchError with the parser's message (what the model sees). */
function parseForApply(text: string): ParsedPatch {
  try {
    return parsePatch(text);
  } catch (err) {
    if (err instanceof PatchParseError) throw new ApplyPatchError(err.message);
    throw err;
  }
}

/**
 * Parse, plan and apply a patch atomically: either every op lands or the tree is left unchanged.
 * Throws ApplyPatchError whose message is the text to show the user/model.
 */
export async function applyPatch(text: string, options: ApplyPatchOptions): Promise<ApplyPatchResult> {
  const parsed = parseForApply(text);
  const fs = options.fs ?? nodePatchFs();
  const plan = await planPatch(parsed, { cwd: options.cwd, fs, canWrite: options.canWrite ?? (() => true) });
  await commitPlan(plan.files, fs);
  return {
    summary: formatSummary(plan.ops),
    changes: plan.ops.map((op) => op.change),
    diff: plan.ops.map((op) => op.diff).join(""),
  };
}

export interface PatchPreview {
  /** One per op, in patch order, each with its unified diff: what a person is asked to approve. */
  changes: FileChangeSummary[];
  /** The same without diffs (as applyPatch reports them). */
  plainChanges: FileChangeSummary[];
  summary: string;
  diff: string;
}

/**
 * Parse and plan a patch against the files as they are now, writing nothing: the changes with their diffs, the
 * summary the apply would print. Throws ApplyPatchError like applyPatch (parse errors included).
 */
export async function previewPatch(text: string, options: { cwd: string; fs?: PatchFs }): Promise<PatchPreview> {
  const parsed = parseForApply(text);
  const plan = await planPatch(parsed, { cwd: options.cwd, fs: options.fs ?? nodePatchFs(), canWrite: () => true });
  return {
    changes: plan.ops.map((op) => ({ ...op.change, unifiedDiff: op.diff })),
    plainChanges: plan.ops.map((op) => op.change),
    summary: formatSummary(plan.ops),
    diff: plan.ops.map((op) => op.diff).join(""),
  };
}

/** What a patch will touch, from a parse alone (no disk access): for the `patch_apply_begin` event and
 *  approval prompts. Throws PatchParseError for a malformed patch. */
export function planChangesPreview(text: string, options: { cwd: string }): FileChangeSummary[] {
  return parsePatch(text).ops.map((op): FileChangeSummary => {
    const abs = path.resolve(options.cwd, op.path);
    if (op.kind === "update" && op.movePath !== undefined) {
      const dest = path.resolve(options.cwd, op.movePath);
      if (dest !== abs) return { path: dest, kind: "update", movedFrom: abs };
    }
    return { path: abs, kind: op.kind };
  });
}

export function formatSummary(ops: readonly Pick<PlannedOp, "kind" | "displayPath">[]): string {
  const group = (kind: PlannedOp["kind"], letter: string) =>
    ops.filter((o) => o.kind === kind).map((o) => `${letter} ${o.displayPath}\n`);
  return ["Success. Updated the following files:\n", ...group("add", "A"), ...group("update", "M"), ...group("delete", "D")].join("");
}
