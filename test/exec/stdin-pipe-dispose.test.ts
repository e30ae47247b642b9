// The stdin pipes a runner keeps ready (two fds each) and a sandboxed runner's seccomp program fds are closed by
// their owner's dispose; an app-server made a runtime per thread and never gave them back. Counted in
// /proc/self/fd: the FIFOs by their (unlinked) names, and every fd of the process.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLocalExecRunner } from "../../src/core/exec/local-runner.js";
import { createStdinPipeSource, type StdinPipe } from "../../src/core/exec/stdin-pipe.js";
import { createSandboxedExecRunner } from "../../src/core/sandbox/index.js";
import type { SandboxPolicy } from "../../src/protocol/policy.js";

let home: string;
let env: Record<string, string>;
beforeAll(() => {
  home = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "stdin-dispose-")));
  env = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: home };
});
afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

/** This process's fds whose target matches `what`. */
function fdsOn(what: RegExp): string[] {
  const out: string[] = [];
  for (const fd of fs.readdirSync("/proc/self/fd")) {
    try {
      const target = fs.readlinkSync(`/proc/self/fd/${fd}`);
      if (what.test(target)) out.push(`${fd} -> ${target}`);
    } catch {
      // Gone while listed (the readdir's own fd).
    }
  }
  return out;
}
const STDIN_FIFO = /codex-stdin-/;
const SECCOMP = /codex-seccomp-/;
const fdCount = () => fs.readdirSync("/proc/self/fd").length;
const never = (): AbortSignal => new AbortController().signal;

/** Gives a handed-out pipe back: its read end closed, its write end destroyed (once it has closed). */
async function release(p: StdinPipe): Promise<void> {
  p.closeChildEnd();
  const closed = new Promise<void>((r) => p.writer.once("close", () => r()));
  p.writer.destroy();
  await closed;
}

describe("a stdin pipe source's dispose", () => {
  it("closes the pipes it keeps ready; a take after it still gets a real pipe, kept by nobody", async () => {
    const before = fdCount();
    const fifos = fdsOn(STDIN_FIFO).length;
    const source = createStdinPipeSource({ batch: 4 });
    const first = (await source.take())!;
    // Three kept ready besides the one handed out: two fds each.
    expect(fdsOn(STDIN_FIFO)).toHaveLength(fifos + 8);
    await release(first);
    expect(fdsOn(STDIN_FIFO)).toHaveLength(fifos + 6);
    source.dispose();
    expect(fdsOn(STDIN_FIFO)).toHaveLength(fifos);
    expect(fdCount()).toBe(before);

    const late = (await source.take())!;
    expect(late).not.toBeNull();
    expect(fdsOn(STDIN_FIFO)).toHaveLength(fifos + 2);
    await release(late);
    expect(fdCount()).toBe(before);
  });

  it("also closes what a refill under way brings; the take that waited on it gets a pipe of its own", async () => {
    const fifos = fdsOn(STDIN_FIFO).length;
    const source = createStdinPipeSource({ batch: 4 });
    const waiting = source.take();
    source.dispose();
    const p = (await waiting)!;
    expect(p).not.toBeNull();
    // Only the waiting take's own pipe: the refill's four were closed as they came.
    expect(fdsOn(STDIN_FIFO)).toHaveLength(fifos + 2);
    await release(p);
    expect(fdsOn(STDIN_FIFO)).toHaveLength(fifos);
  });
});

describe("an exec runner's dispose", () => {
  it("closes its stdin pipes and, sandboxed, its seccomp program fds; it still runs commands after", async () => {
    const before = fdCount();
    const fifos = fdsOn(STDIN_FIFO).length;
    const seccomp = fdsOn(SECCOMP).length;
    const runner = createSandboxedExecRunner(createLocalExecRunner());
    const probe = "if [ -p /dev/stdin ]; then echo pipe; fi; cat";
    for (const sandbox of [{ mode: "danger-full-access" }, { mode: "read-only", networkAccess: false }] as SandboxPolicy[]) {
      const r = await runner.run({ argv: ["bash", "-c", probe], cwd: home, env, sandbox, stdin: "fed\n" }, { signal: never() });
      expect(r.stdout).toBe("pipe\nfed\n");
    }
    // Pipes kept ready for the next commands, and the read-only sandbox's seccomp program.
    expect(fdsOn(STDIN_FIFO).length).toBeGreaterThan(fifos);
    expect(fdsOn(SECCOMP)).toHaveLength(seccomp + 1);
    runner.dispose!();
    expect(fdsOn(STDIN_FIFO)).toHaveLength(fifos);
    expect(fdsOn(SECCOMP)).toHaveLength(seccomp);
    expect(fdCount()).toBe(before);
    const again = await runner.run(
      { argv: ["bash", "-c", probe], cwd: home, env, sandbox: { mode: "read-only", networkAccess: false }, stdin: "x\n" },
      { signal: never() },
    );
    expect(again.stdout).toBe("pipe\nx\n");
    runner.dispose!();
    expect(fdCount()).toBe(before);
  });
});
