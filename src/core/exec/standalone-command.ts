import path from "node:path";
import type { SandboxPolicy } from "../../protocol/policy.js";
import type { ResolvedConfig } from "../config/types.js";
import { createSandboxedExecRunner } from "../sandbox/index.js";
import { buildChildEnv } from "./child-env.js";
import type { ExecRunner } from "./contract.js";
import { createLocalExecRunner } from "./local-runner.js";

// A one-off command outside any thread (app-server `command/exec`): the configured environment policy, the
// given (or configured) sandbox — never less than the sandbox a model command would get unless the caller asks
// for full access — a timeout, a per-stream output cap, and streamed output for callers that want it.

/** The reference's defaults: 10 s, and 1 MiB kept per stream. */
export const STANDALONE_DEFAULT_TIMEOUT_MS = 10_000;
export const STANDALONE_DEFAULT_OUTPUT_CAP = 1024 * 1024;
const TIMEOUT_EXIT_CODE = 124;
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

export interface StandaloneCommandRunner {
  run(req: StandaloneCommandRequest): Promise<StandaloneCommandResult>;
}

export function createStandaloneCommandRunner(o: {
  config: ResolvedConfig;
  env: Record<string, string | undefined>;
  secrets: string[];
  /** Tests inject a runner; by default the sandboxed local runner. */
  exec?: ExecRunner;
}): StandaloneCommandRunner {
  const { config } = o;
  const exec =
    o.exec ??
    createSandboxedExecRunner(createLocalExecRunner({ spoolDir: path.join(config.codexHome, "tmp", "spool"), secrets: o.secrets }));
  return {
    async run(req) {
      if (req.argv.length === 0) throw new Error("command must not be empty");
      const env = buildChildEnv(config.shellEnvironmentPolicy, o.env, {
        secretsToDrop: config.modelProvider.envKey ? [config.modelProvider.envKey] : [],
        networkDisabled: req.sandbox.mode !== "danger-full-access" && !req.sandbox.networkAccess,
      });
      for (const [name, value] of Object.entries(req.envOverrides ?? {})) {
        if (value === null) delete env[name];
        else env[name] = value;
      }
      const cap = req.outputBytesCap === undefined ? STANDALONE_DEFAULT_OUTPUT_CAP : req.outputBytesCap;
      const sent = { stdout: 0, stderr: 0 };
      const capped = { stdout: false, stderr: false };
      const onOutput = req.onOutput;
      const timeoutMs = req.timeoutMs === undefined ? STANDALONE_DEFAULT_TIMEOUT_MS : req.timeoutMs;
      const result = await exec.run(
        {
          argv: req.argv,
          cwd: req.cwd,
          env,
          sandbox: req.sandbox,
          ...(timeoutMs !== null ? { timeoutMs } : {}),
        },
        {
          signal: req.signal,
          ...(onOutput
            ? {
                onOutput: (chunk) => {
                  if (capped[chunk.stream]) return;
                  let data = Buffer.from(chunk.text, "utf8");
                  if (cap !== null && sent[chunk.stream] + data.length >= cap) {
                    data = data.subarray(0, cap - sent[chunk.stream]);
                    capped[chunk.stream] = true;
                  }
                  sent[chunk.stream] += data.length;
                  onOutput({ stream: chunk.stream, data, capReached: capped[chunk.stream] });
                },
              }
            : {}),
        },
      );
      const keep = (text: string): string => (onOutput ? "" : cap === null ? text : truncateBytes(text, cap));
      return { exitCode: exitCodeOf(result), stdout: keep(result.stdout), stderr: keep(result.stderr) };
    },
  };
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
