// A tty command's output reaches onOutput to the last byte before `exited` resolves, and a command that ends on
// end-of-file reports its own exit status. Both used to fail now and then: node-pty's reader took the pty's
// hang-up after a short read for end-of-file (losing up to ~7 KB of a 200 KB output in a third of the runs), and
// closing the master while the command was still exiting killed it with SIGHUP (~25% of `cat` runs).
import { describe, expect, it } from "vitest";
import { createLocalExecRunner } from "../../src/core/exec/local-runner.js";
import { EndMarkFilter, newEndMark } from "../../src/core/exec/pty-end-marker.js";
import type { SandboxPolicy } from "../../src/protocol/policy.js";

const full: SandboxPolicy = { mode: "danger-full-access" };
const base = { cwd: process.cwd(), env: { PATH: process.env.PATH ?? "/usr/bin:/bin" }, sandbox: full, tty: true };
const never = (): AbortSignal => new AbortController().signal;
const runner = createLocalExecRunner({ killGraceMs: 300 });

async function ttyOutput(script: string): Promise<{ out: string; exit: unknown; afterExit: number }> {
  let out = "";
  let exitedYet = false;
  let afterExit = 0;
  const proc = await runner.start!(
    { ...base, argv: ["sh", "-c", script] },
    {
      signal: never(),
      onOutput: (c) => {
        if (exitedYet) afterExit++;
        out += c.text;
      },
    },
  );
  const exit = await proc.exited;
  exitedYet = true;
  return { out, exit, afterExit };
}

describe("pty output at exit", () => {
  it("a tty command writing 200 KB delivers every byte before exited, 20 runs out of 20", async () => {
    const n = 200_000;
    const lengths: number[] = [];
    for (let i = 0; i < 20; i++) {
      const r = await ttyOutput(`head -c ${n} /dev/zero | tr '\\0' a; printf Z`);
      expect(r.exit).toEqual({ exitCode: 0, signal: null });
      expect(r.afterExit).toBe(0);
      lengths.push(r.out.length);
      expect(r.out).toBe(`${"a".repeat(n)}Z`);
    }
    expect(lengths).toEqual(Array(20).fill(n + 1));
  });

  it("a tty command writing 1 MB of lines delivers every byte, 5 runs out of 5", async () => {
    for (let i = 0; i < 5; i++) {
      const r = await ttyOutput("seq 1 140000");
      expect(r.exit).toEqual({ exitCode: 0, signal: null });
      // The terminal turns each newline into CR LF.
      const expected = Array.from({ length: 140000 }, (_, k) => `${k + 1}\r\n`).join("");
      expect(expected.length).toBeGreaterThan(1_000_000);
      expect(r.out.length).toBe(expected.length);
      expect(r.out === expected).toBe(true);
    }
  });

  it("a command leaving a background writer still ends with its own last output", async () => {
    const r = await ttyOutput("(sleep 30 &) ; head -c 100000 /dev/zero | tr '\\0' b; printf END");
    expect(r.exit).toEqual({ exitCode: 0, signal: null });
    expect(r.out).toBe(`${"b".repeat(100000)}END`);
  });

  it("cat ended by closeStdin reports exit 0 (not SIGHUP), 60 runs out of 60", async () => {
    const exits: unknown[] = [];
    for (let i = 0; i < 60; i++) {
      let out = "";
      const proc = await runner.start!({ ...base, argv: ["cat"] }, { signal: never(), onOutput: (c) => (out += c.text) });
      proc.write(`line${i}\n`);
      proc.closeStdin!();
      exits.push(await proc.exited);
      expect(out).toContain(`line${i}`);
    }
    expect(exits).toEqual(Array(60).fill({ exitCode: 0, signal: null }));
  });
});

describe("pty output that cannot drain", () => {
  it("a terminal whose output was stopped (Ctrl-S) still reports the exit, once the drain bound passes", async () => {
    const proc = await runner.start!({ ...base, argv: ["sh", "-c", "read x"] }, { signal: never() });
    // Ctrl-S after the line: the terminal stops its output, so the end mark cannot come out.
    proc.write("go\n\x13");
    expect(await proc.exited).toEqual({ exitCode: 0, signal: null });
  });
});

describe("EndMarkFilter", () => {
  it("passes output through, holds back only what may start the mark, and strips the mark", () => {
    const mark = newEndMark();
    expect(mark).toMatch(/^[A-Z0-9]+$/);
    const out: string[] = [];
    const f = new EndMarkFilter((t) => out.push(t));
    expect(f.push("before ")).toBe(false);
    f.expect(mark);
    expect(f.push(`tail ${mark.slice(0, 4)}`)).toBe(false);
    expect(out.join("")).toBe("before tail ");
    expect(f.push(mark.slice(4, 9))).toBe(false);
    expect(f.push(`${mark.slice(9)}after`)).toBe(true);
    expect(f.markSeen).toBe(true);
    expect(out.join("")).toBe("before tail after");
    f.push(" more");
    expect(out.join("")).toBe("before tail after more");
  });

  it("gives back a held look-alike that turned out not to be the mark", () => {
    const mark = newEndMark();
    const out: string[] = [];
    const f = new EndMarkFilter((t) => out.push(t));
    f.expect(mark);
    f.push(`x${mark.slice(0, 6)}`);
    expect(out.join("")).toBe("x");
    f.push("y");
    expect(out.join("")).toBe(`x${mark.slice(0, 6)}y`);
    f.push(mark.slice(0, 3));
    f.flush();
    expect(out.join("")).toBe(`x${mark.slice(0, 6)}y${mark.slice(0, 3)}`);
    expect(f.markSeen).toBe(false);
  });
});
