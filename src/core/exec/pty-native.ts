import { closeSync, constants as fsConstants, openSync } from "node:fs";

/** The part of @lydell/node-pty's native binding (pty.node) a tty session uses. */
export interface PtyBinding {
  fork(
    file: string,
    args: string[],
    env: string[],
    cwd: string,
    cols: number,
    rows: number,
    uid: number,
    gid: number,
    utf8: boolean,
    helperPath: string,
    onExit: (exitCode: number, signal: number) => void,
  ): { fd: number; pid: number; pty: string };
  resize(fd: number, cols: number, rows: number): void;
}

/**
 * Load node-pty's native binding the way node-pty itself finds it (its platform package, resolved from its own
 * folder). node-pty's JavaScript terminal is not used: it reads the master with a libuv stream, which takes a
 * hang-up with a short read for end-of-file and drops what the kernel still holds (see pty-process.ts), and it
 * closes the master while the command may still be running.
 */
export async function loadPtyBinding(): Promise<{ binding: PtyBinding; helperPath: string }> {
  try {
    // @ts-expect-error -- node-pty ships no declarations for this file (its own loader of the binding).
    const mod = (await import("@lydell/node-pty/requireBinary.js")) as {
      requireBinary?: (file: string) => unknown;
      default?: { requireBinary: (file: string) => unknown };
    };
    const requireBinary = mod.requireBinary ?? mod.default?.requireBinary;
    if (typeof requireBinary !== "function") throw new Error("requireBinary() is missing");
    const binding = requireBinary("pty.node") as PtyBinding;
    // Only macOS starts the command through node-pty's spawn-helper; elsewhere the path is unused.
    const helperPath = process.platform === "darwin" ? await darwinHelperPath() : "spawn-helper-unused";
    return { binding, helperPath };
  } catch (err) {
    throw new Error(`tty sessions need @lydell/node-pty, which failed to load: ${(err as Error).message}`);
  }
}

async function darwinHelperPath(): Promise<string> {
  const { createRequire } = await import("node:module");
  const req = createRequire(import.meta.url);
  const base = req.resolve("@lydell/node-pty");
  return createRequire(base)
    .resolve(`@lydell/node-pty-${process.platform}-${process.arch}/spawn-helper`)
    .replace("app.asar", "app.asar.unpacked");
}

/**
 * Open the terminal's slave side in this process (never as our controlling terminal), or null when it cannot
 * be opened. While it is open the master sees no hang-up, so the command's last output stays readable after
 * the command has closed its own descriptors, and the master is not closed under a command that is still
 * exiting (which would hang the terminal up and kill it with SIGHUP).
 */
export function holdSlave(ptsName: string): number | null {
  try {
    return openSync(ptsName, fsConstants.O_RDWR | fsConstants.O_NOCTTY | fsConstants.O_NONBLOCK);
  } catch {
    return null;
  }
}

export function releaseSlave(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // Already closed.
  }
}
