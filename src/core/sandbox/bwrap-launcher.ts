import { closeSync, openSync } from "node:fs";
import { tmpdir } from "node:os";
import type { SandboxPolicy } from "../../protocol/policy.js";
import { buildBwrapCommand, policyAllowsNetwork, realResolvePath, writableRealRoots, type ResolvePath } from "./bwrap-argv.js";
import { createPlaceholderRegistry, type PlaceholderRegistry } from "./mount-placeholders.js";
import { findBwrap, probeBwrap, SandboxUnavailableError, type BwrapProbeResult } from "./bwrap-probe.js";
import { pickCacheRoot, writableCacheEnv } from "./cache-env.js";
import { buildSeccompFilter, type SeccompArch } from "./seccomp.js";
import { openSeccompProgramFd } from "./seccomp-fd.js";

/**
 * How bwrap receives the seccomp fd.
 * - "inherit": the caller spawns with `stdio: [in, out, err, ...extraFds]`, so extraFds[0] is fd 3 in the child.
 * - "proc-path": a `/bin/sh` shim opens `/proc/<our pid>/fd/N` as fd 3 and execs bwrap; works with any runner
 *   (including a pty), costs one extra exec.
 */
export type FdPassing = "inherit" | "proc-path";

export interface BwrapLauncherDeps {
  /** Default: `bwrap` found on `pathEnv`. */
  bwrapPath?: string;
  /** PATH used to find bwrap. Default: process.env.PATH. */
  pathEnv?: string;
  fdPassing?: FdPassing;
  arch?: SeccompArch;
  resolvePath?: ResolvePath;
  /** Temp dirs whose writable-root status makes them the cache base. Default: $TMPDIR (of req.env) and /tmp. */
  tmpDirs?: (env: Record<string, string>) => string[];
  /** Injected for tests. */
  probe?: (bwrapPath: string | undefined) => Promise<BwrapProbeResult>;
  /** Our pid, for the proc-path shim. */
  pid?: number;
  /** Tracks the placeholder folders of missing protected paths. Default: markers under /dev/shm. */
  placeholders?: PlaceholderRegistry;
}

export interface WrapRequest {
  argv: string[];
  cwd: string;
  env: Record<string, string>;
}

export interface WrappedCommand {
  argv: string[];
  env: Record<string, string>;
  /** Fds the child must get at 3, 4, … (only with fdPassing "inherit"). */
  extraFds?: number[];
  /** Closes per-spawn fds; call once the child has been spawned (or failed to spawn). */
  cleanup?: () => Promise<void>;
  /** Removes the placeholder folders this sandbox needed; call once the sandboxed process has exited. */
  afterExit?: () => void;
}

export interface BwrapLauncher {
  /** Rejects with SandboxUnavailableError when bwrap is missing or unusable; never returns an unsandboxed argv
   *  except for danger-full-access. */
  wrap(req: WrapRequest, policy: SandboxPolicy, options?: { newSession?: boolean }): Promise<WrappedCommand>;
  /** Closes the cached seccomp program fds. */
  dispose(): void;
}

export function createBwrapLauncher(deps: BwrapLauncherDeps = {}): BwrapLauncher {
  const bwrapPath = deps.bwrapPath ?? findBwrap(deps.pathEnv ?? process.env.PATH);
  const fdPassing = deps.fdPassing ?? "proc-path";
  const resolve = deps.resolvePath ?? realResolvePath;
  const probe = deps.probe ?? probeBwrap;
  const pid = deps.pid ?? process.pid;
  const registry = deps.placeholders ?? createPlaceholderRegistry();
  const tmpDirs =
    deps.tmpDirs ?? ((env: Record<string, string>) => [env.TMPDIR || tmpdir(), "/tmp"]);
  // Per-launcher, not per-module: each launcher probes once and owns its two program fds.
  let probed: Promise<BwrapProbeResult> | undefined;
  const programFds = new Map<boolean, number>();

  const programFd = (allowNetwork: boolean): number => {
    let fd = programFds.get(allowNetwork);
    if (fd === undefined) {
      fd = openSeccompProgramFd(buildSeccompFilter({ allowNetwork, arch: deps.arch }));
      programFds.set(allowNetwork, fd);
    }
    return fd;
  };

  async function wrap(req: WrapRequest, policy: SandboxPolicy, options: { newSession?: boolean } = {}): Promise<WrappedCommand> {
    if (policy.mode === "danger-full-access") return { argv: [...req.argv], env: { ...req.env } };
    probed ??= probe(bwrapPath);
    const status = await probed;
    if (!status.ok || bwrapPath === undefined) {
      throw new SandboxUnavailableError(status.ok ? "bwrap not found on PATH" : status.reason);
    }
    const allowNetwork = policyAllowsNetwork(policy);
    const env = { ...req.env };
    if (!allowNetwork) env.CODEX_SANDBOX_NETWORK_DISABLED = "1";
    if (policy.mode === "workspace-write") {
      const roots = writableRealRoots(policy.writableRoots, resolve);
      const tmpReal = tmpDirs(req.env).map((d) => resolve(d)).filter((d): d is string => d !== undefined);
      Object.assign(env, writableCacheEnv({ env: req.env, writableRoots: roots, cacheRoot: pickCacheRoot(roots, tmpReal) }));
    }
    const master = programFd(allowNetwork);
    const bwrapOptions = {
      cwd: req.cwd,
      seccompFd: 3,
      resolvePath: resolve,
      newSession: options.newSession,
      bwrapPath,
      isPlaceholder: (p: string) => registry.isPlaceholder(p),
    };
    // Judged and registered under the registry's lock: another sandbox's placeholder cannot vanish in between.
    const { planned: built, release } = registry.plan(() => buildBwrapCommand(req.argv, policy, bwrapOptions));
    const afterExit = built.placeholders.length > 0 ? { afterExit: release } : {};
    if (fdPassing === "inherit") {
      // A fresh open file description per spawn: bwrap reads to EOF, so a shared offset would starve the next run.
      const fd = openSync(`/proc/self/fd/${master}`, "r");
      let closed = false;
      return {
        argv: built.argv,
        env,
        ...afterExit,
        extraFds: [fd],
        cleanup: async () => {
          if (closed) return;
          closed = true;
          closeSync(fd);
        },
      };
    }
    return { argv: ["/bin/sh", "-c", 'exec "$@" 3<"$0"', `/proc/${pid}/fd/${master}`, ...built.argv], env, ...afterExit };
  }

  return {
    wrap,
    dispose(): void {
      for (const fd of programFds.values()) closeSync(fd);
      programFds.clear();
    },
  };
}
