import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { OutputChunk } from "../../src/core/exec/contract.js";
import { createLocalExecRunner } from "../../src/core/exec/local-runner.js";
import type { SandboxPolicy } from "../../src/protocol/policy.js";
import { processAlive, waitFor } from "./wait-for.js";

const full: SandboxPolicy = { mode: "danger-full-access" };
const readOnly: SandboxPolicy = { mode: "read-only", networkAccess: false };
const env = { PATH: process.env.PATH ?? "/usr/bin:/bin" };
const base = { cwd: process.cwd(), env, sandbox: full };
const never = (): AbortSignal => new AbortController().signal;

describe("createLocalExecRunner().run", () => {
  const runner = createLocalExecRunner({ killGraceMs: 300 });

  it("reports exit codes", async () => {
    const ok = await runner.run({ ...base, argv: ["true"] }, { signal: never() });
    const bad = await runner.run({ ...base, argv: ["sh", "-c", "exit 3"] }, { signal: never() });
    expect([ok.exitCode, ok.signal, ok.timedOut]).toEqual([0, null, false]);
    expect(bad.exitCode).toBe(3);
  });

  it("keeps stdout and stderr apart and interleaves them in aggregatedOutput", async () => {
    const chunks: OutputChunk[] = [];
    const r = await runner.run(
      { ...base, argv: ["sh", "-c", "echo a; sleep 0.1; echo b >&2; sleep 0.1; echo c"] },
      { signal: never(), onOutput: (c) => chunks.push(c) },
    );
    expect(r.stdout).toBe("a\nc\n");
    expect(r.stderr).toBe("b\n");
    expect(r.aggregatedOutput).toBe("a\nb\nc\n");
    expect(chunks.map((c) => c.stream)).toEqual(["stdout", "stderr", "stdout"]);
  });

  it("writes the given stdin then closes it", async () => {
    const r = await runner.run({ ...base, argv: ["cat"], stdin: "hello\n" }, { signal: never() });
    expect(r.aggregatedOutput).toBe("hello\n");
    const closed = await runner.run({ ...base, argv: ["cat"] }, { signal: never() });
    expect([closed.exitCode, closed.aggregatedOutput]).toEqual([0, ""]);
  });

  it("abort kills the whole process group, grandchildren included", async () => {
    const ac = new AbortController();
    let out = "";
    const pending = runner.run(
      { ...base, argv: ["sh", "-c", "sleep 300 & echo $!; wait"] },
      { signal: ac.signal, onOutput: (c) => (out += c.text) },
    );
    await waitFor(() => /\d+\n/.test(out), { what: "grandchild pid" });
    const grandchild = Number(out.trim());
    expect(processAlive(grandchild)).toBe(true);
    ac.abort();
    const r = await pending;
    expect(r.exitCode).toBeNull();
    expect(r.signal).toBe("SIGTERM");
    await waitFor(() => !processAlive(grandchild), { what: "grandchild to die" });
  });

  it("times out, killing the group", async () => {
    const r = await runner.run({ ...base, argv: ["sleep", "30"], timeoutMs: 200 }, { signal: never() });
    expect(r.timedOut).toBe(true);
    expect(r.signal).toBe("SIGTERM");
    expect(r.durationMs).toBeLessThan(5000);
  });

  it("escalates to SIGKILL when TERM is ignored", async () => {
    const r = await runner.run(
      { ...base, argv: ["sh", "-c", "trap '' TERM; echo ready; while :; do sleep 0.05; done"], timeoutMs: 300 },
      { signal: never() },
    );
    expect(r.timedOut).toBe(true);
    expect(r.signal).toBe("SIGKILL");
  });

  it("resolves when a background grandchild keeps the pipes open", async () => {
    const started = Date.now();
    const r = await runner.run({ ...base, argv: ["sh", "-c", "sleep 30 & echo $!"] }, { signal: never() });
    expect(r.exitCode).toBe(0);
    expect(Date.now() - started).toBeLessThan(5000);
    const pid = Number(r.stdout.trim());
    expect(pid).toBeGreaterThan(0);
    process.kill(pid, "SIGKILL");
  });

  it("bounds output in memory and spools the full output to a file", async () => {
    const spoolDir = mkdtempSync(join(tmpdir(), "spool-"));
    const small = createLocalExecRunner({ spoolDir, maxOutputBytes: 1000 });
    const r = await small.run({ ...base, argv: ["seq", "1", "20000"] }, { signal: never() });
    const expected = Array.from({ length: 20000 }, (_, i) => `${i + 1}\n`).join("");
    expect(r.spoolPath).toBeDefined();
    expect(r.spoolPath!.startsWith(spoolDir)).toBe(true);
    expect(readFileSync(r.spoolPath!, "utf8")).toBe(expected);
    expect(r.aggregatedOutput.startsWith("1\n2\n3\n")).toBe(true);
    expect(r.aggregatedOutput.endsWith("19999\n20000\n")).toBe(true);
    const marker = /\n\[\.\.\. (\d+) of (\d+) bytes omitted; full output: (.+) \.\.\.\]\n/.exec(r.aggregatedOutput);
    expect(marker?.[3]).toBe(r.spoolPath);
    expect(Number(marker?.[1])).toBe(expected.length - 1000);
    expect(Number(marker?.[2])).toBe(expected.length);
    expect(r.outputTotals).toEqual({ bytes: expected.length, lines: 20000 });
    expect(Buffer.byteLength(r.stdout)).toBeLessThan(1200);
  });

  it("decodes UTF-8 split across chunks", async () => {
    let streamed = "";
    const r = await runner.run(
      { ...base, argv: ["sh", "-c", "printf '\\303'; sleep 0.2; printf '\\251\\n'"] },
      { signal: never(), onOutput: (c) => (streamed += c.text) },
    );
    expect(r.stdout).toBe("é\n");
    expect(streamed).toBe("é\n");
  });

  it("reports a program that cannot be started as exit 127", async () => {
    const r = await runner.run({ ...base, argv: ["/nonexistent/prog"] }, { signal: never() });
    expect(r.exitCode).toBe(127);
    expect(r.stderr).toContain("failed to start /nonexistent/prog");
  });

  it("flags likely sandbox denials only under a restrictive policy", async () => {
    const argv = ["sh", "-c", "echo 'touch: cannot touch x: Read-only file system' >&2; exit 1"];
    const denied = await runner.run({ ...base, argv, sandbox: readOnly }, { signal: never() });
    const unsandboxed = await runner.run({ ...base, argv }, { signal: never() });
    expect(denied.sandboxDenied).toBe(true);
    expect(unsandboxed.sandboxDenied).toBeUndefined();
  });
});

describe("createLocalExecRunner().start", () => {
  const runner = createLocalExecRunner({ killGraceMs: 300 });

  it("streams a piped process and resolves exited after all output", async () => {
    let out = "";
    const proc = await runner.start!(
      { ...base, argv: ["sh", "-c", "echo hi; echo err >&2; exit 4"] },
      { signal: never(), onOutput: (c) => (out += c.text) },
    );
    expect(proc.tty).toBe(false);
    expect(proc.write("x")).toBe(false);
    expect(await proc.exited).toEqual({ exitCode: 4, signal: null });
    expect(out.split("\n").sort()).toEqual(["", "err", "hi"]);
  });

  it("kill() ends a long-running process", async () => {
    const proc = await runner.start!({ ...base, argv: ["sleep", "30"] }, { signal: never() });
    proc.kill();
    expect(await proc.exited).toEqual({ exitCode: null, signal: "SIGTERM" });
  });

  it("rejects when the program cannot be spawned", async () => {
    await expect(runner.start!({ ...base, argv: ["/nonexistent/prog"] }, { signal: never() })).rejects.toThrow(
      /ENOENT/,
    );
  });

  it("runs under a pty with stdin open", async () => {
    let out = "";
    const proc = await runner.start!(
      { ...base, argv: ["cat"], tty: true, env: { ...env, TERM: "dumb" } },
      { signal: never(), onOutput: (c) => (out += c.text) },
    );
    expect(proc.tty).toBe(true);
    expect(proc.write("ping\n")).toBe(true);
    await waitFor(() => out.includes("ping\r\nping\r\n"), { what: "cat echo through the pty" });
    proc.kill();
    expect(await proc.exited).toEqual({ exitCode: null, signal: "SIGTERM" });
  });
});
