import { spawn } from "node:child_process";
import { createStdinPipe, spawnWithStdin, type StdinPipe, type StdinPipeSource } from "../exec/stdin-pipe.js";

// Runs one hook command: through the shell, in the session cwd, in its own process group, with the
// payload on stdin. On timeout the whole group is killed. Output is capped so a chatty hook cannot
// exhaust memory.

export interface HookCommandResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** Set when the shell could not be started. */
  spawnError?: string;
  durationMs: number;
}

const MAX_OUTPUT_BYTES = 1024 * 1024;

export function runHookCommand(o: {
  command: string;
  cwd: string;
  env: Record<string, string>;
  stdin: string;
  timeoutMs: number;
  /** An interrupt kills the hook's process group like a timeout. */
  signal?: AbortSignal;
  /** Where the stdin pipe comes from (default: one made for this hook). */
  stdinPipes?: StdinPipeSource;
  now?: () => number;
}): Promise<HookCommandResult> {
  const now = o.now ?? Date.now;
  const started = now();
  // A real pipe, not Node's socket pair: a `bash -c` in the hook would take a socket for sshd's and read ~/.bashrc.
  return (o.stdinPipes?.take() ?? createStdinPipe()).then((pipe) => runWith(o, pipe, now, started));
}

function runWith(
  o: Parameters<typeof runHookCommand>[0],
  pipe: StdinPipe | null,
  now: () => number,
  started: number,
): Promise<HookCommandResult> {
  return new Promise((resolve) => {
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    let settled = false;
    const { child, stdin } = spawnWithStdin(pipe, (stdin0) =>
      spawn("/bin/sh", ["-c", o.command], { cwd: o.cwd, env: o.env, stdio: [stdin0, "pipe", "pipe"], detached: true }),
    );
    const killGroup = (): void => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, o.timeoutMs);
    const onAbort = (): void => killGroup();
    if (o.signal?.aborted) killGroup();
    else o.signal?.addEventListener("abort", onAbort, { once: true });
    const finish = (r: Omit<HookCommandResult, "durationMs" | "stdout" | "stderr" | "timedOut">): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      o.signal?.removeEventListener("abort", onAbort);
      // Anything the hook left running in its group goes with it.
      killGroup();
      resolve({ ...r, stdout, stderr, timedOut, durationMs: now() - started });
    };
    child.stdout!.setEncoding("utf8").on("data", (d: string) => {
      if (stdout.length < MAX_OUTPUT_BYTES) stdout += d;
    });
    child.stderr!.setEncoding("utf8").on("data", (d: string) => {
      if (stderr.length < MAX_OUTPUT_BYTES) stderr += d;
    });
    child.on("error", (err) => finish({ exitCode: null, spawnError: err.message }));
    child.on("close", (code) => finish({ exitCode: code }));
    stdin.on("error", () => {});
    stdin.end(o.stdin);
  });
}
