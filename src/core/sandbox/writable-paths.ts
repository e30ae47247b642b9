import path from "node:path";
import type { SandboxPolicy } from "../../protocol/policy.js";

// What a sandbox policy lets commands and patches write. One definition for the bwrap mounts, the
// patch approval check and the patch engine, so the three cannot drift apart.

/** Subfolders of every writable root that stay read-only (VCS and agent metadata). */
export const PROTECTED_SUBPATHS = [".git", ".agents", ".codex"] as const;

export function isWithin(child: string, root: string): boolean {
  const rel = path.relative(root, child);
  return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
}

/**
 * Whether `target` (absolute, or relative to `cwd`) is writable under `policy`: inside cwd, a writable
 * root, /tmp or `tmpdir` (each unless excluded) and not inside a protected subfolder of that root.
 */
export function isPathWritable(
  target: string,
  policy: SandboxPolicy,
  o: { cwd: string; tmpdir?: string },
): boolean {
  if (policy.mode === "danger-full-access") return true;
  if (policy.mode === "read-only") return false;
  const abs = path.resolve(o.cwd, target);
  const roots = [o.cwd, ...policy.writableRoots];
  if (!policy.excludeSlashTmp) roots.push("/tmp");
  if (!policy.excludeTmpdirEnvVar && o.tmpdir) roots.push(o.tmpdir);
  return roots
    .map((r) => path.resolve(o.cwd, r))
    .some((root) => isWithin(abs, root) && !PROTECTED_SUBPATHS.some((sub) => isWithin(abs, path.join(root, sub))));
}
