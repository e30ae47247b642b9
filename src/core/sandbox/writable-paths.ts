import { lstatSync, readlinkSync, realpathSync, statSync } from "node:fs";
import path from "node:path";
import type { SandboxPolicy } from "../../protocol/policy.js";

// What a sandbox policy lets commands and patches write. One definition for the bwrap mounts, the
// patch approval check and the patch engine, so the three cannot drift apart.

/** Subfolders of every writable root that stay read-only (VCS and agent metadata), whether they exist or not. */
export const PROTECTED_SUBPATHS = [".git", ".agents", ".codex"] as const;

/** The filesystem facts the rule needs; injected so argv builders and tests stay pure. */
export interface PathProbe {
  /** Real path (symlinks resolved) of an existing path, else undefined. */
  realpath(p: string): string | undefined;
  /** True when `p` itself is a symbolic link (dangling or not). */
  isSymlink(p: string): boolean;
  /** Link text of a symlink, else undefined. */
  readlink(p: string): string | undefined;
  /** True when the link `p` cannot be removed or renamed by this process's user without privileges: its
   *  directory is sticky and neither the link nor the directory is that user's (another user's link in /tmp).
   *  Absent: no link is pinned. */
  isPinnedLink?(p: string): boolean;
}

export const realPathProbe: PathProbe = {
  realpath: (p) => {
    try {
      return realpathSync(p);
    } catch {
      return undefined;
    }
  },
  isSymlink: (p) => {
    try {
      return lstatSync(p).isSymbolicLink();
    } catch {
      return false;
    }
  },
  readlink: (p) => {
    try {
      return readlinkSync(p);
    } catch {
      return undefined;
    }
  },
  isPinnedLink: (p) => {
    const uid = process.getuid?.();
    if (uid === undefined) return false;
    try {
      const link = lstatSync(p);
      const dir = statSync(path.dirname(p));
      // The kernel's sticky-directory rule; a sandboxed command has no capabilities to override it.
      return (dir.mode & 0o1000) !== 0 && link.uid !== uid && dir.uid !== uid;
    } catch {
      return false;
    }
  },
};

export function isWithin(child: string, root: string): boolean {
  const rel = path.relative(root, child);
  return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
}

/**
 * Where a write to `target` (absolute) really lands: the real path of its deepest existing ancestor with the
 * rest appended, following dangling symlinks too. This is the path the kernel would write, not the one written.
 */
export function resolveRealPath(target: string, probe: PathProbe = realPathProbe, depth = 0): string {
  const abs = path.resolve(target);
  const real = probe.realpath(abs);
  if (real !== undefined) return real;
  const parent = path.dirname(abs);
  if (parent === abs) return abs;
  const realParent = resolveRealPath(parent, probe, depth);
  const here = path.join(realParent, path.basename(abs));
  // A dangling link: the write would create its target.
  const link = depth < 40 && probe.isSymlink(here) ? probe.readlink(here) : undefined;
  return link === undefined ? here : resolveRealPath(path.resolve(realParent, link), probe, depth + 1);
}

/** Where the directory entry `target` itself really is (its parent resolved, the last component kept): what an
 *  unlink or rename of `target` changes, as opposed to a write through it. */
export function resolveRealEntry(target: string, probe: PathProbe = realPathProbe): string {
  const abs = path.resolve(target);
  const parent = path.dirname(abs);
  return parent === abs ? abs : path.join(resolveRealPath(parent, probe), path.basename(abs));
}

/** How a protected subpath of a writable root is kept read-only in the sandbox. */
export type ProtectedSubpath =
  /** Exists (directory or file): bind it read-only onto itself. */
  | { kind: "present"; path: string }
  /** Does not exist: cover it with an empty read-only placeholder so it cannot be created. */
  | { kind: "missing"; path: string }
  /** A symlink: it could be swapped for a real folder, so the sandbox refuses to run (fail closed). */
  | { kind: "symlink"; path: string; target?: string };

// Another user's link in a sticky directory (a `/tmp/.codex` planted by someone else) is not listed at all: nobody
// without privileges can swap it, so it is not this user's metadata to protect, and refusing every sandboxed
// command because of it would let any local user stop everyone's sandbox. A write through it is judged where it
// lands, like any other path.

/** The protected subpaths of each (real) writable root: the one rule the mounts and the patch check share. */
export function protectedSubpaths(realRoots: readonly string[], probe: PathProbe = realPathProbe): ProtectedSubpath[] {
  const out: ProtectedSubpath[] = [];
  for (const root of realRoots) {
    for (const sub of PROTECTED_SUBPATHS) {
      const p = path.join(root, sub);
      if (probe.isSymlink(p)) {
        if (probe.isPinnedLink?.(p) === true) continue;
        const target = probe.realpath(p);
        out.push(target === undefined ? { kind: "symlink", path: p } : { kind: "symlink", path: p, target });
      } else if (probe.realpath(p) !== undefined) out.push({ kind: "present", path: p });
      else out.push({ kind: "missing", path: p });
    }
  }
  return out;
}

/** Writable roots of a policy as written (cwd, extra roots, /tmp and $TMPDIR unless excluded). */
function policyRoots(policy: Extract<SandboxPolicy, { mode: "workspace-write" }>, o: { cwd: string; tmpdir?: string }): string[] {
  const roots = [o.cwd, ...policy.writableRoots];
  if (!policy.excludeSlashTmp) roots.push("/tmp");
  if (!policy.excludeTmpdirEnvVar && o.tmpdir) roots.push(o.tmpdir);
  return roots.map((r) => path.resolve(o.cwd, r));
}

/**
 * Whether `target` (absolute, or relative to `cwd`) is writable under `policy`, judged on the path as given:
 * inside cwd, a writable root, /tmp or `tmpdir` (each unless excluded) and not inside a protected subfolder of
 * that root (existing or not). Callers that face links use isRealPathWritable.
 */
export function isPathWritable(
  target: string,
  policy: SandboxPolicy,
  o: { cwd: string; tmpdir?: string },
): boolean {
  if (policy.mode === "danger-full-access") return true;
  if (policy.mode === "read-only") return false;
  return insideRootsOutsideProtected(path.resolve(o.cwd, target), policyRoots(policy, o));
}

/** Inside some root, and inside no protected subpath of any root (a nested root's `.git` stays protected even
 *  though the parent root, e.g. /tmp, also contains it: the mounts protect it too). */
function insideRootsOutsideProtected(abs: string, roots: readonly string[]): boolean {
  const inRoots = roots.filter((root) => isWithin(abs, root));
  return inRoots.length > 0 && !inRoots.some((root) => PROTECTED_SUBPATHS.some((sub) => isWithin(abs, path.join(root, sub))));
}

/**
 * Whether a write to `target` is allowed once links are followed: the real destination must be writable under
 * the real roots, and must not be (inside) the target of a protected subpath that is a symlink.
 */
export function isRealPathWritable(
  target: string,
  policy: SandboxPolicy,
  o: { cwd: string; tmpdir?: string; probe?: PathProbe },
): boolean {
  if (policy.mode !== "workspace-write") return isPathWritable(target, policy, o);
  const probe = o.probe ?? realPathProbe;
  const real = resolveRealPath(path.resolve(o.cwd, target), probe);
  const roots = [...new Set(policyRoots(policy, o).map((r) => resolveRealPath(r, probe)))];
  if (!insideRootsOutsideProtected(real, roots)) return false;
  return !protectedSubpaths(roots, probe).some((p) => p.kind === "symlink" && p.target !== undefined && isWithin(real, p.target));
}
