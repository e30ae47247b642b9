// When a command's main process exits, the runner ends what it left in its process group, without waiting
// for the background job that holds the pipes and without losing what it printed before the exit.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createLocalExecRunner } from "../../src/core/exec/local-runner.js";
import type { SandboxPolicy } from "../../src/protocol/policy.js";
import { waitFor } from "./wait-for.js";

const full: SandboxPolicy = { mode: "danger-full-access" };
const base = { cwd: process.cwd(), env: { PATH: process.env.PATH ?? "/usr/bin:/bin" }, sandbox: full };
const never = (): AbortSignal => new AbortController().signal;

/** Gone from /proc or a zombie nobody has reaped yet (kill(pid, 0) would still succeed on one). */
function gone(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return ["Z", "X"].includes(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[0] ?? "");
  } catch {
    return true;
  }
}

const SCRIPT = "(echo bg-before; exec sleep 300) & echo $!; sleep 0.2; echo main-done";

describe("background jobs end with the command", () => {
  const runner = createLocalExecRunner({ killGraceMs: 300, drainMs: 2000 });

  it("run(): the job holding the pipe is killed at exit, its earlier output kept, the call not held", async () => {
    const started = Date.now();
    const r = await runner.run({ ...base, argv: ["/bin/sh", "-c", SCRIPT] }, { signal: never() });
    const elapsed = Date.now() - started;
    expect(r.exitCode).toBe(0);
    const [pidLine] = r.stdout.split("\n").filter((l) => /^\d+$/.test(l));
    const pid = Number(pidLine);
    expect(pid).toBeGreaterThan(1);
    expect(r.stdout).toContain("bg-before\n");
    expect(r.stdout.endsWith("main-done\n")).toBe(true);
    // Not held for the 2 s quiet-drain window: the pipes closed when the job died.
    expect(elapsed).toBeLessThan(1500);
    await waitFor(() => gone(pid), { what: `background job ${pid} to end`, timeoutMs: 3000 });
  });

  it("start(): a session whose main process exits takes its background jobs with it", async () => {
    let out = "";
    const proc = await runner.start!({ ...base, argv: ["/bin/sh", "-c", SCRIPT] }, {
      signal: never(),
      onOutput: (c) => (out += c.text),
    });
    const exit = await proc.exited;
    expect(exit.exitCode).toBe(0);
    const pid = Number(out.split("\n").find((l) => /^\d+$/.test(l)));
    expect(out).toContain("main-done");
    await waitFor(() => gone(pid), { what: `background job ${pid} to end`, timeoutMs: 3000 });
  });

  it("start() with a tty: a nohup'd job (immune to the terminal's hangup) ends with the session", async () => {
    let out = "";
    const proc = await runner.start!(
      { ...base, argv: ["/bin/sh", "-c", "nohup sleep 300 >/dev/null 2>&1 & echo pid=$!; sleep 0.2"], tty: true },
      { signal: never(), onOutput: (c) => (out += c.text) },
    );
    await proc.exited;
    const pid = Number(/pid=(\d+)/.exec(out)?.[1]);
    expect(pid).toBeGreaterThan(1);
    await waitFor(() => gone(pid), { what: `background job ${pid} to end`, timeoutMs: 3000 });
  });
});

describe("when the process itself exits", () => {
  it("process.exit() with commands still running ends their whole groups", async () => {
    const { spawnSync } = await import("node:child_process");
    const { join } = await import("node:path");
    const fixture = join(import.meta.dirname, "fixtures", "exit-with-running-commands.ts");
    const r = spawnSync(join(process.cwd(), "node_modules", ".bin", "vite-node"), [fixture], {
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(r.status, r.stderr).toBe(0);
    // The fixture prints the pids of the nohup'd jobs and of their (TERM-ignoring) shells' groups.
    const pids = JSON.parse(r.stdout.trim().split("\n").at(-1)!) as number[];
    expect(pids).toHaveLength(2);
    const groups = JSON.parse(r.stdout.trim().split("\n").at(-2) ?? "[]") as number[];
    try {
      for (const pid of pids) await waitFor(() => gone(pid), { what: `background job ${pid} to end`, timeoutMs: 3000 });
    } finally {
      for (const pid of pids) if (!gone(pid)) process.kill(pid, "SIGKILL");
      for (const group of groups) {
        try {
          process.kill(-group, "SIGKILL");
        } catch {
          // already ended, as it should be
        }
      }
    }
  });
});
