// A real GNU screen for TUI end-to-end tests: a detached session (`screen -dmS`) with a private socket folder
// (SCREENDIR), read with `-X hardcopy`, typed into with `-X stuff`. A detached session has no display and
// screen then keeps its window at 80×24 whatever `width`/`height` say; so a display is attached
// (`screen -x` under `script`, on a pty of the wanted size) and resizing sets that pty's size, as a person
// resizing their terminal window would, and screen fits the window to it. Screen 4.09's hardcopy writes the
// low byte of each cell: ASCII text reads back as it is, other characters do not ("›" comes back as ":"), so
// tests look for ASCII text.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { descendants, pollExit, pollScreen, recordedExit, waitGone, type TerminalOptions, type TerminalSession } from "./terminal-session.js";

const run = promisify(execFile);

/** What `keys()` names send (screen has no key names of its own). */
const KEYS: Record<string, string> = {
  Enter: "\r",
  Escape: "\x1b",
  Tab: "\t",
  BSpace: "\x7f",
  Up: "\x1b[A",
  Down: "\x1b[B",
  Right: "\x1b[C",
  Left: "\x1b[D",
  Home: "\x1b[H",
  End: "\x1b[F",
};

/** A string screen's command parser hands over byte for byte: everything but letters and digits as octal. */
function stuffArg(text: string): string {
  return [...Buffer.from(text, "utf8")].map((b) => (/[A-Za-z0-9]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `\\${b.toString(8).padStart(3, "0")}`)).join("");
}

export async function startScreen(o: TerminalOptions): Promise<TerminalSession> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "codex-screen-"));
  const screenDir = path.join(dir, "sockets");
  mkdirSync(screenDir);
  chmodSync(screenDir, 0o700);
  const rc = path.join(dir, "screenrc");
  // UTF-8 throughout (the window, the display, hardcopy files); a person's scrollback.
  writeFileSync(rc, ["startup_message off", "defutf8 on", "defencoding utf8", "defscrollback 100000", "term screen-256color", ""].join("\n"));
  const name = "codex";
  const env = { ...process.env, SCREENDIR: screenDir, LANG: "C.UTF-8", LC_ALL: "C.UTF-8" };
  const screenCmd = (...args: string[]) => run("screen", ["-S", name, "-p", "0", "-X", ...args], { env, cwd: o.cwd });
  const program = recordedExit(path.join(dir, "status"), o);
  await run("screen", ["-U", "-c", rc, "-dmS", name, ...program.argv], { env, cwd: o.cwd });

  // The display: `script` gives `screen -x` a pty; the shell in it says which one and sizes it first.
  const ttyFile = path.join(dir, "tty");
  const attach = `tty > '${ttyFile}'; stty rows ${o.height} cols ${o.width}; exec screen -U -x ${name}`;
  const display: ChildProcess = spawn("script", ["-qfc", attach, "/dev/null"], { env: { ...env, TERM: "xterm-256color" }, stdio: ["pipe", "ignore", "ignore"] });
  const tty = await pollScreen(async () => {
    try {
      return readFileSync(ttyFile, "utf8").trim();
    } catch {
      return "";
    }
  }, /^\/dev\/pts\/\d+$/);

  const hardcopy = async (o2: { scrollback: boolean }) => {
    const file = path.join(dir, `hardcopy-${process.hrtime.bigint()}`);
    await screenCmd(...(o2.scrollback ? ["hardcopy", "-h", file] : ["hardcopy", file]));
    // screen writes the file by itself after answering the command: wait until it is there.
    const text = await pollScreen(async () => {
      try {
        return readFileSync(file, "utf8");
      } catch {
        return "\0missing";
      }
    }, (t) => t !== "\0missing");
    rmSync(file, { force: true });
    return text.replace(/[ \t]+$/gm, "");
  };
  const screen = () => hardcopy({ scrollback: false });
  const transcript = () => hardcopy({ scrollback: true });
  const stuff = async (text: string) => {
    await screenCmd("stuff", stuffArg(text));
  };

  return {
    async keys(...keys) {
      for (const k of keys) {
        const ctrl = /^C-([a-z])$/.exec(k);
        const seq = ctrl ? String.fromCharCode(ctrl[1]!.charCodeAt(0) - 96) : KEYS[k];
        if (seq === undefined) throw new Error(`unknown key ${k}`);
        await stuff(seq);
      }
    },
    type: stuff,
    screen,
    transcript,
    waitFor: (test, w = {}) => pollScreen(w.transcript ? transcript : screen, test, w),
    async resize(width, height) {
      // The kernel tells the display (SIGWINCH), and screen fits its window to the display.
      await run("stty", ["-F", tty, "rows", String(height), "cols", String(width)]);
    },
    waitForExit: (w = {}) => pollExit(program.status, screen, w),
    async kill() {
      const pids = [...descendants(display.pid ?? 0)];
      const session = await run("screen", ["-ls"], { env }).then(
        ({ stdout }) => Number(/(\d+)\.codex/.exec(stdout)?.[1] ?? 0),
        (err: { stdout?: string }) => Number(/(\d+)\.codex/.exec(err.stdout ?? "")?.[1] ?? 0),
      );
      pids.push(...descendants(session));
      await screenCmd("quit").catch(() => {});
      display.stdin?.end();
      if (display.exitCode === null) display.kill();
      await waitGone(pids);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
