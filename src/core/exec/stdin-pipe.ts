import { execFile, type ChildProcess } from "node:child_process";
import { closeSync, constants as fsConstants, mkdtempSync, openSync, rmSync } from "node:fs";
import { Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Writable } from "node:stream";

/**
 * A real pipe for a child's stdin. Node's "pipe" stdio is a socket pair, and `bash -c` with a socket on stdin
 * takes itself for a shell started by rshd/sshd and reads ~/.bashrc (bash's isnetconn rule); the reference
 * gives its commands real pipes. Node cannot make a pipe, so one is made from a FIFO, unlinked at once.
 */
export interface StdinPipe {
  /** The read end, for the child's stdio[0]. Close it with `closeChildEnd()` once the child is spawned. */
  readonly childFd: number;
  /** The write end (non-blocking; EPIPE once every reader has gone, like a socket pair's). */
  readonly writer: Writable;
  closeChildEnd(): void;
}

function mkfifo(paths: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile("mkfifo", ["-m", "600", ...paths], { env: { PATH: process.env.PATH ?? "/usr/bin:/bin" } }, (err) =>
      err ? reject(err) : resolve(),
    );
  });
}

/** An opened pipe not yet handed to a child: its read end (blocking) and write end. */
interface OpenPipe {
  r: number;
  w: number;
}

/**
 * Make `count` pipes with one mkfifo run: each FIFO is opened in an order in which no open blocks (a
 * non-blocking reader lets the writer open at once, and the writer lets a blocking reader, the child's, open at
 * once, so its reads block as on any pipe) and unlinked, so nothing is left on disk. Empty when no FIFO can be made.
 */
async function makePipes(count: number): Promise<OpenPipe[]> {
  const made: OpenPipe[] = [];
  let dir: string | undefined;
  try {
    dir = mkdtempSync(join(tmpdir(), "codex-stdin-"));
    const base = dir;
    const paths = Array.from({ length: count }, (_, i) => join(base, `p${i}`));
    await mkfifo(paths);
    for (const fifo of paths) {
      const probe = openSync(fifo, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
      try {
        const w = openSync(fifo, fsConstants.O_WRONLY);
        try {
          made.push({ r: openSync(fifo, fsConstants.O_RDONLY), w });
        } catch (err) {
          closeSync(w);
          throw err;
        }
      } finally {
        closeSync(probe);
      }
    }
    return made;
  } catch {
    for (const p of made) closeFds(p);
    return [];
  } finally {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  }
}

function closeFds(p: OpenPipe): void {
  for (const fd of [p.r, p.w]) {
    try {
      closeSync(fd);
    } catch {
      // Already closed.
    }
  }
}

function handOut(p: OpenPipe): StdinPipe {
  const writer = new Socket({ fd: p.w, readable: false, writable: true });
  let childOpen = true;
  return {
    childFd: p.r,
    writer,
    closeChildEnd(): void {
      if (!childOpen) return;
      childOpen = false;
      closeSync(p.r);
    },
  };
}

/** A new pipe for one child's stdin, or null when no FIFO can be made here (the caller falls back to a socket pair). */
export async function createStdinPipe(): Promise<StdinPipe | null> {
  const [p] = await makePipes(1);
  return p ? handOut(p) : null;
}

/** Pipes for the stdins of one owner's children (a runner, the hooks of a configuration). */
export interface StdinPipeSource {
  /** A pipe for the next child, or null when no FIFO can be made (fall back to a socket pair). */
  take(): Promise<StdinPipe | null>;
  /**
   * Closes the pipes kept ready (and those a refill under way brings). A take() after it still gets a pipe,
   * made for it alone, so a straggling child of a disposed owner keeps a real pipe and nothing is held.
   */
  dispose(): void;
}

/**
 * Keeps up to `batch` pipes ready (two fds each, nothing on disk), made `batch` at a time by one mkfifo run in
 * the background once the last ready one is taken: a mkfifo start costs about what the command's own does, so
 * only the first child of a burst waits for it. Nothing is made until the first take().
 */
export function createStdinPipeSource(o: { batch?: number } = {}): StdinPipeSource {
  const batch = Math.max(1, o.batch ?? 8);
  const ready: OpenPipe[] = [];
  let refilling: Promise<number> | null = null;
  let disposed = false;
  const refill = (): Promise<number> =>
    (refilling ??= makePipes(batch).then((made) => {
      refilling = null;
      if (disposed) {
        for (const p of made) closeFds(p);
        return 0;
      }
      ready.push(...made);
      return made.length;
    }));
  return {
    async take() {
      if (disposed) return createStdinPipe();
      while (ready.length === 0) {
        const made = await refill();
        // Disposed while this take waited: it gets a pipe of its own (the refill's were closed).
        if (disposed) return createStdinPipe();
        // Someone else may take what this refill made: try again, unless no pipe could be made at all.
        if (made === 0) return null;
      }
      const p = ready.shift()!;
      if (ready.length === 0) void refill();
      return handOut(p);
    },
    dispose() {
      disposed = true;
      for (const p of ready.splice(0)) closeFds(p);
    },
  };
}

/**
 * Starts a child whose stdin is `pipe`'s read end (Node's own "pipe" when there is no pipe): `start` gets what to
 * put in stdio[0]. This process keeps no copy of the read end, and the write end goes with the child (as Node does
 * with the stdin it makes), also when the spawn throws or fails.
 */
export function spawnWithStdin(
  pipe: StdinPipe | null,
  start: (stdin: number | "pipe") => ChildProcess,
): { child: ChildProcess; stdin: Writable } {
  let child: ChildProcess;
  try {
    child = start(pipe ? pipe.childFd : "pipe");
  } catch (err) {
    pipe?.writer.destroy();
    throw err;
  } finally {
    pipe?.closeChildEnd();
  }
  if (pipe) {
    child.once("exit", () => pipe.writer.destroy());
    child.once("error", () => pipe.writer.destroy());
  }
  return { child, stdin: pipe ? pipe.writer : child.stdin! };
}
