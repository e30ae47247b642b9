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
  /**
   * Open fds the child gets at 3, 4, … (`stdio: [in, out, err, ...extraFds]`); the sandbox passes its seccomp
   * program this way. Only runners with `supportsExtraFds` honour it, and never for tty sessions (a pty cannot carry
   * fds): the sandboxed runner sets it only then. The caller still owns the fds (the child gets its own copies).
   */
  extraFds?: number[];
}

export interface OutputChunk {
  stream: "stdout" | "stderr";
  text: string;
}

/** Size of a whole output, counted while it streamed (however little of it is kept). */
export interface OutputTotals {
  bytes: number;
  /** Newline-terminated lines, plus a last line without a newline. */
  lines: number;
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
  /** When the output exceeded the in-memory bound, the full output was spooled here (secrets redacted). */
  spoolPath?: string;
  /** The real size of the interleaved output (runners that do not count leave it unset). */
  outputTotals?: OutputTotals;
  /** True when the runner believes the sandbox denied the command (drives on-failure escalation). */
  sandboxDenied?: boolean;
}

/** A request for a long-lived process (unified exec sessions). */
export interface ExecStartRequest extends ExecRequest {
  /** Run under a pseudo-terminal: stdout/stderr merge into one stream and stdin stays open. */
  tty?: boolean;
  /** Initial terminal size of a tty session (default 80x24). */
  size?: TerminalSize;
  /** Pipe mode: keep stdin open for `write()` / `closeStdin()` instead of closing it at start. */
  openStdin?: boolean;
}

/** A terminal size in character cells. */
export interface TerminalSize {
  rows: number;
  cols: number;
}

export interface ExecExit {
  exitCode: number | null;
  signal: string | null;
}

/** A running process. Every output chunk is passed to `onOutput` before `exited` resolves. */
export interface ExecProcess {
  readonly pid: number | undefined;
  readonly tty: boolean;
  /** Write to stdin. Returns false when stdin is closed (pipe mode closes it at start unless `openStdin`). */
  write(data: string | Buffer): boolean;
  /**
   * End the input: a pipe's stdin is closed; a pty gets a newline and its end-of-file character, the way a
   * terminal user ends input. Later writes return false. Safe to call twice.
   */
  closeStdin?(): void;
  /** Change a tty session's terminal size; false when the process has no terminal or has exited. */
  resize?(size: TerminalSize): boolean;
  readonly exited: Promise<ExecExit>;
  /** Where the whole output is being spooled, once it outgrew the in-memory bound (unset by runners that do not spool). */
  readonly spoolPath?: string;
  /**
   * Kill the whole process group (TERM, then KILL after a grace period; `immediate`: KILL at once). Safe to
   * call twice.
   */
  kill(options?: { immediate?: boolean }): void;
}

export interface ExecRunner {
  /** True when `run()` and pipe-mode `start()` honour `ExecRequest.extraFds`. */
  readonly supportsExtraFds?: boolean;
  run(
    req: ExecRequest,
    options: { signal: AbortSignal; onOutput?: (chunk: OutputChunk) => void },
  ): Promise<ExecResult>;
  /**
   * Start a process that may outlive the call that started it. Rejects when it cannot be spawned.
   * Optional: runners without it cannot keep sessions alive (callers fall back to `run`).
   */
  start?(
    req: ExecStartRequest,
    options: { signal: AbortSignal; onOutput?: (chunk: OutputChunk) => void },
  ): Promise<ExecProcess>;
  /**
   * Closes what the runner keeps open for later commands (stdin pipes kept ready, seccomp program fds), once its
   * owner is done with it. A command started after it still runs; it just finds nothing ready.
   */
  dispose?(): void;
}
