import path from "node:path";
import type { AskForApproval, SandboxPolicy } from "../../protocol/policy.js";
import type { Assessment } from "./assessment.js";

// Whether an apply_patch may write without asking: only when every touched path sits inside a
// writable root of the sandbox (or the sandbox is off). `.git` and `.codex` inside a root stay
// read-only, as they do in the sandbox itself.

const PROTECTED_SUBDIRS = [".git", ".codex", ".agents"];
const OUTSIDE_PROJECT = "writing outside of the project; rejected by user approval settings";
const READ_ONLY = "writing is blocked by read-only sandbox; rejected by user approval settings";

function isWithin(child: string, root: string): boolean {
  const rel = path.relative(root, child);
  return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
}

/** The directories a patch may write to under `sandbox`, for a patch run from `cwd`. */
export function writableRoots(sandbox: SandboxPolicy, cwd: string): string[] {
  if (sandbox.mode !== "workspace-write") return [];
  const roots = [cwd, ...sandbox.writableRoots];
  if (!sandbox.excludeSlashTmp) roots.push("/tmp");
  return roots.map((r) => path.resolve(r));
}

export function isPathWritable(target: string, sandbox: SandboxPolicy, cwd: string): boolean {
  if (sandbox.mode === "danger-full-access") return true;
  const abs = path.resolve(cwd, target);
  return writableRoots(sandbox, cwd).some(
    (root) =>
      isWithin(abs, root) &&
      !PROTECTED_SUBDIRS.some((sub) => isWithin(abs, path.join(root, sub))),
  );
}

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
  const inside = action.paths.every((p) => isPathWritable(p, sandbox, action.cwd));
  // on-failure lets the sandbox itself be the judge, as Codex does.
  if (inside || policy === "on-failure") return { kind: "auto", sandboxed };
  if (policy === "never") {
    const reason = sandbox.mode === "read-only" ? READ_ONLY : OUTSIDE_PROJECT;
    return { kind: "reject", reason };
  }
  return { kind: "ask" };
}
