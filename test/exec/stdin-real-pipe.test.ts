// A streamed stdin is a real pipe, as the reference gives its commands: with Node's socket pair on stdin, `bash -c`
// took itself for a shell started by sshd/rshd (bash's isnetconn rule) and read ~/.bashrc. Each path that streams
// stdin runs `bash -c` with a temp HOME whose .bashrc leaves a marker file and says so on stderr.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLocalExecRunner } from "../../src/core/exec/local-runner.js";
import { createStandaloneCommandRunner } from "../../src/core/exec/standalone-command.js";
import { standaloneTestConfig } from "../../src/core/exec/standalone-test-config.js";
import { createStdinPipe, createStdinPipeSource, type StdinPipe } from "../../src/core/exec/stdin-pipe.js";
import { runHookCommand } from "../../src/core/hooks/command-runner.js";
import type { SandboxPolicy } from "../../src/protocol/policy.js";

let home: string;
let marker: string;
let env: Record<string, string>;
beforeAll(() => {
  home = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "stdin-pipe-home-")));
  marker = path.join(home, "bashrc-ran");
  fs.writeFileSync(path.join(home, ".bashrc"), `echo BASHRC-RAN >&2\ntouch '${marker}' 2>/dev/null\n`);
  // No SHLVL: bash reads ~/.bashrc for a socket on stdin only as a top-level shell.
  env = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: home };
});
afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

const full: SandboxPolicy = { mode: "danger-full-access" };
const never = (): AbortSignal => new AbortController().signal;
// What stdin is, then everything on it.
const PROBE = 'if [ -p /dev/stdin ]; then echo stdin-is-pipe; else echo stdin-is-other; fi; cat';

function expectNoBashrc(output: string): void {
  expect(output).not.toContain("BASHRC-RAN");
  expect(fs.existsSync(marker)).toBe(false);
}

describe("a streamed stdin is a real pipe, so bash -c reads no ~/.bashrc", () => {
  it("the control: bash -c with a socket on stdin reads the temp HOME's .bashrc", async () => {
    const { spawn } = await import("node:child_process");
    const child = spawn("bash", ["-c", "cat"], { env, stdio: ["pipe", "pipe", "pipe"] });
    let err = "";
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.stdout.resume();
    child.stdin.end("x\n");
    await new Promise((r) => child.once("close", r));
    expect(err).toContain("BASHRC-RAN");
    expect(fs.existsSync(marker)).toBe(true);
    fs.rmSync(marker);
  });

  it("exec runner run() with stdin", async () => {
    const r = await createLocalExecRunner().run({ argv: ["bash", "-c", PROBE], cwd: home, env, sandbox: full, stdin: "fed\n" }, { signal: never() });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe("stdin-is-pipe\nfed\n");
    expectNoBashrc(r.aggregatedOutput);
  });

  it("exec runner start() with an open stdin (written, then closed)", async () => {
    let out = "";
    const proc = await createLocalExecRunner().start!(
      { argv: ["bash", "-c", PROBE], cwd: home, env, sandbox: full, openStdin: true },
      { signal: never(), onOutput: (c) => (out += c.text) },
    );
    expect(proc.write("one\n")).toBe(true);
    expect(proc.write(Buffer.from("two\n"))).toBe(true);
    proc.closeStdin!();
    expect(await proc.exited).toEqual({ exitCode: 0, signal: null });
    expect(out).toBe("stdin-is-pipe\none\ntwo\n");
    expectNoBashrc(out);
    expect(proc.write("late\n")).toBe(false);
  });

  for (const sandbox of [full, { mode: "read-only", networkAccess: false } as SandboxPolicy]) {
    it(`command/exec's runner with streamStdin (${sandbox.mode})`, async () => {
      const codexHome = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "stdin-pipe-codex-")));
      try {
        const run = createStandaloneCommandRunner({ config: standaloneTestConfig(codexHome), env, secrets: [] });
        const s = await run.start({ argv: ["bash", "-c", PROBE], cwd: codexHome, sandbox, streamStdin: true, signal: never() });
        expect(s.write(Buffer.from("streamed\n"))).toBe(true);
        s.closeStdin();
        const result = await s.result;
        expect(result).toMatchObject({ exitCode: 0, stdout: "stdin-is-pipe\nstreamed\n" });
        expectNoBashrc(result.stderr);
      } finally {
        fs.rmSync(codexHome, { recursive: true, force: true });
      }
    });
  }

  it("a hook command's payload on stdin", async () => {
    const r = await runHookCommand({ command: `bash -c '${PROBE}'`, cwd: home, env, stdin: '{"hook":1}', timeoutMs: 10_000 });
    expect(r).toMatchObject({ exitCode: 0, stdout: 'stdin-is-pipe\n{"hook":1}' });
    expectNoBashrc(r.stderr);
  });
});

describe("createStdinPipe", () => {
  it("gives an ordered pipe whose writes fail with EPIPE (not pile up) once the reader is gone", async () => {
    const pipe = await createStdinPipe();
    expect(pipe).not.toBeNull();
    const read = fs.createReadStream("", { fd: pipe!.childFd, autoClose: true });
    let got = "";
    read.on("data", (d) => (got += d.toString()));
    pipe!.writer.write("a");
    pipe!.writer.end("b");
    await new Promise<void>((r) => read.once("close", () => r()));
    expect(got).toBe("ab");

    const second = await createStdinPipe();
    second!.closeChildEnd();
    const failed = new Promise<NodeJS.ErrnoException>((resolve) => second!.writer.once("error", resolve));
    second!.writer.write("nobody reads this");
    expect((await failed).code).toBe("EPIPE");
  });
});

describe("createStdinPipeSource", () => {
  it("gives each of more concurrent takers than it keeps ready a pipe of its own", async () => {
    const source = createStdinPipeSource({ batch: 3 });
    const pipes = (await Promise.all(Array.from({ length: 7 }, () => source.take()))) as StdinPipe[];
    expect(pipes.every((p) => p !== null)).toBe(true);
    expect(new Set(pipes.map((p) => p.childFd)).size).toBe(7);
    const got = await Promise.all(
      pipes.map((p, i) => {
        const read = fs.createReadStream("", { fd: p.childFd, autoClose: true });
        let text = "";
        read.on("data", (d) => (text += d.toString()));
        p.writer.end(`pipe-${i}`);
        return new Promise<string>((resolve) => read.once("close", () => resolve(text)));
      }),
    );
    expect(got).toEqual(pipes.map((_, i) => `pipe-${i}`));
  });
});
