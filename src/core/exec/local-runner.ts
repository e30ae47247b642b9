import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSecretRedactor } from "../../util/secret-redactor.js";
import type { ExecExit, ExecProcess, ExecRequest, ExecResult, ExecRunner, ExecStartRequest, OutputChunk } from "./contract.js";
import { OutputCollector } from "./output-collector.js";
import { LiveGroups, signalGroup, spawnPiped, terminateGroup } from "./process-group.js";
import { startPtyProcess } from "./pty-process.js";
import { createStdinPipeSource } from "./stdin-pipe.js";
import { looksLikeSandboxDenial } from "./sandbox-denial.js";

export interface LocalExecRunnerDeps {
  /** Where over-long output is spooled in full. Default: `<os tmpdir>/codex-exec-output`. */
  spoolDir?: string;
  /** Values masked in spool files (the API key…), besides well-known secret shapes. */
  secrets?: readonly string[];
  /** In-memory bound per output (head + tail). Default 1 MiB. */
  maxOutputBytes?: number;
  /** Time between SIGTERM and SIGKILL when killing a process group. Default 1000 ms. */
  killGraceMs?: number;
  /** How long to wait for pipes to close after the child exited. Default 300 ms. */
  drainMs?: number;
}

const DEFAULT_MAX_OUTPUT_BYTES = 1024 * 1024;

/**
 * Runs commands directly on this machine. It ignores `req.sandbox`: the sandbox layer wraps the argv
 * before it gets here.
 */
export function createLocalExecRunner(deps: LocalExecRunnerDeps = {}): ExecRunner {
  const spoolDir = deps.spoolDir ?? join(tmpdir(), "codex-exec-output");
  const maxOutputBytes = deps.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
  const graceMs = deps.killGraceMs ?? 1000;
  const drainMs = deps.drainMs ?? 300;
  const redactor = createSecretRedactor(deps.secrets ?? []);
  const groups = new LiveGroups();
  // Real pipes for the stdins this runner opens (see stdin-pipe.ts), a few kept ready.
  const stdinPipes = createStdinPipeSource();

  async function run(
    req: ExecRequest,
    options: { signal: AbortSignal; onOutput?: (chunk: OutputChunk) => void },
  ): Promise<ExecResult> {
    const started = Date.now();
    const collector = new OutputCollector({ maxBytes: maxOutputBytes, spoolDir, redactor, onOutput: options.onOutput });
    let timedOut = false;
    let exit: ExecExit;
    try {
      const { child, stdin, exited } = await spawnPiped(req, {
        stdin: req.stdin === undefined ? "closed" : "open",
        stdinPipes,
        drainMs,
        onData: (stream, data) => collector.push(stream, data),
      });
      if (req.stdin !== undefined) stdin?.end(req.stdin);
      const pid = child.pid;
      groups.track(pid, exited);
      const kill = (): void => {
        if (pid !== undefined) terminateGroup(pid, { graceMs });
      };
      const onAbort = (): void => kill();
      options.signal.addEventListener("abort", onAbort, { once: true });
      if (options.signal.aborted) kill();
      const timer =
        req.timeoutMs !== undefined
          ? setTimeout(() => {
              timedOut = true;
              kill();
            }, req.timeoutMs)
          : undefined;
      try {
        exit = await exited;
      } finally {
        if (timer) clearTimeout(timer);
        options.signal.removeEventListener("abort", onAbort);
      }
    } catch (err) {
      collector.push("stderr", spawnFailureMessage(req, err as NodeJS.ErrnoException));
      exit = { exitCode: (err as NodeJS.ErrnoException).code === "ENOENT" ? 127 : 126, signal: null };
    }
    const out = collector.finish();
    const result: ExecResult = {
      exitCode: exit.exitCode,
      signal: exit.signal,
      ...out,
      durationMs: Date.now() - started,
      timedOut,
    };
    if (looksLikeSandboxDenial(result, req.sandbox)) result.sandboxDenied = true;
    return result;
  }

  async function start(
    req: ExecStartRequest,
    options: { signal: AbortSignal; onOutput?: (chunk: OutputChunk) => void },
  ): Promise<ExecProcess> {
    if (!existsSync(req.cwd)) throw new Error(`working directory does not exist: ${req.cwd}`);
    if (req.tty && req.extraFds?.length) throw new Error("exec: a tty session cannot receive extraFds");
    // Decoding and spooling only: start() streams, it keeps no bounded copy (the caller decides what to keep).
    const collector = new OutputCollector({
      maxBytes: 0,
      spoolDir,
      spoolAfterBytes: maxOutputBytes,
      redactor,
      onOutput: options.onOutput,
    });
    const inner = req.tty
      ? await startPtyProcess(req, { graceMs, onOutput: (chunk) => collector.push(chunk.stream, chunk.text) })
      : await startPiped(req, collector);
    groups.track(inner.pid, inner.exited);
    const exited = inner.exited.then((exit) => {
      collector.finish();
      return exit;
    });
    const proc: ExecProcess = {
      pid: inner.pid,
      tty: inner.tty,
      write: (data) => inner.write(data),
      closeStdin: () => inner.closeStdin?.(),
      resize: (size) => inner.resize?.(size) ?? false,
      exited,
      get spoolPath() {
        return collector.spoolPath;
      },
      kill: (o) => inner.kill(o),
    };
    const onAbort = (): void => proc.kill();
    options.signal.addEventListener("abort", onAbort, { once: true });
    if (options.signal.aborted) proc.kill();
    const timer = req.timeoutMs !== undefined ? setTimeout(() => proc.kill(), req.timeoutMs) : undefined;
    void exited.then(() => {
      if (timer) clearTimeout(timer);
      options.signal.removeEventListener("abort", onAbort);
    });
    return proc;
  }

  async function startPiped(req: ExecStartRequest, collector: OutputCollector): Promise<ExecProcess> {
    const streaming = req.openStdin === true;
    const { child, stdin, exited } = await spawnPiped(req, {
      stdin: req.stdin === undefined && !streaming ? "closed" : "open",
      stdinPipes,
      drainMs,
      onData: (stream, data) => collector.push(stream, data),
    });
    if (req.stdin !== undefined) {
      if (streaming) stdin?.write(req.stdin);
      else stdin?.end(req.stdin);
    }
    let done = false;
    let inputClosed = !streaming;
    const finished = exited.then((e) => {
      done = true;
      return e;
    });
    return {
      pid: child.pid,
      tty: false,
      write(data): boolean {
        if (done || inputClosed || !stdin || stdin.destroyed) return false;
        stdin.write(data);
        return true;
      },
      closeStdin(): void {
        if (inputClosed) return;
        inputClosed = true;
        stdin?.end();
      },
      resize: () => false,
      exited: finished,
      kill(o): void {
        if (done || child.pid === undefined) return;
        if (o?.immediate) signalGroup(child.pid, "SIGKILL");
        else terminateGroup(child.pid, { graceMs });
      },
    };
  }

  return { run, start, supportsExtraFds: true, dispose: () => stdinPipes.dispose() };
}

function spawnFailureMessage(req: ExecRequest, err: NodeJS.ErrnoException): string {
  if (!existsSync(req.cwd)) return `failed to start ${req.argv[0] ?? ""}: working directory does not exist: ${req.cwd}\n`;
  return `failed to start ${req.argv[0] ?? ""}: ${err.message}\n`;
}
