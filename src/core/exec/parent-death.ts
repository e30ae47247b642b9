import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

/**
 * A command run without the sandbox must not outlive the agent. bwrap's --die-with-parent covers sandboxed
 * commands; an unsandboxed one is started through util-linux `setpriv --pdeathsig`, which asks the kernel
 * to send the command SIGTERM when its parent (this process) dies — also on kill -9, when no exit hook runs.
 * setpriv execs the command in place: same pid, same exit status, same fds.
 */
export interface ParentDeathGuard {
  /** `argv` started so that it gets `signal` when this process dies; `argv` itself when that is unavailable. */
  wrap(argv: readonly string[]): string[];
}

export interface ParentDeathGuardOptions {
  /** Default /usr/bin/setpriv (then /bin/setpriv). */
  setpriv?: string;
  /** Default TERM, as Codex does: the command can still clean up after itself. */
  signal?: "TERM" | "KILL";
}

/** The probe (does a setpriv with --pdeathsig exist?) runs once, at the first command. */
export function createParentDeathGuard(o: ParentDeathGuardOptions = {}): ParentDeathGuard {
  const signal = o.signal ?? "TERM";
  let setpriv: string | null | undefined;
  const find = (): string | null => {
    if (process.platform !== "linux") return null;
    const candidates = o.setpriv ? [o.setpriv] : ["/usr/bin/setpriv", "/bin/setpriv"];
    for (const path of candidates) {
      if (!existsSync(path)) continue;
      const help = spawnSync(path, ["--help"], { encoding: "utf8", timeout: 5000 });
      if (help.status === 0 && help.stdout.includes("--pdeathsig")) return path;
    }
    return null;
  };
  return {
    wrap(argv) {
      if (argv.length === 0) return [...argv];
      setpriv ??= find();
      return setpriv === null ? [...argv] : [setpriv, "--pdeathsig", signal, "--", ...argv];
    },
  };
}
