import type { ExecProcess, ExecRequest, ExecResult, ExecRunner, ExecStartRequest, OutputChunk } from "../exec/contract.js";
import { looksLikeSandboxDenial } from "../exec/sandbox-denial.js";
import { probeBwrap } from "./bwrap-probe.js";
import { createBwrapLauncher, type BwrapLauncher, type BwrapLauncherDeps, type FdPassing } from "./bwrap-launcher.js";

export interface SandboxedExecRunnerDeps extends Omit<BwrapLauncherDeps, "fdPassing"> {
  /**
   * "proc-path" (default) works with any inner runner: a `/bin/sh` shim opens the seccomp program via
   * `/proc/<pid>/fd/N`. "inherit" saves that extra exec but needs an inner runner that honours
   * `ExecRequest.extraFds`; tty sessions always use the shim (a pty cannot carry extra fds).
   */
  fdPassing?: FdPassing;
}

type RunOptions = { signal: AbortSignal; onOutput?: (chunk: OutputChunk) => void };

/**
 * Wraps every request in bubblewrap according to `req.sandbox` (danger-full-access goes to `inner` untouched).
 * If bwrap cannot be used, run/start reject with SandboxUnavailableError: nothing ever falls back to running
 * unsandboxed.
 */
export function createSandboxedExecRunner(inner: ExecRunner, deps: SandboxedExecRunnerDeps = {}): ExecRunner {
  const fdPassing = deps.fdPassing ?? "proc-path";
  const launcherFor = lazyLaunchers(deps);

  async function run(req: ExecRequest, options: RunOptions): Promise<ExecResult> {
    if (req.sandbox.mode === "danger-full-access") return inner.run(req, options);
    const wrapped = await launcherFor(fdPassing).wrap(req, req.sandbox);
    try {
      if (wrapped.extraFds && req.extraFds?.length) {
        throw new Error('sandboxed runner: a request with its own extraFds cannot use fdPassing "inherit"');
      }
      const extraFds = wrapped.extraFds ? { extraFds: wrapped.extraFds } : {};
      const result = await inner.run({ ...req, argv: wrapped.argv, env: wrapped.env, ...extraFds }, options);
      if (result.sandboxDenied === undefined && looksLikeSandboxDenial(result, req.sandbox)) {
        return { ...result, sandboxDenied: true };
      }
      return result;
    } finally {
      await wrapped.cleanup?.();
    }
  }

  const result: ExecRunner = { run };
  const innerStart = inner.start?.bind(inner);
  if (innerStart) {
    result.start = async (req: ExecStartRequest, options: RunOptions): Promise<ExecProcess> => {
      if (req.sandbox.mode === "danger-full-access") return innerStart(req, options);
      // A pty session needs its controlling terminal for job control; TIOCSTI there only reaches our own pty.
      const mode: FdPassing = req.tty ? "proc-path" : fdPassing;
      const wrapped = await launcherFor(mode).wrap(req, req.sandbox, { newSession: !req.tty });
      try {
        const extraFds = wrapped.extraFds ? { extraFds: wrapped.extraFds } : {};
        // The child holds its own copy of the fd once spawned, so ours can be closed right after start().
        return await innerStart({ ...req, argv: wrapped.argv, env: wrapped.env, ...extraFds }, options);
      } finally {
        await wrapped.cleanup?.();
      }
    };
  }
  return result;
}

/** One launcher per fd-passing mode, created on first use; both share a single bwrap probe. */
function lazyLaunchers(deps: SandboxedExecRunnerDeps): (mode: FdPassing) => BwrapLauncher {
  const launchers = new Map<FdPassing, BwrapLauncher>();
  let probe: ReturnType<NonNullable<BwrapLauncherDeps["probe"]>> | undefined;
  const sharedProbe: NonNullable<BwrapLauncherDeps["probe"]> = (path) => {
    probe ??= (deps.probe ?? probeBwrap)(path);
    return probe;
  };
  return (mode) => {
    let launcher = launchers.get(mode);
    if (!launcher) {
      launcher = createBwrapLauncher({ ...deps, fdPassing: mode, probe: sharedProbe });
      launchers.set(mode, launcher);
    }
    return launcher;
  };
}

