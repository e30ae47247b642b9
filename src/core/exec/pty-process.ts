import { writeSync } from "node:fs";
import { constants as osConstants } from "node:os";
import { ReadStream } from "node:tty";
import type { ExecExit, ExecProcess, ExecStartRequest, OutputChunk } from "./contract.js";
import { endGroupAfterExit, signalGroup, terminateGroup } from "./process-group.js";
import { EndMarkFilter, newEndMark } from "./pty-end-marker.js";
import { holdSlave, loadPtyBinding, releaseSlave } from "./pty-native.js";

function signalName(n: number | undefined): string | null {
  if (!n) return null;
  const entry = Object.entries(osConstants.signals).find(([, v]) => v === n);
  return entry ? entry[0] : `SIG${n}`;
}

/**
 * The most we wait, after the command's exit, for its output to drain: only reached when the terminal's output
 * is stuck (stopped with Ctrl-S, or the slave could not be held and the master never hangs up).
 */
const PTY_DRAIN_CAP_MS = 3000;
/** How often a mark the terminal had no room for is tried again. */
const MARK_RETRY_MS = 5;

/**
 * Start `req.argv` under a pseudo-terminal (`req.size`, default 80x24). Output arrives as one merged "stdout"
 * stream, every byte of it before `exited` resolves.
 *
 * How the end of the output is found: this process holds the terminal's slave side open, so the master never
 * hangs up under the reader. (A libuv stream takes a hang-up after a short read for end-of-file, and a pty master
 * gives at most one line-discipline buffer per read, so the last kilobytes were dropped; and closing the master
 * while the command was still between closing its descriptors and exiting hung the terminal up and killed it
 * with SIGHUP.) Once the command has been reaped, a random mark is written to the slave: the output queue is
 * ordered, so the mark comes out right after the command's last byte, and the session ends there.
 */
export async function startPtyProcess(
  req: ExecStartRequest,
  options: { graceMs: number; onOutput?: (chunk: OutputChunk) => void },
): Promise<ExecProcess> {
  const [file, ...args] = req.argv;
  if (file === undefined || file === "") throw new Error("exec: empty argv");
  const { binding, helperPath } = await loadPtyBinding();
  const env: Record<string, string> = { ...req.env, PWD: req.cwd, TERM: req.env.TERM || "xterm" };
  let onChildExit: (exitCode: number, signal: number) => void = () => {};
  const child = binding.fork(
    file,
    args,
    Object.entries(env).map(([k, v]) => `${k}=${v}`),
    req.cwd,
    req.size?.cols ?? 80,
    req.size?.rows ?? 24,
    -1,
    -1,
    true,
    helperPath,
    (exitCode, signal) => onChildExit(exitCode, signal),
  );
  // At once, before the event loop first polls the master: should the command already have closed its side,
  // opening the slave again clears the master's hang-up.
  let slave = holdSlave(child.pty);
  const socket = new ReadStream(child.fd);
  socket.setEncoding("utf8");
  // EIO once the terminal is released, EAGAIN now and then: neither loses output we are still waiting for.
  socket.on("error", () => {});
  const filter = new EndMarkFilter((text) => options.onOutput?.({ stream: "stdout", text }));

  // done: the command has exited; finished: its output is drained and `exited` resolved.
  let done = false;
  let finished = false;
  let status: ExecExit | null = null;
  let socketClosed = false;
  let cap: NodeJS.Timeout | undefined;
  let retry: NodeJS.Timeout | undefined;
  let resolveExited!: (exit: ExecExit) => void;
  const exited = new Promise<ExecExit>((resolve) => (resolveExited = resolve));

  const release = (): void => {
    if (slave === null) return;
    releaseSlave(slave);
    slave = null;
  };
  const finish = (): void => {
    if (status === null || finished) return;
    finished = true;
    clearTimeout(cap);
    clearTimeout(retry);
    filter.flush();
    release();
    socket.destroy();
    resolveExited(status);
  };
  socket.on("data", (text: string) => {
    if (filter.push(text)) finish();
  });
  socket.on("close", () => {
    socketClosed = true;
    finish();
  });

  const writeMark = (rest: string): void => {
    if (finished || slave === null) return;
    let written = 0;
    try {
      written = writeSync(slave, rest);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EAGAIN") {
        // The slave was hung up: without the mark, the master's hang-up (now that we let go) ends the output.
        release();
        return;
      }
    }
    if (written < rest.length) retry = setTimeout(() => writeMark(rest.slice(written)), MARK_RETRY_MS);
  };

  onChildExit = (exitCode, signal) => {
    if (done) return;
    done = true;
    // The command has finished: background jobs it left in its session's group end with it.
    endGroupAfterExit(child.pid);
    const sig = signalName(signal);
    status = { exitCode: sig ? null : exitCode, signal: sig };
    if (socketClosed) return finish();
    cap = setTimeout(finish, PTY_DRAIN_CAP_MS);
    const mark = newEndMark();
    filter.expect(mark);
    writeMark(mark);
  };

  const writeRaw = (data: string | Buffer): void => {
    socket.write(data);
  };
  let inputClosed = false;
  if (req.stdin !== undefined) writeRaw(req.stdin);
  return {
    pid: child.pid,
    tty: true,
    write(data: string | Buffer): boolean {
      if (done || inputClosed) return false;
      writeRaw(data);
      return true;
    },
    closeStdin(): void {
      if (done || inputClosed) return;
      inputClosed = true;
      // End-of-file is only read at the start of a line in canonical mode, hence the newline first.
      writeRaw("\n\x04");
    },
    resize(size): boolean {
      if (done) return false;
      try {
        binding.resize(child.fd, size.cols, size.rows);
        return true;
      } catch {
        return false;
      }
    },
    exited,
    kill(o): void {
      if (done) return;
      // The pty child leads its own session and process group, so the group id is its pid.
      if (o?.immediate) signalGroup(child.pid, "SIGKILL");
      else terminateGroup(child.pid, { graceMs: options.graceMs });
    },
  };
}
