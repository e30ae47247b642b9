// How the seccomp program reaches bwrap: as an inherited fd (default with a capable runner) or via the sh shim.
import { readdirSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ExecRequest, ExecRunner, ExecStartRequest } from "../../src/core/exec/contract.js";
import { createLocalExecRunner } from "../../src/core/exec/local-runner.js";
import { createSandboxedExecRunner } from "../../src/core/sandbox/sandboxed-runner.js";
import { baseEnv, makeWorkspace, realPython, requireBwrap, runIn, type Workspace } from "./support.js";

let w: Workspace;
let python: string;
const never = (): AbortSignal => new AbortController().signal;
const openFdCount = (): number => readdirSync("/proc/self/fd").length;
const socketProbe = "import socket\ntry:\n socket.socket()\n print('open')\nexcept PermissionError:\n print('denied')";

beforeAll(async () => {
  await requireBwrap();
  python = realPython();
  w = makeWorkspace();
});
afterAll(() => w?.cleanup());

/** Wraps a real runner and records what the sandbox asked it to spawn. */
function recording(inner: ExecRunner, options: { advertise: boolean }): { runner: ExecRunner; seen: ExecRequest[] } {
  const seen: ExecRequest[] = [];
  const runner: ExecRunner = {
    ...(options.advertise ? { supportsExtraFds: true } : {}),
    run: (req, o) => {
      seen.push(req);
      return inner.run(options.advertise ? req : { ...req, extraFds: undefined }, o);
    },
    start: (req: ExecStartRequest, o) => {
      seen.push(req);
      return inner.start!(req, o);
    },
  };
  return { runner, seen };
}

describe("fd passing default", () => {
  it("hands the seccomp fd straight to bwrap when the inner runner supports extraFds", async () => {
    const { runner, seen } = recording(createLocalExecRunner(), { advertise: true });
    const sandboxed = createSandboxedExecRunner(runner);
    const res = await runIn(sandboxed, [python, "-c", socketProbe], { cwd: w.ws, sandbox: w.policy() });
    expect(res.stdout, res.aggregatedOutput).toBe("denied\n");
    expect(seen[0]?.argv[0]).toMatch(/bwrap$/);
    expect(seen[0]?.argv).toContain("--seccomp");
    expect(seen[0]?.extraFds).toHaveLength(1);
  });

  it("falls back to the sh shim for a runner without the capability", async () => {
    const { runner, seen } = recording(createLocalExecRunner(), { advertise: false });
    const sandboxed = createSandboxedExecRunner(runner);
    const res = await runIn(sandboxed, [python, "-c", socketProbe], { cwd: w.ws, sandbox: w.policy() });
    expect(res.stdout, res.aggregatedOutput).toBe("denied\n");
    expect(seen[0]?.argv[0]).toBe("/bin/sh");
    expect(seen[0]?.extraFds).toBeUndefined();
  });

  it("uses fd passing for pipe sessions and the shim for tty sessions", async () => {
    const { runner, seen } = recording(createLocalExecRunner(), { advertise: true });
    const sandboxed = createSandboxedExecRunner(runner);
    let piped = "";
    const pipe = await sandboxed.start!(
      { argv: [python, "-c", socketProbe], cwd: w.ws, env: baseEnv(), sandbox: w.policy() },
      { signal: never(), onOutput: (c) => (piped += c.text) },
    );
    expect(await pipe.exited).toEqual({ exitCode: 0, signal: null });
    expect(piped).toBe("denied\n");
    expect(seen[0]?.extraFds).toHaveLength(1);

    let tty = "";
    const term = await sandboxed.start!(
      { argv: [python, "-c", socketProbe], cwd: w.ws, env: baseEnv({ TERM: "dumb" }), sandbox: w.policy(), tty: true },
      { signal: never(), onOutput: (c) => (tty += c.text) },
    );
    expect(await term.exited).toEqual({ exitCode: 0, signal: null });
    expect(tty).toContain("denied");
    expect(seen[1]?.argv[0]).toBe("/bin/sh");
    expect(seen[1]?.extraFds).toBeUndefined();
  });

  it("refuses a request that brings its own extraFds", async () => {
    const sandboxed = createSandboxedExecRunner(createLocalExecRunner());
    await expect(
      sandboxed.run({ argv: ["true"], cwd: w.ws, env: baseEnv(), sandbox: w.policy(), extraFds: [0] }, { signal: never() }),
    ).rejects.toThrow(/own extraFds/);
  });
});

describe("fd hygiene", () => {
  it("200 sandboxed commands leave the parent's open fd count where it was", async () => {
    const sandboxed = createSandboxedExecRunner(createLocalExecRunner());
    const policies = [w.policy(), w.policy({ networkAccess: true }), { mode: "read-only", networkAccess: false } as const];
    // Warm-up opens the cached seccomp programs (one per network setting) and the probe.
    for (const sandbox of policies) expect((await runIn(sandboxed, ["true"], { cwd: w.ws, sandbox })).exitCode).toBe(0);
    const before = openFdCount();
    for (let i = 0; i < 200; i++) {
      const res = await runIn(sandboxed, ["true"], { cwd: w.ws, sandbox: policies[i % policies.length]! });
      expect(res.exitCode, res.aggregatedOutput).toBe(0);
    }
    expect(openFdCount()).toBeLessThanOrEqual(before);
  });

  it("pipe sessions close their seccomp fd too", async () => {
    const sandboxed = createSandboxedExecRunner(createLocalExecRunner());
    const start = async (): Promise<void> => {
      const proc = await sandboxed.start!({ argv: ["true"], cwd: w.ws, env: baseEnv(), sandbox: w.policy() }, { signal: never() });
      expect(await proc.exited).toEqual({ exitCode: 0, signal: null });
    };
    await start();
    const before = openFdCount();
    for (let i = 0; i < 50; i++) await start();
    expect(openFdCount()).toBeLessThanOrEqual(before);
  });
});
