import type { ExecProcess, ExecRequest, ExecResult, ExecRunner, ExecStartRequest, OutputChunk } from "../exec/contract.js";
import { createParentDeathGuard, type ParentDeathGuard } from "../exec/parent-death.js";
import { looksLikeSandboxDenial } from "../exec/sandbox-denial.js";
import { probeBwrap } from "./bwrap-probe.js";
import { createBwrapLauncher, type BwrapLauncher, type BwrapLauncherDeps, type FdPassing } from "./bwrap-launcher.js";

export interface SandboxedExecRunnerDeps extends Omit<BwrapLauncherDeps, "fdPassing"> {
  /**
   * "inherit" hands bwrap the seccomp program as an extra fd and is the default when `inner.supportsExtraFds`.
   * "proc-path" (the default otherwise) works with any inner runner: a `/bin/sh` shim opens the program via
   * `/proc/<pid>/fd/N`, costing one extra exec. tty sessions always use the shim (a pty cannot carry extra fds).
   */
  fdPassing?: FdPassing;
  /** How an unsandboxed (danger-full-access) command is tied to this process's life. Default: setpriv --pdeathsig. */
  parentDeath?: ParentDeathGuard;
}

type RunOptions = { signal: AbortSignal; onOutput?: (chunk: OutputChunk) => void };

/**
 * Wraps every request in bubblewrap according to `req.sandbox` (danger-full-access goes to `inner` untouched).
 * If bwrap cannot be used, run/start reject with SandboxUnavailableError: nothing ever falls back to running
 * unsandboxed.
 */
export function createSandboxedExecRunner(inner: ExecRunner, deps: SandboxedExecRunnerDeps = {}): ExecRunner {
  const fdPassing: FdPassing = deps.fdPassing ?? (inner.supportsExtraFds === true ? "inherit" : "proc-path");
  const launchers = lazyLaunchers(deps);
  const launcherFor = launchers.get;
  // bwrap's --die-with-parent ends a sandboxed command with us; an unsandboxed one needs the same promise.
  const parentDeath = deps.parentDeath ?? createParentDeathGuard();
  const unsandboxed = <R extends ExecRequest>(req: R): R => ({ ...req, argv: parentDeath.wrap(req.argv) });

  async function run(req: ExecRequest, options: RunOptions): Promise<ExecResult> {
    if (req.sandbox.mode === "danger-full-access") return inner.run(unsandboxed(req), options);
    rejectOwnExtraFds(req);
    const wrapped = await launcherFor(fdPassing).wrap(req, req.sandbox);
    try {
      const extraFds = wrapped.extraFds ? { extraFds: wrapped.extraFds } : {};
      const result = await inner.run({ ...req, argv: wrapped.argv, env: wrapped.env, ...extraFds }, options);
      if (result.sandboxDenied === undefined && looksLikeSandboxDenial(result, req.sandbox)) {
        return { ...result, sandboxDenied: true };
      }
      return result;
    } finally {
      await wrapped.cleanup?.();
      wrapped.afterExit?.();
    }
  }

  const result: ExecRunner = {
    run,
    dispose() {
      launchers.dispose();
      inner.dispose?.();
    },
  };
  const innerStart = inner.start?.bind(inner);
  if (innerStart) {
    result.start = async (req: ExecStartRequest, options: RunOptions): Promise<ExecProcess> => {
      if (req.sandbox.mode === "danger-full-access") return innerStart(unsandboxed(req), options);
      rejectOwnExtraFds(req);
      // A pty session needs its controlling terminal for job control; TIOCSTI there only reaches our own pty.
      const mode: FdPassing = req.tty ? "proc-path" : fdPassing;
      const wrapped = await launcherFor(mode).wrap(req, req.sandbox, { newSession: !req.tty });
      let proc: ExecProcess;
      try {
        const extraFds = wrapped.extraFds ? { extraFds: wrapped.extraFds } : {};
        // The child holds its own copy of the fd once spawned, so ours can be closed right after start().
        proc = await innerStart({ ...req, argv: wrapped.argv, env: wrapped.env, ...extraFds }, options);
      } catch (err) {
        wrapped.afterExit?.();
        throw err;
      } finally {
        await wrapped.cleanup?.();
      }
      return wrapped.afterExit === undefined ? proc : releasingOnExit(proc, wrapped.afterExit);
    };
  }
  return result;
}

/** The same process, whose `exited` settles only after the sandbox's placeholder folders were released. */
function releasingOnExit(proc: ExecProcess, afterExit: () => void): ExecProcess {
  const exited = proc.exited.finally(afterExit);
  return {
    get pid() {
      return proc.pid;
    },
    tty: proc.tty,
    write: (data) => proc.write(data),
    closeStdin: () => proc.closeStdin?.(),
    resize: (size) => proc.resize?.(size) ?? false,
    exited,
    get spoolPath() {
      return proc.spoolPath;
    },
    kill: (o) => proc.kill(o),
  };
}

/** The seccomp program owns fd 3 in the sandbox (either way it is passed), so a caller's own fds have no slot. */
function rejectOwnExtraFds(req: ExecRequest): void {
  if (req.extraFds?.length) throw new Error("sandboxed runner: requests with their own extraFds are not supported");
}

/** One launcher per fd-passing mode, created on first use; both share a single bwrap probe. */
function lazyLaunchers(deps: SandboxedExecRunnerDeps): { get(mode: FdPassing): BwrapLauncher; dispose(): void } {
  const launchers = new Map<FdPassing, BwrapLauncher>();
  let probe: ReturnType<NonNullable<BwrapLauncherDeps["probe"]>> | undefined;
  const sharedProbe: NonNullable<BwrapLauncherDeps["probe"]> = (path) => {
    probe ??= (deps.probe ?? probeBwrap)(path);
    return probe;
  };
  return {
    get(mode) {
      let launcher = launchers.get(mode);
      if (!launcher) {
        launcher = createBwrapLauncher({ ...deps, fdPassing: mode, probe: sharedProbe });
        launchers.set(mode, launcher);
      }
      return launcher;
    },
    // Their seccomp program fds; a later wrap opens them again.
    dispose() {
      for (const launcher of launchers.values()) launcher.dispose();
    },
  };
}

