// ExecRequest.extraFds: fds handed to the child at 3, 4, … (the sandbox passes its seccomp program this way).
import { closeSync, mkdtempSync, openSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLocalExecRunner } from "../../src/core/exec/local-runner.js";
import type { SandboxPolicy } from "../../src/protocol/policy.js";

const full: SandboxPolicy = { mode: "danger-full-access" };
const env = { PATH: process.env.PATH ?? "/usr/bin:/bin" };
const base = { cwd: process.cwd(), env, sandbox: full };
const never = (): AbortSignal => new AbortController().signal;
const openFdCount = (): number => readdirSync("/proc/self/fd").length;

let dir: string;
let first: string;
let second: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "codex-extra-fds-"));
  first = join(dir, "a.txt");
  second = join(dir, "b.txt");
  writeFileSync(first, "from fd 3\n");
  writeFileSync(second, "from fd 4\n");
});


function withFds<T>(paths: string[], body: (fds: number[]) => Promise<T>): Promise<T> {
  const fds = paths.map((p) => openSync(p, "r"));
  return body(fds).finally(() => fds.forEach((fd) => closeSync(fd)));
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("local runner extraFds", () => {
  const runner = createLocalExecRunner({ killGraceMs: 300 });

  it("advertises the capability", () => {
    expect(runner.supportsExtraFds).toBe(true);
  });

  it("run() puts the fds at 3 and 4 in the child", async () => {
    const r = await withFds([first, second], (extraFds) =>
      runner.run({ ...base, argv: ["sh", "-c", "cat <&3; cat <&4"], extraFds }, { signal: never() }),
    );
    expect(r.stdout).toBe("from fd 3\nfrom fd 4\n");
  });

  it("run() without extraFds gives the child no fd 3", async () => {
    const r = await runner.run({ ...base, argv: ["sh", "-c", "cat <&3"] }, { signal: never() });
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr).toMatch(/3/);
  });

  it("pipe-mode start() puts the fds in the child", async () => {
    let out = "";
    const proc = await withFds([first], (extraFds) =>
      runner.start!(
        { ...base, argv: ["sh", "-c", "cat <&3"], extraFds },
        { signal: never(), onOutput: (c) => (out += c.text) },
      ),
    );
    expect(await proc.exited).toEqual({ exitCode: 0, signal: null });
    expect(out).toBe("from fd 3\n");
  });

  it("tty start() refuses extraFds instead of dropping them", async () => {
    await withFds([first], async (extraFds) => {
      await expect(
        runner.start!({ ...base, argv: ["true"], tty: true, extraFds }, { signal: never() }),
      ).rejects.toThrow(/tty session cannot receive extraFds/);
    });
  });

  it("does not leak parent fds across many runs", async () => {
    const warm = await withFds([first], (extraFds) =>
      runner.run({ ...base, argv: ["sh", "-c", "cat <&3"], extraFds }, { signal: never() }),
    );
    expect(warm.exitCode).toBe(0);
    const before = openFdCount();
    for (let i = 0; i < 100; i++) {
      const r = await withFds([first], (extraFds) =>
        runner.run({ ...base, argv: ["sh", "-c", "cat <&3 >/dev/null"], extraFds }, { signal: never() }),
      );
      expect(r.exitCode).toBe(0);
    }
    expect(openFdCount()).toBeLessThanOrEqual(before);
  });
});
