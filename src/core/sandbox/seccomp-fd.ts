import { closeSync, existsSync, mkdtempSync, openSync, rmdirSync, unlinkSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/**
 * Puts the seccomp program in an anonymous (unlinked) file and returns an fd on it.
 * Mode 0400: even if a sandboxed process (uid 0, but with every capability dropped) raced us to open the file
 * before the unlink, it could not open it for writing. /dev/shm is preferred because the sandbox gets a fresh
 * /dev and never sees the host's.
 */
export function openSeccompProgramFd(program: Buffer, options: { tmpBase?: string } = {}): number {
  const base = options.tmpBase ?? (existsSync("/dev/shm") ? "/dev/shm" : tmpdir());
  let dir: string;
  try {
    dir = mkdtempSync(path.join(base, "codex-seccomp-"));
  } catch {
    dir = mkdtempSync(path.join(tmpdir(), "codex-seccomp-"));
  }
  const file = path.join(dir, "filter.bpf");
  const fd = openSync(file, "wx+", 0o400);
  try {
    writeSync(fd, program, 0, program.length, 0);
  } catch (err) {
    closeSync(fd);
    throw err;
  } finally {
    unlinkSync(file);
    rmdirSync(dir);
  }
  return fd;
}
