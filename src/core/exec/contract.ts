import type { SandboxPolicy } from "../../protocol/policy.js";

export interface ExecRequest {
  argv: string[];
  cwd: string;
  env: Record<string, string>;
  /** Kill the process group after this long (ms). Undefined = no timeout (abort signal still applies). */
  timeoutMs?: number;
  /** Sandbox to run under. The plain runner ignores it; the sandboxed runner (sandbox/) honours it. */
  sandbox: SandboxPolicy;
  /** Data written to stdin, then stdin is closed. Default: stdin closed at once. */
  stdin?: string;
}

export interface OutputChunk {
  stream: "stdout" | "stderr";
  text: string;
}

export interface ExecResult {
  exitCode: number | null;
  signal: string | null;
  /** Interleaved stdout+stderr, bounded: head and tail kept, the middle replaced by a marker. */
  aggregatedOutput: string;
  stdout: string;
  stderr: string;
  durationMs: number;
  timedOut: boolean;
  /** When the output exceeded the in-memory bound, the full output was spooled here. */
  spoolPath?: string;
  /** True when the runner believes the sandbox denied the command (drives on-failure escalation). */
  sandboxDenied?: boolean;
}

export interface ExecRunner {
  run(
    req: ExecRequest,
    options: { signal: AbortSignal; onOutput?: (chunk: OutputChunk) => void },
  ): Promise<ExecResult>;
}
