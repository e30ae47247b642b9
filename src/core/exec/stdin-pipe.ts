import { execFile } from "node:child_process";
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

function mkfifo(path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile("mkfifo", ["-m", "600", path], { env: { PATH: process.env.PATH ?? "/usr/bin:/bin" } }, (err) =>
      err ? reject(err) : resolve(),
    );
  });
}

/** A new pipe for one child's stdin, or null when no FIFO can be made here (the caller falls back to a socket pair). */
export async function createStdinPipe(): Promise<StdinPipe | null> {
  let dir: string | undefined;
  const fds: number[] = [];
  try {
    dir = mkdtempSync(join(tmpdir(), "codex-stdin-"));
    const fifo = join(dir, "p");
    await mkfifo(fifo);
    // Opened in an order in which no open blocks: a non-blocking reader lets the writer open at once, and the
    // writer lets a blocking reader (the child's, so its reads block as on any pipe) open at once.
    const probe = openSync(fifo, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
    fds.push(probe);
    const w = openSync(fifo, fsConstants.O_WRONLY);
    fds.push(w);
    const r = openSync(fifo, fsConstants.O_RDONLY);
    fds.push(r);
    closeSync(probe);
    fds.shift();
    const writer = new Socket({ fd: w, readable: false, writable: true });
    let childOpen = true;
    return {
      childFd: r,
      writer,
      closeChildEnd(): void {
        if (!childOpen) return;
        childOpen = false;
        closeSync(r);
      },
    };
  } catch {
    for (const fd of fds) {
      try {
        closeSync(fd);
      } catch {
        // Already closed.
      }
    }
    return null;
  } finally {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  }
}
