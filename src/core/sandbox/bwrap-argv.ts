import { realpathSync } from "node:fs";
import path from "node:path";
import { PROTECTED_SUBPATHS } from "./writable-paths.js";
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
  /** `--new-session` stops TIOCSTI injection into the caller's terminal; a pty session may turn it off. */
  newSession?: boolean;
  /** Path of the bwrap binary put in argv[0]. */
  bwrapPath?: string;
}

/** Paths inside a writable root that stay read-only: the repo's history/hooks and Codex's project config. */

/** Host sysctls and triggers; the sandbox shares the UTS/IPC namespaces, so writes here would reach the host. */
const PROC_READ_ONLY = ["/proc/sys", "/proc/sysrq-trigger", "/proc/irq", "/proc/bus", "/proc/fs"] as const;

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

/**
 * The argv that runs `command` under bubblewrap for `policy`; `danger-full-access` returns the command unchanged.
 * Mount order matters: the later mount wins, so the read-only root comes first and the protected subpaths last.
 */
export function buildBwrapArgv(command: string[], policy: SandboxPolicy, options: BwrapArgvOptions): string[] {
  if (policy.mode === "danger-full-access") return [...command];
  const resolve = options.resolvePath ?? realResolvePath;
  const argv = [options.bwrapPath ?? "bwrap", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc"];
  // bwrap only covers the /proc knobs it sees as writable at setup time, and as real root mapped to uid 0 it
  // misjudges /proc/sys: without these a sandboxed root could still write e.g. /proc/sys/kernel/hostname.
  for (const p of PROC_READ_ONLY) argv.push("--ro-bind-try", p, p);
  if (policy.mode === "workspace-write") {
    const roots = writableRealRoots(options.writableRoots ?? policy.writableRoots, resolve);
    for (const root of roots) argv.push("--bind", root, root);
    for (const root of roots) {
      for (const sub of PROTECTED_SUBPATHS) {
        const candidate = path.join(root, sub);
        const real = resolve(candidate);
        if (real !== undefined) argv.push("--ro-bind", real, real);
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
  return argv;
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
