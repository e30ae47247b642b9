// What every real-terminal driver of the TUI end-to-end tests shares (tmux.ts, gnu-screen.ts): the session's
// shape, the program wrapper that records its exit status, waiting on what the screen shows (polled until a
// condition holds, with a deadline) and ending the program and everything it started before clean-up.
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";

export interface TerminalOptions {
  width: number;
  height: number;
  /** argv of the program to run in the terminal. */
  command: string[];
  env: Record<string, string>;
  cwd: string;
}

export interface TerminalSession {
  /** Named keys (`Enter`, `Escape`, `C-c`, `Up`, `Down`, `Left`, `Right`, `Tab`...). */
  keys(...keys: string[]): Promise<void>;
  /** Literal text, typed. */
  type(text: string): Promise<void>;
  /** The visible screen. */
  screen(): Promise<string>;
  /** The scrollback and the screen. */
  transcript(): Promise<string>;
  /** Polls the screen until `test` holds; returns that screen. Throws with the last screen at the deadline. */
  waitFor(test: ScreenTest, o?: { timeoutMs?: number; transcript?: boolean }): Promise<string>;
  resize(width: number, height: number): Promise<void>;
  /** Resolves with the exit status once the program ended. */
  waitForExit(o?: { timeoutMs?: number }): Promise<number>;
  kill(): Promise<void>;
}

export type ScreenTest = string | RegExp | ((screen: string) => boolean);

export const POLL_MS = 40;

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The argv that runs `o.command` with exactly `o.env` (env -i) and writes its exit status to `statusFile`
 * (a terminal does not always keep the status of a program that ended at once), and a reader of that status.
 */
export function recordedExit(statusFile: string, o: Pick<TerminalOptions, "command" | "env">): { argv: string[]; status(): number | null } {
  const envArgs = Object.entries(o.env).map(([k, v]) => `${k}=${v}`);
  const script = 'env -i "$@"; echo $? > "$CODEX_TERM_STATUS"';
  return {
    argv: ["env", `CODEX_TERM_STATUS=${statusFile}`, "/bin/sh", "-c", script, "sh", ...envArgs, ...o.command],
    status() {
      try {
        const text = readFileSync(statusFile, "utf8");
        return text.endsWith("\n") ? Number(text.trim()) : null;
      } catch {
        return null;
      }
    },
  };
}

export function screenMatcher(test: ScreenTest): (screen: string) => boolean {
  return typeof test === "string" ? (s) => s.includes(test) : test instanceof RegExp ? (s) => test.test(s) : test;
}

/** Reads with `read` until `test` holds, every POLL_MS, up to the deadline (default 20 s). */
export async function pollScreen(read: () => Promise<string>, test: ScreenTest, o: { timeoutMs?: number } = {}): Promise<string> {
  const deadline = Date.now() + (o.timeoutMs ?? 20_000);
  const ok = screenMatcher(test);
  for (;;) {
    const last = await read();
    if (ok(last)) return last;
    if (Date.now() > deadline) throw new Error(`screen never showed ${String(test)}; last screen:\n${last}`);
    await pause(POLL_MS);
  }
}

export async function pollExit(status: () => number | null, screen: () => Promise<string>, o: { timeoutMs?: number } = {}): Promise<number> {
  const deadline = Date.now() + (o.timeoutMs ?? 20_000);
  for (;;) {
    const s = status();
    if (s !== null) return s;
    if (Date.now() > deadline) throw new Error(`program did not exit; last screen:\n${await screen()}`);
    await pause(POLL_MS);
  }
}

export const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** `pid` and every process below it (from /proc). */
export function descendants(pid: number): number[] {
  if (!Number.isInteger(pid) || pid <= 0) return [];
  let children: number[] = [];
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const text = readFileSync(path.join(`/proc/${pid}/task/${task}/children`), "utf8").trim();
      if (text) children = children.concat(text.split(/\s+/).map(Number));
    }
  } catch {
    return [pid];
  }
  return [pid, ...children.flatMap(descendants)];
}

/** Waits (up to 10 s) until none of `pids` is alive: a program still writing its home at exit would race clean-up. */
export async function waitGone(pids: readonly number[]): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (pids.some(alive) && Date.now() < deadline) await pause(POLL_MS);
}
