import { constants as osConstants } from "node:os";
import type { ExecExit, ExecProcess, ExecStartRequest, OutputChunk } from "./contract.js";
import { endGroupAfterExit, signalGroup, terminateGroup } from "./process-group.js";

type PtyModule = typeof import("@lydell/node-pty");

/** node-pty is an optional dependency: load it only when a tty session is asked for. */
async function loadPty(): Promise<PtyModule> {
  try {
    const mod = (await import("@lydell/node-pty")) as PtyModule & { default?: PtyModule };
    return typeof mod.spawn === "function" ? mod : (mod.default ?? mod);
  } catch (err) {
    throw new Error(`tty sessions need @lydell/node-pty, which failed to load: ${(err as Error).message}`);
  }
}

function signalName(n: number | undefined): string | null {
  if (!n) return null;
  const entry = Object.entries(osConstants.signals).find(([, v]) => v === n);
  return entry ? entry[0] : `SIG${n}`;
}

/** How long a pty's output must be quiet after its exit before the exit is reported, and the most we wait. */
const PTY_QUIET_MS = 20;
const PTY_SETTLE_CAP_MS = 300;

/** Start `req.argv` under a pseudo-terminal (`req.size`, default 80x24). Output arrives as one merged "stdout" stream. */
export async function startPtyProcess(
  req: ExecStartRequest,
  options: { graceMs: number; onOutput?: (chunk: OutputChunk) => void },
): Promise<ExecProcess> {
  const [file, ...args] = req.argv;
  if (file === undefined || file === "") throw new Error("exec: empty argv");
  const pty = await loadPty();
  const term = pty.spawn(file, args, {
    name: req.env.TERM || "xterm",
    cols: req.size?.cols ?? 80,
    rows: req.size?.rows ?? 24,
    cwd: req.cwd,
    env: req.env,
  });
  let done = false;
  let lastData = Date.now();
  term.onData((text) => {
    lastData = Date.now();
    options.onOutput?.({ stream: "stdout", text });
  });
  const exited = new Promise<ExecExit>((resolve) => {
    term.onExit(({ exitCode, signal }) => {
      done = true;
      // The command has finished: background jobs it left in its session's group end with it.
      endGroupAfterExit(term.pid);
      const sig = signalName(signal);
      // node-pty can report the exit before the last output has been read from the master side: let the
      // output go quiet first (bounded), so "every chunk before exited" holds for ptys too.
      const started = Date.now();
      const settle = (): void => {
        const now = Date.now();
        if (now - lastData >= PTY_QUIET_MS || now - started >= PTY_SETTLE_CAP_MS) {
          resolve({ exitCode: sig ? null : exitCode, signal: sig });
          return;
        }
        setTimeout(settle, PTY_QUIET_MS);
      };
      setTimeout(settle, PTY_QUIET_MS);
    });
  });
  // node-pty's socket takes bytes as well as text (its typings only say string).
  const writeRaw = term.write.bind(term) as (data: string | Buffer) => void;
  let inputClosed = false;
  if (req.stdin !== undefined) writeRaw(req.stdin);
  return {
    pid: term.pid,
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
      term.resize(size.cols, size.rows);
      return true;
    },
    exited,
    kill(o): void {
      if (done) return;
      // The pty child leads its own session and process group, so the group id is its pid.
      if (o?.immediate) signalGroup(term.pid, "SIGKILL");
      else terminateGroup(term.pid, { graceMs: options.graceMs });
    },
  };
}
