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
  previewPatch,
  type PatchFs,
  type PatchPreview,
} from "../../apply-patch/index.js";
import { applyPatchInSandbox, findPatchEngine } from "../../sandbox/patch-engine.js";
import { isRealPathWritable, resolveRealEntry, resolveRealPath } from "../../sandbox/writable-paths.js";
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
  /** For tests: an alternative filesystem port (planning, and applies that run in this process). */
  fs?: PatchFs;
}

const NO_ENGINE = "apply_patch: the sandboxed patch engine (apply_patch.js) was not found on PATH; nothing was changed";

/**
 * Apply a patch for a tool call (freeform tool, function tool, or an intercepted shell `apply_patch`):
 * plans it, asks the gate (with every file's diff) when the policy wants a person, emits patch_apply_begin/end,
 * and formats the model-facing output like an exec result.
 *
 * Where it is written: under the sandbox the engine runs as a sandboxed command (the mounts decide, symlinks and
 * races included); a person's approval to write outside the roots lets this process write exactly the approved
 * real paths; danger-full-access writes in process.
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
  const fsOption = opts.fs === undefined ? {} : { fs: opts.fs };
  let preview: PatchPreview | ApplyPatchError;
  try {
    preview = await previewPatch(patch, { cwd, ...fsOption });
  } catch (err) {
    if (!(err instanceof ApplyPatchError)) throw err;
    preview = err;
  }
  // Paths as the kernel would resolve them (links followed): what the gate judges and a person approves.
  // A delete, or a move's source, only unlinks the entry: a link pointing outside may go.
  const realTouched = [
    ...new Set(
      changes.flatMap((c) => [
        ...(c.movedFrom === undefined ? [] : [resolveRealEntry(c.movedFrom)]),
        c.kind === "delete" ? resolveRealEntry(c.path) : resolveRealPath(c.path),
      ]),
    ),
  ];
  // The gate judges against the turn's cwd, not the patch's workdir: a `cd /elsewhere && apply_patch` must not
  // make /elsewhere count as a writable root.
  const outcome = await ctx.approval.review(
    {
      kind: "patch",
      callId: ctx.callId,
      paths: realTouched,
      cwd: ctx.cwd,
      changes: preview instanceof ApplyPatchError ? changes : preview.changes,
    },
    { signal: ctx.signal },
  );
  if (outcome.decision === "abort") throw ToolError.abortTurn("patch approval aborted");
  if (!isApprovedDecision(outcome.decision)) {
    return { content: isPersonRefusal(outcome) ? "patch rejected by user" : outcome.reason!, success: false };
  }

  ctx.emit({ type: "patch_apply_begin", callId: ctx.callId, changes });
  const fail = (message: string): ToolOutput => {
    ctx.emit({ type: "patch_apply_end", callId: ctx.callId, changes, success: false, diff: "", output: message });
    return execStyleOutput({ exitCode: 1, started, text: message });
  };
  const succeed = (done: { summary: string; changes: FileChangeSummary[]; diff: string }): ToolOutput => {
    ctx.emit({
      type: "patch_apply_end",
      callId: ctx.callId,
      changes: done.changes,
      success: true,
      diff: done.diff,
      output: done.summary,
    });
    return execStyleOutput({ exitCode: 0, started, text: done.summary });
  };
  if (preview instanceof ApplyPatchError) return fail(preview.message);

  const sandboxed = ctx.sandboxPolicy.mode !== "danger-full-access" && outcome.sandboxed && !approvedOutsideRoots(realTouched, ctx);
  if (sandboxed) {
    const command = findPatchEngine(ctx.env);
    if (command === undefined) return fail(NO_ENGINE);
    const applied = await applyPatchInSandbox({
      command,
      patch,
      cwd,
      env: ctx.env,
      sandbox: ctx.sandboxPolicy,
      exec: ctx.exec,
      signal: ctx.signal,
    });
    if (!applied.ok) return fail(applied.message);
    return succeed({ summary: applied.summary, changes: preview.plainChanges, diff: preview.diff });
  }
  // In process: anything under danger-full-access; otherwise exactly the real paths that were approved.
  const approved = new Set(realTouched);
  const canWrite =
    ctx.sandboxPolicy.mode === "danger-full-access"
      ? () => true
      : (abs: string) => approved.has(resolveRealPath(abs)) || approved.has(resolveRealEntry(abs));
  try {
    return succeed(await applyPatch(patch, { cwd, canWrite, ...fsOption }));
  } catch (err) {
    return fail(err instanceof ApplyPatchError ? err.message : `apply_patch failed: ${describe(err)}`);
  }
}

/**
 * True when the gate approved a patch whose real paths leave the writable roots (judged, like the gate, against
 * the turn's cwd): under on-request and untrusted only a person can have approved that (now or for the session),
 * and their approval covers those exact paths. Under on-failure the sandbox is the judge and the write is meant
 * to fail; never refuses. The gate reports a person's patch approval as `sandboxed: true` today.
 */
function approvedOutsideRoots(realTouched: readonly string[], ctx: ToolContext): boolean {
  if (ctx.approvalPolicy !== "on-request" && ctx.approvalPolicy !== "untrusted") return false;
  const o = { cwd: resolveRealPath(ctx.cwd), ...(ctx.env.TMPDIR ? { tmpdir: ctx.env.TMPDIR } : {}) };
  return !realTouched.every((p) => isRealPathWritable(p, ctx.sandboxPolicy, o));
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
