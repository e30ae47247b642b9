import path from "node:path";
import type { SandboxPolicy } from "../../protocol/policy.js";
import type { ResolvedConfig } from "../config/types.js";
import { createSandboxedExecRunner } from "../sandbox/index.js";
import { buildChildEnv } from "./child-env.js";
import type { ExecRunner, TerminalSize } from "./contract.js";
import { HeadTailBuffer } from "./head-tail-buffer.js";
import { createLocalExecRunner } from "./local-runner.js";
import type { ParentDeathGuard } from "./parent-death.js";

// A one-off command outside any thread (app-server `command/exec`): the configured environment policy, the
// given (or configured) sandbox — never less than the sandbox a model command would get unless the caller asks
// for full access — a timeout, a per-stream output cap, and streamed output for callers that want it.

/** The reference's defaults: 10 s, and 1 MiB kept per stream. */
export const STANDALONE_DEFAULT_TIMEOUT_MS = 10_000;
export const STANDALONE_DEFAULT_OUTPUT_CAP = 1024 * 1024;
const TIMEOUT_EXIT_CODE = 124;
/** The reference reports a terminal's command that died of a signal (terminated, killed) as exit code 1. */
const PTY_SIGNALLED_EXIT_CODE = 1;
const SIGNALS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGTERM: 15, SIGPIPE: 13 };

export interface StandaloneCommandRequest {
  argv: string[];
  cwd: string;
  sandbox: SandboxPolicy;
  /** Overrides merged into the policy's environment; null unsets a variable. */
  envOverrides?: Record<string, string | null>;
  /** Undefined: the default timeout; null: none. */
  timeoutMs?: number | null;
  /** Bytes kept per stream; undefined: the default; null: no cap. */
  outputBytesCap?: number | null;
  /** Output as it arrives; a stream is not kept for the result when streamed. `capReached` marks its last chunk. */
  onOutput?: (chunk: { stream: "stdout" | "stderr"; data: Buffer; capReached: boolean }) => void;
  signal: AbortSignal;
}

export interface StandaloneCommandResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** An interactive standalone command: a terminal, and/or stdin the caller keeps writing to. */
export interface StandaloneSessionRequest extends StandaloneCommandRequest {
  /** Run under a pseudo-terminal: output merges into stdout, stdin stays open. */
  tty?: boolean;
  /** Initial terminal size (tty only; default 80x24). */
  size?: TerminalSize;
  /** Keep a pipe-mode stdin open for `write()` (a tty's always is). */
  streamStdin?: boolean;
}

/** A running interactive command; `result` settles once it exited and all its output was passed on. */
export interface StandaloneCommandSession {
  readonly tty: boolean;
  /** True when the command takes input (`write` / `closeStdin`). */
  readonly acceptsStdin: boolean;
  /** False once the input was closed or the command exited. */
  write(data: Buffer): boolean;
  closeStdin(): void;
  /** False when the command has no terminal or has exited. */
  resize(size: TerminalSize): boolean;
  /** Kill the command's process group at once (SIGKILL). */
  terminate(): void;
  readonly result: Promise<StandaloneCommandResult>;
}

export interface StandaloneCommandRunner {
  run(req: StandaloneCommandRequest): Promise<StandaloneCommandResult>;
  /** Start an interactive command; rejects when it cannot be spawned (or the sandbox cannot be set up). */
  start(req: StandaloneSessionRequest): Promise<StandaloneCommandSession>;
}

/**
 * The exec runner standalone commands use: the sandboxed local runner, spooling under `<codexHome>/tmp/spool`.
 * A server that makes a standalone runner per command passes it one of these for all of them (`exec`), so the
 * sandbox's bwrap probe, the parent-death guard's setpriv probe and the seccomp program fds happen once.
 */
export function createStandaloneExecRunner(o: { codexHome: string; secrets: string[]; parentDeath?: ParentDeathGuard }): ExecRunner {
  return createSandboxedExecRunner(createLocalExecRunner({ spoolDir: path.join(o.codexHome, "tmp", "spool"), secrets: o.secrets }), {
    ...(o.parentDeath ? { parentDeath: o.parentDeath } : {}),
  });
}

export function createStandaloneCommandRunner(o: {
  config: ResolvedConfig;
  env: Record<string, string | undefined>;
  secrets: string[];
  /** Tests inject a runner; by default the sandboxed local runner. */
  exec?: ExecRunner;
  /** A caller that makes a runner per command shares one guard, so its setpriv probe runs once, not per command. */
  parentDeath?: ParentDeathGuard;
}): StandaloneCommandRunner {
  const { config } = o;
  const exec =
    o.exec ??
    createStandaloneExecRunner({ codexHome: config.codexHome, secrets: o.secrets, ...(o.parentDeath ? { parentDeath: o.parentDeath } : {}) });

  const childEnv = (req: StandaloneCommandRequest): Record<string, string> => {
    if (req.argv.length === 0) throw new Error("command must not be empty");
    const env = buildChildEnv(config.shellEnvironmentPolicy, o.env, {
      secretsToDrop: config.modelProvider.envKey ? [config.modelProvider.envKey] : [],
      networkDisabled: req.sandbox.mode !== "danger-full-access" && !req.sandbox.networkAccess,
    });
    for (const [name, value] of Object.entries(req.envOverrides ?? {})) {
      if (value === null) delete env[name];
      else env[name] = value;
    }
    return env;
  };

  return {
    async run(req) {
      const env = childEnv(req);
      const cap = req.outputBytesCap === undefined ? STANDALONE_DEFAULT_OUTPUT_CAP : req.outputBytesCap;
      const onOutput = req.onOutput ? cappedStream(cap, req.onOutput) : undefined;
      const timeoutMs = req.timeoutMs === undefined ? STANDALONE_DEFAULT_TIMEOUT_MS : req.timeoutMs;
      const result = await exec.run(
        {
          argv: req.argv,
          cwd: req.cwd,
          env,
          sandbox: req.sandbox,
          ...(timeoutMs !== null ? { timeoutMs } : {}),
        },
        { signal: req.signal, ...(onOutput ? { onOutput: (chunk) => onOutput(chunk.stream, Buffer.from(chunk.text, "utf8")) } : {}) },
      );
      const keep = (text: string): string => (req.onOutput ? "" : cap === null ? text : truncateBytes(text, cap));
      return { exitCode: exitCodeOf(result), stdout: keep(result.stdout), stderr: keep(result.stderr) };
    },

    async start(req) {
      const env = childEnv(req);
      if (!exec.start) throw new Error("this runner cannot start interactive commands");
      const tty = req.tty === true;
      const cap = req.outputBytesCap === undefined ? STANDALONE_DEFAULT_OUTPUT_CAP : req.outputBytesCap;
      // Output not streamed is kept for the result: up to the cap, or head and tail when uncapped.
      const kept = { stdout: new KeptOutput(cap), stderr: new KeptOutput(cap) };
      const push = req.onOutput ? cappedStream(cap, req.onOutput) : (stream: Stream, data: Buffer) => kept[stream].push(data);
      const timeoutMs = req.timeoutMs === undefined ? STANDALONE_DEFAULT_TIMEOUT_MS : req.timeoutMs;
      const proc = await exec.start(
        {
          argv: req.argv,
          cwd: req.cwd,
          env,
          sandbox: req.sandbox,
          tty,
          ...(tty && req.size ? { size: req.size } : {}),
          openStdin: req.streamStdin === true,
        },
        { signal: req.signal, onOutput: (chunk) => push(chunk.stream, Buffer.from(chunk.text, "utf8")) },
      );
      let timedOut = false;
      const timer =
        timeoutMs === null
          ? undefined
          : setTimeout(() => {
              timedOut = true;
              proc.kill();
            }, timeoutMs);
      const result = proc.exited.then((exit) => {
        if (timer) clearTimeout(timer);
        const exitCode = timedOut ? TIMEOUT_EXIT_CODE : tty && exit.exitCode === null ? PTY_SIGNALLED_EXIT_CODE : exitCodeOf({ ...exit, timedOut });
        return { exitCode, stdout: kept.stdout.text(), stderr: kept.stderr.text() };
      });
      return {
        tty,
        acceptsStdin: tty || req.streamStdin === true,
        write: (data) => proc.write(data),
        closeStdin: () => proc.closeStdin?.(),
        resize: (size) => proc.resize?.(size) ?? false,
        terminate: () => proc.kill({ immediate: true }),
        result,
      };
    },
  };
}

type Stream = "stdout" | "stderr";

/** Passes each stream's bytes on until `cap` of them went out; the chunk that reaches the cap says so. */
function cappedStream(
  cap: number | null,
  onOutput: NonNullable<StandaloneCommandRequest["onOutput"]>,
): (stream: Stream, data: Buffer) => void {
  const sent = { stdout: 0, stderr: 0 };
  const capped = { stdout: false, stderr: false };
  return (stream, chunk) => {
    if (capped[stream]) return;
    let data = chunk;
    if (cap !== null && sent[stream] + data.length >= cap) {
      data = data.subarray(0, cap - sent[stream]);
      capped[stream] = true;
    }
    sent[stream] += data.length;
    onOutput({ stream, data, capReached: capped[stream] });
  };
}

/** One stream kept for a result: its first `cap` bytes, or (no cap) a bounded head and tail. */
class KeptOutput {
  private readonly parts: Buffer[] = [];
  private length = 0;
  private readonly headTail: HeadTailBuffer | undefined;

  constructor(private readonly cap: number | null) {
    if (cap === null) this.headTail = new HeadTailBuffer(STANDALONE_DEFAULT_OUTPUT_CAP / 2, STANDALONE_DEFAULT_OUTPUT_CAP / 2);
  }

  push(data: Buffer): void {
    if (this.headTail) return this.headTail.push(data);
    const room = (this.cap ?? 0) - this.length;
    if (room <= 0) return;
    const part = data.length > room ? data.subarray(0, room) : data;
    this.parts.push(part);
    this.length += part.length;
  }

  text(): string {
    if (this.headTail) return this.headTail.toText();
    return Buffer.concat(this.parts).toString("utf8").replace(/\uFFFD$/, "");
  }
}

function exitCodeOf(r: { exitCode: number | null; signal: string | null; timedOut: boolean }): number {
  if (r.timedOut) return TIMEOUT_EXIT_CODE;
  if (r.exitCode !== null) return r.exitCode;
  return 128 + (r.signal ? (SIGNALS[r.signal] ?? 9) : 9);
}

function truncateBytes(text: string, cap: number): string {
  const bytes = Buffer.from(text, "utf8");
  if (bytes.length <= cap) return text;
  // Cut on a character boundary.
  return bytes.subarray(0, cap).toString("utf8").replace(/\uFFFD$/, "");
}
