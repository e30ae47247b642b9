import { spawn, type ChildProcess } from "node:child_process";
import { constants as osConstants } from "node:os";
import type { Writable } from "node:stream";
import type { ExecExit, ExecRequest } from "./contract.js";
import { createStdinPipe, spawnWithStdin, type StdinPipe, type StdinPipeSource } from "./stdin-pipe.js";

/** Send `signal` to the whole process group led by `pid` (falls back to the single process). */
export function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // Already gone.
    }
  }
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * SIGKILL every process left in the group `pid` led, once its leader has exited. Never falls back to the
 * single pid: the leader is gone and its pid may already belong to someone else. A group with members left
 * keeps its id reserved, so the signal can only reach the command's own stragglers.
 */
export function endGroupAfterExit(pid: number): void {
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // Nobody left in the group.
  }
}

/**
 * The process groups of one runner whose leaders are still running. Should this process exit first
 * (`process.exit()` on a second Ctrl-C, an uncaught error), they are all SIGKILLed on the way out, so no
 * command outlives the CLI. The exit hook is only installed while something is running.
 */
export class LiveGroups {
  private readonly pids = new Set<number>();
  private readonly onExit = (): void => {
    for (const pid of this.pids) endGroupAfterExit(pid);
  };

  track(pid: number | undefined, exited: Promise<unknown>): void {
    if (pid === undefined) return;
    if (this.pids.size === 0) process.on("exit", this.onExit);
    this.pids.add(pid);
    const forget = (): void => {
      this.pids.delete(pid);
      if (this.pids.size === 0) process.off("exit", this.onExit);
    };
    exited.then(forget, forget);
  }
}

/** SIGTERM the group now, SIGKILL whatever is left after `graceMs`. */
export function terminateGroup(pid: number, options: { graceMs: number }): void {
  signalGroup(pid, "SIGTERM");
  const timer = setTimeout(() => {
    if (groupAlive(pid)) signalGroup(pid, "SIGKILL");
  }, options.graceMs);
  timer.unref();
}

/** Conventional shell exit status for a signal (128 + number), e.g. SIGKILL -> 137. */
export function signalExitCode(signal: string | null): number | null {
  if (!signal) return null;
  const n = (osConstants.signals as Record<string, number | undefined>)[signal];
  return n === undefined ? null : 128 + n;
}

export interface PipedChild {
  child: ChildProcess;
  /** The child's stdin when it was opened ("open"): a real pipe's write end (see stdin-pipe.ts), else null. */
  stdin: Writable | null;
  /** Resolves once the child exited and its pipes drained (or the drain bound passed). */
  exited: Promise<ExecExit>;
}

/** However busy a background writer is, the call ends this long after the command itself exited. */
const DRAIN_HARD_CAP_MS = 5000;

/**
 * Spawn `req.argv` directly (no shell) as the leader of a new process group, with stdout/stderr
 * piped and `req.extraFds` at 3, 4, …. Rejects if the program cannot be started.
 * The extra fds stay the caller's to close: the child holds its own duplicates once spawned.
 * When the leader exits, whatever it left running in its group (`sleep 300 &`, `nohup …&`) is killed:
 * the command has finished, so its background jobs end with it; what they printed until then is kept.
 */
export function spawnPiped(
  req: Pick<ExecRequest, "argv" | "cwd" | "env" | "extraFds">,
  options: {
    stdin: "closed" | "open";
    drainMs: number;
    onData: (stream: "stdout" | "stderr", data: Buffer) => void;
    /** Where an open stdin's pipe comes from (default: one made for this child). */
    stdinPipes?: StdinPipeSource;
  },
): Promise<PipedChild> {
  const [file, ...args] = req.argv;
  if (file === undefined || file === "") return Promise.reject(new Error("exec: empty argv"));
  const pipe = options.stdin === "open" ? (options.stdinPipes?.take() ?? createStdinPipe()) : Promise.resolve(null);
  return pipe.then((stdinPipe) => spawnWith(file, args, req, options, stdinPipe));
}

function spawnWith(
  file: string,
  args: string[],
  req: Pick<ExecRequest, "cwd" | "env" | "extraFds">,
  options: { stdin: "closed" | "open"; drainMs: number; onData: (stream: "stdout" | "stderr", data: Buffer) => void },
  stdinPipe: StdinPipe | null,
): Promise<PipedChild> {
  return new Promise((resolve, reject) => {
    const start = (stdin0: number | "pipe" | "ignore"): ChildProcess =>
      spawn(file, args, {
        cwd: req.cwd,
        env: req.env,
        detached: true,
        stdio: [stdin0, "pipe", "pipe", ...(req.extraFds ?? [])],
        windowsHide: true,
      });
    const { child, stdin } = options.stdin === "open" ? spawnWithStdin(stdinPipe, start) : { child: start("ignore"), stdin: null };
    let lastData = Date.now();
    child.stdout?.on("data", (d: Buffer) => {
      lastData = Date.now();
      options.onData("stdout", d);
    });
    child.stderr?.on("data", (d: Buffer) => {
      lastData = Date.now();
      options.onData("stderr", d);
    });
    // Writes after the child closed its stdin fail with EPIPE; that is the child's choice, not ours.
    stdin?.on("error", () => {});
    const exited = new Promise<ExecExit>((resolveExit) => {
      child.once("exit", (code, signal) => {
        if (child.pid !== undefined) endGroupAfterExit(child.pid);
        const done = (): void => resolveExit({ exitCode: code, signal: signal ?? null });
        const streams = [child.stdout, child.stderr].filter((s) => s !== null && !s.closed);
        if (streams.length === 0) return done();
        // A grandchild that inherited our pipes can keep them open forever, so we let go once the
        // pipes have been quiet for drainMs (or after a hard cap if something keeps writing). Quiet is
        // judged after a poll phase has run, so bytes already waiting in the pipe are still read
        // when the event loop was busy.
        const exitedAt = Date.now();
        let finished = false;
        let timer: NodeJS.Timeout | undefined;
        const finish = (): void => {
          if (finished) return;
          finished = true;
          if (timer) clearTimeout(timer);
          done();
        };
        const letGo = (): void => {
          for (const s of streams) s?.destroy();
          finish();
        };
        const check = (): void => {
          setImmediate(() => {
            if (finished) return;
            const quietFor = Date.now() - lastData;
            if (quietFor >= options.drainMs || Date.now() - exitedAt >= DRAIN_HARD_CAP_MS) return letGo();
            timer = setTimeout(check, options.drainMs - quietFor);
          });
        };
        timer = setTimeout(check, options.drainMs);
        let open = streams.length;
        for (const s of streams) {
          s?.once("close", () => {
            open -= 1;
            if (open === 0) finish();
          });
        }
      });
    });
    child.once("spawn", () => resolve({ child, stdin, exited }));
    child.once("error", (err) => reject(err));
  });
}
