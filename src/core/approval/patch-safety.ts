import path from "node:path";
import type { AskForApproval, SandboxPolicy } from "../../protocol/policy.js";
import { isPathWritable } from "../sandbox/writable-paths.js";
import type { Assessment } from "./assessment.js";

// Whether an apply_patch may write without asking: only when every touched path sits inside a
// writable root of the sandbox (or the sandbox is off); sandbox/writable-paths.ts says which those are.

const OUTSIDE_PROJECT = "writing outside of the project; rejected by user approval settings";
const READ_ONLY = "writing is blocked by read-only sandbox; rejected by user approval settings";

export function assessPatch(
  action: { paths: readonly string[]; cwd: string },
  policy: AskForApproval,
  sandbox: SandboxPolicy,
  options: { sessionApprovedPaths?: ReadonlySet<string> } = {},
): Assessment {
  if (action.paths.length === 0) return { kind: "reject", reason: "empty patch" };
  const sandboxed = sandbox.mode !== "danger-full-access";
  const approved = options.sessionApprovedPaths;
  if (approved !== undefined && action.paths.every((p) => approved.has(path.resolve(action.cwd, p)))) {
    return { kind: "auto", sandboxed };
  }
  if (policy === "untrusted") return { kind: "ask" };
  const inside = action.paths.every((p) => isPathWritable(p, sandbox, { cwd: action.cwd }));
  // on-failure lets the sandbox itself be the judge, as Codex does.
  if (inside || policy === "on-failure") return { kind: "auto", sandboxed };
  if (policy === "never") {
    const reason = sandbox.mode === "read-only" ? READ_ONLY : OUTSIDE_PROJECT;
    return { kind: "reject", reason };
  }
  return { kind: "ask" };
}
