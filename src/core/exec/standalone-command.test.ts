import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createStandaloneCommandRunner } from "./standalone-command.js";
import { standaloneTestConfig } from "./standalone-test-config.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function runner(env: Record<string, string> = { PATH: process.env.PATH ?? "/usr/bin:/bin" }) {
  const codexHome = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "standalone-")));
  dirs.push(codexHome);
  return { codexHome, run: createStandaloneCommandRunner({ config: standaloneTestConfig(codexHome), env, secrets: [] }) };
}
const full = { mode: "danger-full-access" } as const;
const signal = () => new AbortController().signal;

describe("standalone command", () => {
  it("returns the exit code and both streams", async () => {
    const { run, codexHome } = runner();
    const out = await run.run({ argv: ["bash", "-c", "echo out; echo err >&2; exit 4"], cwd: codexHome, sandbox: full, signal: signal() });
    expect(out).toEqual({ exitCode: 4, stdout: "out\n", stderr: "err\n" });
  });

  it("streams output (not repeated in the result) and stops a stream at its cap", async () => {
    const { run, codexHome } = runner();
    const chunks: Array<{ stream: string; text: string; capReached: boolean }> = [];
    const out = await run.run({
      argv: ["bash", "-c", "printf 0123456789; printf abc >&2"],
      cwd: codexHome,
      sandbox: full,
      outputBytesCap: 4,
      onOutput: (c) => chunks.push({ stream: c.stream, text: c.data.toString(), capReached: c.capReached }),
      signal: signal(),
    });
    expect(out).toEqual({ exitCode: 0, stdout: "", stderr: "" });
    expect(chunks.filter((c) => c.stream === "stdout").map((c) => c.text).join("")).toBe("0123");
    expect(chunks.filter((c) => c.stream === "stdout").at(-1)?.capReached).toBe(true);
    expect(chunks.filter((c) => c.stream === "stderr").map((c) => c.text).join("")).toBe("abc");
  });

  it("a timeout ends with 124; env overrides set and unset; the provider key never passes", async () => {
    const { run, codexHome } = runner({ PATH: process.env.PATH ?? "/usr/bin:/bin", KEEP: "k", DROP: "d", MY_PROVIDER_KEY: "sk-secret" });
    const slow = await run.run({ argv: ["sleep", "5"], cwd: codexHome, sandbox: full, timeoutMs: 200, signal: signal() });
    expect(slow.exitCode).toBe(124);
    const env = await run.run({
      argv: ["bash", "-c", 'echo "$KEEP|${DROP-unset}|$ADDED|${MY_PROVIDER_KEY-none}"'],
      cwd: codexHome,
      sandbox: full,
      envOverrides: { DROP: null, ADDED: "a" },
      signal: signal(),
    });
    expect(env.stdout).toBe("k|unset|a|none\n");
  });

  it("an empty argv is refused", async () => {
    const { run, codexHome } = runner();
    await expect(run.run({ argv: [], cwd: codexHome, sandbox: full, signal: signal() })).rejects.toThrow("command must not be empty");
  });

  it("runs inside the sandbox it is given: a read-only sandbox cannot write the cwd", async () => {
    const { run, codexHome } = runner();
    const out = await run.run({
      argv: ["bash", "-c", "echo x > f.txt && echo wrote"],
      cwd: codexHome,
      sandbox: { mode: "read-only", networkAccess: false },
      signal: signal(),
    });
    expect(out.exitCode).not.toBe(0);
    expect(fs.existsSync(path.join(codexHome, "f.txt"))).toBe(false);
  });
});

describe("standalone interactive command", () => {
  /** Output collected as it streams, with a wait on what it must come to contain (no sleeps). */
  function collector() {
    let text = "";
    const waiters = new Set<() => void>();
    return {
      onOutput: (c: { data: Buffer }) => {
        text += c.data.toString();
        for (const w of [...waiters]) w();
      },
      text: () => text,
      until: (needle: RegExp) =>
        new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`waited for ${needle}; saw ${JSON.stringify(text)}`)), 10_000);
          const check = () => {
            if (!needle.test(text)) return;
            clearTimeout(timer);
            waiters.delete(check);
            resolve();
          };
          waiters.add(check);
          check();
        }),
    };
  }

  it("a tty session has a terminal of the asked size, takes input, resizes, and ends on closeStdin", async () => {
    const { run, codexHome } = runner();
    const out = collector();
    const s = await run.start({
      argv: ["bash", "-c", "tty; stty size; read x; echo got:$x; stty size; cat"],
      cwd: codexHome,
      sandbox: full,
      tty: true,
      size: { rows: 33, cols: 101 },
      onOutput: out.onOutput,
      signal: signal(),
    });
    expect(s.tty).toBe(true);
    expect(s.acceptsStdin).toBe(true);
    await out.until(/33 101/);
    expect(s.resize({ rows: 40, cols: 120 })).toBe(true);
    expect(s.write(Buffer.from("abc\n"))).toBe(true);
    await out.until(/40 120/);
    s.closeStdin();
    expect(s.write(Buffer.from("late\n"))).toBe(false);
    const result = await s.result;
    expect(result).toEqual({ exitCode: 0, stdout: "", stderr: "" });
    expect(out.text()).toMatch(/^\/dev\/pts\/\d+\r\n33 101\r\n/);
    expect(out.text()).toContain("got:abc\r\n40 120\r\n");
    expect(s.resize({ rows: 10, cols: 10 })).toBe(false);
  });

  it("a pipe session with streamed stdin keeps its output for the result (capped) and has no terminal", async () => {
    const { run, codexHome } = runner();
    const s = await run.start({
      argv: ["sh", "-c", "cat; tty || true; printf 0123456789 >&2"],
      cwd: codexHome,
      sandbox: full,
      streamStdin: true,
      outputBytesCap: 6,
      signal: signal(),
    });
    expect(s.resize({ rows: 10, cols: 10 })).toBe(false);
    expect(s.write(Buffer.from("hi\n"))).toBe(true);
    s.closeStdin();
    expect(await s.result).toEqual({ exitCode: 0, stdout: "hi\nnot", stderr: "012345" });
  });

  it("uncapped output kept for the result stays bounded: head and tail around an omission marker", async () => {
    const { run, codexHome } = runner();
    const s = await run.start({
      argv: ["sh", "-c", "printf START; head -c 3000000 /dev/zero | tr '\\0' x; printf END"],
      cwd: codexHome,
      sandbox: full,
      streamStdin: true,
      outputBytesCap: null,
      signal: signal(),
    });
    s.closeStdin();
    const { stdout } = await s.result;
    expect(stdout.startsWith("STARTxxx")).toBe(true);
    expect(stdout.endsWith("xxxEND")).toBe(true);
    expect(stdout.length).toBeLessThan(1_100_000);
    expect(stdout.length).toBeGreaterThan(1_000_000);
    expect(stdout).not.toMatch(/^[STARxEND]+$/);
  });

  it("without streamStdin a pipe session takes no input", async () => {
    const { run, codexHome } = runner();
    const s = await run.start({ argv: ["sh", "-c", "cat; echo done"], cwd: codexHome, sandbox: full, signal: signal() });
    expect(s.acceptsStdin).toBe(false);
    expect(s.write(Buffer.from("x\n"))).toBe(false);
    expect(await s.result).toEqual({ exitCode: 0, stdout: "done\n", stderr: "" });
  });

  it("terminate kills at once: 137 for a pipe, 1 for a terminal (the reference's codes); a timeout is 124", async () => {
    const { run, codexHome } = runner();
    const pipe = await run.start({ argv: ["sleep", "30"], cwd: codexHome, sandbox: full, streamStdin: true, timeoutMs: null, signal: signal() });
    pipe.terminate();
    expect((await pipe.result).exitCode).toBe(137);
    const tty = await run.start({ argv: ["sleep", "30"], cwd: codexHome, sandbox: full, tty: true, onOutput: () => {}, signal: signal() });
    tty.terminate();
    expect((await tty.result).exitCode).toBe(1);
    const slow = await run.start({ argv: ["sleep", "30"], cwd: codexHome, sandbox: full, tty: true, timeoutMs: 200, onOutput: () => {}, signal: signal() });
    expect((await slow.result).exitCode).toBe(124);
  });

  it("an aborted signal ends the session", async () => {
    const { run, codexHome } = runner();
    const abort = new AbortController();
    const s = await run.start({ argv: ["sleep", "30"], cwd: codexHome, sandbox: full, tty: true, timeoutMs: null, onOutput: () => {}, signal: abort.signal });
    abort.abort();
    expect((await s.result).exitCode).not.toBe(0);
  });
});
