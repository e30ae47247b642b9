import { accessSync, constants as fsConstants, realpathSync } from "node:fs";
import path from "node:path";
import { protectedSubpaths, realPathProbe, type PathProbe } from "./writable-paths.js";
import type { SandboxPolicy } from "../../protocol/policy.js";

/** Resolves a path through symlinks; undefined when it does not exist. Injected so the builder stays pure. */
export type ResolvePath = (p: string) => string | undefined;

export interface BwrapArgvOptions {
  cwd: string;
  /** Child fd number holding the seccomp program (see seccomp.ts). Omitted: no `--seccomp`. */
  seccompFd?: number;
  /** Overrides the policy's writable roots (workspace-write only). */
  writableRoots?: string[];
  /** Defaults to fs.realpathSync. */
  resolvePath?: ResolvePath;
  /** Whether a path is itself a symlink; defaults to fs.lstatSync. */
  isSymlink?: (p: string) => boolean;
  /** Whether a symlink is another user's in a sticky directory (see PathProbe.isPinnedLink); defaults to lstat/stat. */
  isPinnedLink?: (p: string) => boolean;
  /** Existing paths that are another sandbox's placeholders (empty folders we created): covered again, not bound. */
  isPlaceholder?: (p: string) => boolean;
  /** Whether this user may create entries in a directory; defaults to access(W_OK). Where it may not, neither
   *  may the sandbox, so a missing protected path there needs no placeholder (bwrap could not make one). */
  canCreateIn?: (dir: string) => boolean;
  /** `--new-session` stops TIOCSTI injection into the caller's terminal; a pty session may turn it off. */
  newSession?: boolean;
  /** Path of the bwrap binary put in argv[0]. */
  bwrapPath?: string;
}


/** Host sysctls and triggers; the sandbox shares the UTS/IPC namespaces, so writes here would reach the host. */
const PROC_READ_ONLY = ["/proc/sys", "/proc/sysrq-trigger", "/proc/irq", "/proc/bus", "/proc/fs"] as const;

function hostCanCreateIn(dir: string): boolean {
  try {
    accessSync(dir, fsConstants.W_OK);
    return true;
  } catch {
    return false;
  }
}

export const realResolvePath: ResolvePath = (p) => {
  try {
    return realpathSync(p);
  } catch {
    return undefined;
  }
};

export function policyAllowsNetwork(policy: SandboxPolicy): boolean {
  return policy.mode === "danger-full-access" ? true : policy.networkAccess;
}

/** A protected subpath that is a symlink: it could be swapped for a real folder, so nothing runs sandboxed. */
export class ProtectedSymlinkError extends Error {
  constructor(readonly path: string) {
    super(`sandbox refused: ${path} is a symbolic link; .git, .codex and .agents in a writable root must be real folders or absent`);
    this.name = "ProtectedSymlinkError";
  }
}

export interface BwrapCommand {
  argv: string[];
  /** Missing protected paths covered by an empty read-only tmpfs; bwrap creates each as an empty host directory,
   *  which the caller removes once the sandbox is gone (see mount-placeholders.ts). */
  placeholders: string[];
}

/**
 * The argv that runs `command` under bubblewrap for `policy`; `danger-full-access` returns the command unchanged.
 * Mount order matters: the later mount wins, so the read-only root comes first and the protected subpaths last.
 * Throws ProtectedSymlinkError when a protected subpath of a writable root is a symlink this user could swap.
 */
export function buildBwrapCommand(command: string[], policy: SandboxPolicy, options: BwrapArgvOptions): BwrapCommand {
  if (policy.mode === "danger-full-access") return { argv: [...command], placeholders: [] };
  const resolve = options.resolvePath ?? realResolvePath;
  const probe: PathProbe = {
    realpath: resolve,
    isSymlink: options.isSymlink ?? realPathProbe.isSymlink,
    readlink: realPathProbe.readlink,
    isPinnedLink: options.isPinnedLink ?? realPathProbe.isPinnedLink,
  };
  const placeholders: string[] = [];
  const argv = [options.bwrapPath ?? "bwrap", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc"];
  // bwrap only covers the /proc knobs it sees as writable at setup time, and as real root mapped to uid 0 it
  // misjudges /proc/sys: without these a sandboxed root could still write e.g. /proc/sys/kernel/hostname.
  for (const p of PROC_READ_ONLY) argv.push("--ro-bind-try", p, p);
  if (policy.mode === "workspace-write") {
    const roots = writableRealRoots(options.writableRoots ?? policy.writableRoots, resolve);
    for (const root of roots) argv.push("--bind", root, root);
    for (const sub of protectedSubpaths(roots, probe)) {
      if (sub.kind === "symlink") throw new ProtectedSymlinkError(sub.path);
      if (sub.kind === "present" && !(options.isPlaceholder?.(sub.path) ?? false)) argv.push("--ro-bind", sub.path, sub.path);
      else if (sub.kind === "missing" && !(options.canCreateIn ?? hostCanCreateIn)(path.dirname(sub.path))) continue;
      else {
        // An empty read-only folder in its place: mkdir, writes inside and renames onto it all fail (EROFS/EBUSY),
        // and git still walks past an empty `.git` to a parent repository.
        argv.push("--tmpfs", sub.path, "--remount-ro", sub.path);
        placeholders.push(sub.path);
      }
    }
  }
  // IPC and UTS too: host SysV shared memory owned by root would otherwise be attachable from inside.
  argv.push("--unshare-user", "--unshare-pid", "--unshare-ipc", "--unshare-uts");
  if (!policyAllowsNetwork(policy)) argv.push("--unshare-net");
  argv.push("--cap-drop", "ALL", "--die-with-parent");
  if (options.newSession ?? true) argv.push("--new-session");
  argv.push("--chdir", options.cwd);
  if (options.seccompFd !== undefined) argv.push("--seccomp", String(options.seccompFd));
  argv.push("--", ...command);
  return { argv, placeholders };
}

/** buildBwrapCommand's argv alone. */
export function buildBwrapArgv(command: string[], policy: SandboxPolicy, options: BwrapArgvOptions): string[] {
  return buildBwrapCommand(command, policy, options).argv;
}

/**
 * Existing roots by their real path, deduplicated, parents before children so a nested bind is not hidden.
 * "/" is dropped: binding it would cover the fresh /dev and /proc; use danger-full-access for that.
 */
export function writableRealRoots(roots: string[], resolve: ResolvePath): string[] {
  const seen = new Set<string>();
  for (const root of roots) {
    if (!path.isAbsolute(root)) continue;
    const real = resolve(root);
    if (real !== undefined && real !== "/") seen.add(real);
  }
  return [...seen].sort((a, b) => a.split("/").length - b.split("/").length || a.localeCompare(b));
}
