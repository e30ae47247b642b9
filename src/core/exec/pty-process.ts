import { constants as osConstants } from "node:os";
import type { ExecExit, ExecProcess, ExecStartRequest, OutputChunk } from "./contract.js";
import { endGroupAfterExit, terminateGroup } from "./process-group.js";

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

/** Start `req.argv` under a pseudo-terminal (80x24). Output arrives as one merged "stdout" stream. */
export async function startPtyProcess(
  req: ExecStartRequest,
  options: { graceMs: number; onOutput?: (chunk: OutputChunk) => void },
): Promise<ExecProcess> {
  const [file, ...args] = req.argv;
  if (file === undefined || file === "") throw new Error("exec: empty argv");
  const pty = await loadPty();
  const term = pty.spawn(file, args, {
    name: req.env.TERM || "xterm",
    cols: 80,
    rows: 24,
    cwd: req.cwd,
    env: req.env,
  });
  let done = false;
  term.onData((text) => options.onOutput?.({ stream: "stdout", text }));
  const exited = new Promise<ExecExit>((resolve) => {
    term.onExit(({ exitCode, signal }) => {
      done = true;
      // The command has finished: background jobs it left in its session's group end with it.
      endGroupAfterExit(term.pid);
      const sig = signalName(signal);
      resolve({ exitCode: sig ? null : exitCode, signal: sig });
    });
  });
  if (req.stdin !== undefined) term.write(req.stdin);
  return {
    pid: term.pid,
    tty: true,
    write(data: string): boolean {
      if (done) return false;
      term.write(data);
      return true;
    },
    exited,
    kill(): void {
      if (done) return;
      // The pty child leads its own session and process group, so the group id is its pid.
      terminateGroup(term.pid, { graceMs: options.graceMs });
    },
  };
}
