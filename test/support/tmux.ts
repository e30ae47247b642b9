// A real terminal for TUI end-to-end tests: a private tmux server (own socket), one session per test.
// Everything waits on what the screen shows (capture-pane polled until a condition holds, with a deadline).
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { descendants, pollExit, pollScreen, recordedExit, waitGone, type TerminalOptions, type TerminalSession } from "./terminal-session.js";

const run = promisify(execFile);

export interface TmuxOptions extends TerminalOptions {
  /** Extra lines for the server's tmux.conf (e.g. `set -g window-style "bg=#ffffff"`: tmux answers OSC 11 with it). */
  conf?: string[];
}

export interface TmuxSession extends TerminalSession {
  /** tmux key names (`Enter`, `Escape`, `C-c`, `Up`...). */
  keys(...keys: string[]): Promise<void>;
  /** Literal text, typed (send-keys -l). */
  type(text: string): Promise<void>;
  /** Text pasted as the terminal would (paste-buffer; bracketed when the program asked for it). */
  paste(text: string): Promise<void>;
  /** The scrollback and the screen, wrapped lines joined. */
  transcript(): Promise<string>;
  /** The visible screen with its colours and attributes (capture-pane -e). */
  screenWithEscapes(): Promise<string>;
}

export async function startTmux(o: TmuxOptions): Promise<TmuxSession> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "codex-tmux-"));
  const socket = path.join(dir, "sock");
  // Set before the pane exists: a program that exits at once keeps its pane (and exit status), and the
  // scrollback holds whole sessions.
  const conf = path.join(dir, "tmux.conf");
  writeFileSync(conf, ["set -g remain-on-exit on", "set -g history-limit 100000", ...(o.conf ?? [])].join("\n") + "\n");
  const tmux = (...args: string[]) => run("tmux", ["-S", socket, "-f", conf, ...args], { maxBuffer: 64 * 1024 * 1024 });
  const program = recordedExit(path.join(dir, "status"), o);
  await tmux("new-session", "-d", "-s", "t", "-x", String(o.width), "-y", String(o.height), "-c", o.cwd, ...program.argv);
  // resize-window needs a manual window size (no client is attached to size it).
  await tmux("set-window-option", "-t", "t", "window-size", "manual").catch(() => {});

  const screen = async () => (await tmux("capture-pane", "-p", "-t", "t")).stdout;
  const transcript = async () => (await tmux("capture-pane", "-p", "-J", "-S", "-", "-E", "-", "-t", "t")).stdout;
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
    screenWithEscapes: async () => (await tmux("capture-pane", "-p", "-e", "-t", "t")).stdout,
    waitFor: (test, w = {}) => pollScreen(w.transcript ? transcript : screen, test, w),
    async resize(width, height) {
      await tmux("resize-window", "-t", "t", "-x", String(width), "-y", String(height));
    },
    waitForExit: (w = {}) => pollExit(program.status, screen, w),
    async kill() {
      // The program and its shell end with the terminal; wait until they have (a program still writing into
      // its home at exit would race the test's clean-up).
      const pids = await tmux("display-message", "-p", "-t", "t", "#{pane_pid}")
        .then(({ stdout }) => descendants(Number(stdout.trim())))
        .catch(() => [] as number[]);
      await tmux("kill-server").catch(() => {});
      await waitGone(pids);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return session;
}
