import type { ExecProcess, ExecRequest, ExecResult, ExecRunner, ExecStartRequest, OutputChunk } from "../exec/contract.js";
import { looksLikeSandboxDenial } from "../exec/sandbox-denial.js";
import { createBwrapLauncher, type BwrapLauncher, type BwrapLauncherDeps } from "./bwrap-launcher.js";

export interface SandboxedExecRunnerDeps extends Omit<BwrapLauncherDeps, "fdPassing"> {
  /** Share a launcher (and its single bwrap probe) between runners. */
  launcher?: BwrapLauncher;
}

type RunOptions = { signal: AbortSignal; onOutput?: (chunk: OutputChunk) => void };

/**
 * Wraps every request in bubblewrap according to `req.sandbox`. Inner runners spawn argv as given, so the fd for
 * the seccomp program reaches bwrap through a `/proc/<pid>/fd` shim rather than extra stdio slots: that works for
 * piped and pty children alike. If bwrap cannot be used, run/start reject with SandboxUnavailableError.
 */
export function createSandboxedExecRunner(inner: ExecRunner, deps: SandboxedExecRunnerDeps = {}): ExecRunner {
  const launcher = deps.launcher ?? createBwrapLauncher({ ...deps, fdPassing: "proc-path" });

  async function run(req: ExecRequest, options: RunOptions): Promise<ExecResult> {
    if (req.sandbox.mode === "danger-full-access") return inner.run(req, options);
    const wrapped = await launcher.wrap(req, req.sandbox);
    try {
      const result = await inner.run({ ...req, argv: wrapped.argv, env: wrapped.env }, options);
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
      const wrapped = await launcher.wrap(req, req.sandbox, { newSession: !req.tty });
      try {
        return await innerStart({ ...req, argv: wrapped.argv, env: wrapped.env }, options);
      } finally {
        await wrapped.cleanup?.();
      }
    };
  }
  return result;
}
