// A real terminal for TUI end-to-end tests: a private tmux server (own socket), one session per test.
// Everything waits on what the screen shows (capture-pane polled until a condition holds, with a deadline).
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface TmuxOptions {
  width: number;
  height: number;
  /** argv of the program to run in the pane. */
  command: string[];
  env: Record<string, string>;
  cwd: string;
}

export interface TmuxSession {
  /** tmux key names (`Enter`, `Escape`, `C-c`, `Up`...). */
  keys(...keys: string[]): Promise<void>;
  /** Literal text, typed (send-keys -l). */
  type(text: string): Promise<void>;
  /** Text pasted as the terminal would (paste-buffer; bracketed when the program asked for it). */
  paste(text: string): Promise<void>;
  /** The visible screen. */
  screen(): Promise<string>;
  /** The scrollback and the screen, wrapped lines joined. */
  transcript(): Promise<string>;
  /** Polls the screen until `test` holds; returns that screen. Throws with the last screen at the deadline. */
  waitFor(test: string | RegExp | ((screen: string) => boolean), o?: { timeoutMs?: number; transcript?: boolean }): Promise<string>;
  resize(width: number, height: number): Promise<void>;
  /** Resolves with the exit status once the program ended. */
  waitForExit(o?: { timeoutMs?: number }): Promise<number>;
  kill(): Promise<void>;
}

const POLL_MS = 40;

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** `pid` and every process below it (from /proc). */
function descendants(pid: number): number[] {
  if (!Number.isInteger(pid) || pid <= 0) return [];
  let children: number[] = [];
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const text = readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").trim();
      if (text) children = children.concat(text.split(/\s+/).map(Number));
    }
  } catch {
    return [pid];
  }
  return [pid, ...children.flatMap(descendants)];
}

export async function startTmux(o: TmuxOptions): Promise<TmuxSession> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "codex-tmux-"));
  const socket = path.join(dir, "sock");
  // Set before the pane exists: a program that exits at once keeps its pane (and exit status), and the
  // scrollback holds whole sessions.
  const conf = path.join(dir, "tmux.conf");
  writeFileSync(conf, "set -g remain-on-exit on\nset -g history-limit 100000\n");
  const tmux = (...args: string[]) => run("tmux", ["-S", socket, "-f", conf, ...args], { maxBuffer: 64 * 1024 * 1024 });
  const envArgs = Object.entries(o.env).map(([k, v]) => `${k}=${v}`);
  // The exit status goes to a file: tmux does not always know it for a program that ended at once.
  const statusFile = path.join(dir, "status");
  const script = 'env -i "$@"; echo $? > "$CODEX_TMUX_STATUS"';
  await tmux(
    "new-session", "-d", "-s", "t", "-x", String(o.width), "-y", String(o.height), "-c", o.cwd,
    "env", `CODEX_TMUX_STATUS=${statusFile}`, "/bin/sh", "-c", script, "sh", ...envArgs, ...o.command,
  );
  // resize-window needs a manual window size (no client is attached to size it).
  await tmux("set-window-option", "-t", "t", "window-size", "manual").catch(() => {});

  const screen = async () => (await tmux("capture-pane", "-p", "-t", "t")).stdout;
  const transcript = async () => (await tmux("capture-pane", "-p", "-J", "-S", "-", "-E", "-", "-t", "t")).stdout;
  const exitStatus = () => {
    try {
      const text = readFileSync(statusFile, "utf8");
      return text.endsWith("\n") ? Number(text.trim()) : null;
    } catch {
      return null;
    }
  };

  const session: TmuxSession = {
    async keys(...keys) {
      await tmux("send-keys", "-t", "t", ...keys);
    },
    async type(text) {
      await tmux("send-keys", "-t", "t", "-l", text);
    },
    async paste(text) {
      const file = path.join(dir, "paste.txt");
      writeFileSync(file, text);
      await tmux("load-buffer", "-b", "p", file);
      await tmux("paste-buffer", "-p", "-d", "-b", "p", "-t", "t");
    },
    screen,
    transcript,
    async waitFor(test, w = {}) {
      const deadline = Date.now() + (w.timeoutMs ?? 20_000);
      const ok = typeof test === "string" ? (s: string) => s.includes(test) : test instanceof RegExp ? (s: string) => test.test(s) : test;
      let last = "";
      for (;;) {
        last = w.transcript ? await transcript() : await screen();
        if (ok(last)) return last;
        if (Date.now() > deadline) throw new Error(`screen never showed ${String(test)}; last screen:\n${last}`);
        await new Promise((r) => setTimeout(r, POLL_MS));
      }
    },
    async resize(width, height) {
      await tmux("resize-window", "-t", "t", "-x", String(width), "-y", String(height));
    },
    async waitForExit(w = {}) {
      const deadline = Date.now() + (w.timeoutMs ?? 20_000);
      for (;;) {
        const status = exitStatus();
        if (status !== null) return status;
        if (Date.now() > deadline) throw new Error(`program did not exit; last screen:\n${await screen()}`);
        await new Promise((r) => setTimeout(r, POLL_MS));
      }
    },
    async kill() {
      // The program and its shell end with the terminal; wait until they have (a program still writing into
      // its home at exit would race the test's clean-up).
      const pids = await tmux("display-message", "-p", "-t", "t", "#{pane_pid}")
        .then(({ stdout }) => descendants(Number(stdout.trim())))
        .catch(() => [] as number[]);
      await tmux("kill-server").catch(() => {});
      const deadline = Date.now() + 10_000;
      while (pids.some(alive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, POLL_MS));
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return session;
}
