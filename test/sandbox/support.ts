import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { ExecResult, ExecRunner } from "../../src/core/exec/contract.js";
import { createLocalExecRunner } from "../../src/core/exec/local-runner.js";
import { BWRAP_REQUIRED_MESSAGE, findBwrap, probeBwrap } from "../../src/core/sandbox/bwrap-probe.js";
import { createSandboxedExecRunner } from "../../src/core/sandbox/sandboxed-runner.js";
import type { SandboxPolicy } from "../../src/protocol/policy.js";

/** Fails (never skips) when the machine cannot run the sandbox, naming the fix. */
export async function requireBwrap(): Promise<string> {
  const bwrap = findBwrap(process.env.PATH);
  const status = await probeBwrap(bwrap);
  if (!status.ok || bwrap === undefined) throw new Error(`${BWRAP_REQUIRED_MESSAGE}: ${status.ok ? "" : status.reason}`);
  return bwrap;
}

/** The interpreter behind the python3 on PATH (pyenv shims cost a second per start). */
export function realPython(): string {
  return execFileSync("python3", ["-c", "import sys; print(sys.executable)"], { encoding: "utf8" }).trim();
}

export interface Workspace {
  /** Real path of the workspace (cwd and writable root). */
  ws: string;
  /** A directory outside every writable root (not under /tmp). */
  outside: string;
  policy(options?: { networkAccess?: boolean }): SandboxPolicy;
  cleanup(): void;
}

export function makeWorkspace(): Workspace {
  const ws = realpathSync(mkdtempSync(path.join(tmpdir(), "codex-sbx-ws-")));
  mkdirSync("/var/tmp", { recursive: true });
  const outside = realpathSync(mkdtempSync("/var/tmp/codex-sbx-outside-"));
  return {
    ws,
    outside,
    policy: (options = {}) => ({
      mode: "workspace-write",
      writableRoots: [ws, realpathSync(tmpdir()), "/tmp"],
      networkAccess: options.networkAccess ?? false,
      excludeTmpdirEnvVar: false,
      excludeSlashTmp: false,
    }),
    cleanup(): void {
      rmSync(ws, { recursive: true, force: true });
      rmSync(outside, { recursive: true, force: true });
    },
  };
}

export function makeRunner(): ExecRunner {
  return createSandboxedExecRunner(createLocalExecRunner());
}

export function baseEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/root" };
  if (process.env.LANG) env.LANG = process.env.LANG;
  return { ...env, ...extra };
}

export async function runIn(
  runner: ExecRunner,
  argv: string[],
  options: { cwd: string; sandbox: SandboxPolicy; env?: Record<string, string>; timeoutMs?: number },
): Promise<ExecResult> {
  return runner.run(
    { argv, cwd: options.cwd, env: options.env ?? baseEnv(), sandbox: options.sandbox, timeoutMs: options.timeoutMs ?? 30_000 },
    { signal: new AbortController().signal },
  );
}

export function writeFile(p: string, content: string): void {
  mkdirSync(path.dirname(p), { recursive: true });
  writeFileSync(p, content);
}

/** A minimal runner that honours `extraFds` (stdio slots 3+), standing in for one that supports fd passing. */
export function makeFdPassingRunner(): ExecRunner {
  return {
    run: (req) =>
      new Promise((resolve, reject) => {
        const started = Date.now();
        const child = spawn(req.argv[0] ?? "", req.argv.slice(1), {
          cwd: req.cwd,
          env: req.env,
          stdio: ["ignore", "pipe", "pipe", ...(req.extraFds ?? [])],
        });
        let stdout = "";
        let stderr = "";
        child.stdout?.on("data", (d: Buffer) => (stdout += d.toString()));
        child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
        child.once("error", reject);
        child.once("close", (code, signal) =>
          resolve({
            exitCode: code,
            signal: signal ?? null,
            stdout,
            stderr,
            aggregatedOutput: stdout + stderr,
            durationMs: Date.now() - started,
            timedOut: false,
          }),
        );
      }),
  };
}
