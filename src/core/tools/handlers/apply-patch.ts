import * as path from "node:path";
import { z } from "zod";
import type { FileChangeSummary } from "../../../protocol/events.js";
import { isApprovedDecision } from "../../../protocol/policy.js";
import {
  APPLY_PATCH_LARK_GRAMMAR,
  ApplyPatchError,
  PatchParseError,
  applyPatch,
  planChangesPreview,
  type PatchFs,
} from "../../apply-patch/index.js";
import { isPathWritable } from "../../sandbox/writable-paths.js";
import { defineFreeformTool, defineTool, ToolError, type ToolContext, type ToolOutput } from "../contract.js";
import { isPersonRefusal } from "../../approval/contract.js";

const DESCRIPTION = [
  "Edit files by sending a patch in the apply_patch format. The patch starts with `*** Begin Patch` and ends",
  "with `*** End Patch`; in between, one or more file operations:",
  "`*** Add File: <path>` followed by the new file's lines, each prefixed with `+`;",
  "`*** Delete File: <path>`;",
  "`*** Update File: <path>`, optionally `*** Move to: <new path>`, then one or more hunks.",
  "A hunk starts with `@@` (optionally `@@ <a line near the change, such as a class or function signature>`),",
  "followed by lines prefixed with ` ` (unchanged context), `-` (remove) or `+` (add). Give about three lines",
  "of context above and below each change so it can be located; add `*** End of File` after a hunk that must",
  "match the end of the file. Paths are relative to the working directory (absolute paths also work).",
  "All operations are applied together or not at all.",
].join("\n");

export interface RunApplyPatchOptions {
  /** Directory the patch's relative paths resolve against (relative to ctx.cwd). */
  workdir?: string;
  /** For tests: an alternative filesystem port. */
  fs?: PatchFs;
}

/**
 * Apply a patch for a tool call (freeform tool, function tool, or an intercepted shell `apply_patch`):
 * asks for approval when the patch writes outside the sandbox's writable roots, emits
 * patch_apply_begin/end, and formats the model-facing output like an exec result.
 */
export async function runApplyPatch(patch: string, ctx: ToolContext, opts: RunApplyPatchOptions = {}): Promise<ToolOutput> {
  const started = Date.now();
  const cwd = opts.workdir === undefined ? ctx.cwd : path.resolve(ctx.cwd, opts.workdir);
  let changes: FileChangeSummary[];
  try {
    changes = planChangesPreview(patch, { cwd });
  } catch (err) {
    if (err instanceof PatchParseError) return execStyleOutput({ exitCode: 1, started, text: err.message });
    throw err;
  }
  const writable = (abs: string) => isPathWritable(abs, ctx.sandboxPolicy, { cwd: ctx.cwd, tmpdir: ctx.env.TMPDIR });
  const touched = changes.flatMap((c) => (c.movedFrom === undefined ? [c.path] : [c.movedFrom, c.path]));
  // The gate decides (untrusted asks for every patch; outside the writable roots it asks or refuses);
  // the engine still checks every path, unless a person approved writing outside the roots.
  const outcome = await ctx.approval.review({ kind: "patch", callId: ctx.callId, paths: touched, cwd }, { signal: ctx.signal });
  if (outcome.decision === "abort") throw ToolError.abortTurn("patch approval aborted");
  if (!isApprovedDecision(outcome.decision)) {
    return { content: isPersonRefusal(outcome) ? "patch rejected by user" : outcome.reason!, success: false };
  }
  const canWrite = touched.every(writable) ? writable : () => true;

  ctx.emit({ type: "patch_apply_begin", callId: ctx.callId, changes });
  try {
    const result = await applyPatch(patch, { cwd, canWrite, ...(opts.fs === undefined ? {} : { fs: opts.fs }) });
    ctx.emit({
      type: "patch_apply_end",
      callId: ctx.callId,
      changes: result.changes,
      success: true,
      diff: result.diff,
      output: result.summary,
    });
    return execStyleOutput({ exitCode: 0, started, text: result.summary });
  } catch (err) {
    const message = err instanceof ApplyPatchError ? err.message : `apply_patch failed: ${describe(err)}`;
    ctx.emit({ type: "patch_apply_end", callId: ctx.callId, changes, success: false, diff: "", output: message });
    return execStyleOutput({ exitCode: 1, started, text: message });
  }
}

function execStyleOutput(o: { exitCode: number; started: number; text: string }): ToolOutput {
  const seconds = ((Date.now() - o.started) / 1000).toFixed(1);
  const body = o.text.endsWith("\n") ? o.text : `${o.text}\n`;
  return { content: `Exit code: ${o.exitCode}\nWall time: ${seconds} seconds\nOutput:\n${body}`, success: o.exitCode === 0 };
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export const applyPatchFreeformTool = defineFreeformTool({
  name: "apply_patch",
  description: DESCRIPTION,
  grammar: APPLY_PATCH_LARK_GRAMMAR,
  isMutating: () => true,
  handle: (input, ctx) => runApplyPatch(input, ctx),
});

export const applyPatchFunctionTool = defineTool({
  name: "apply_patch",
  description: DESCRIPTION,
  args: z.object({ input: z.string().describe("The whole patch, from `*** Begin Patch` to `*** End Patch`.") }),
  isMutating: () => true,
  handle: ({ input }, ctx) => runApplyPatch(input, ctx),
});
