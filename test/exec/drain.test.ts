// After a command exits, output still in the pipe must be read even when the event loop is busy.
import { describe, expect, test } from "vitest";
import { createLocalExecRunner } from "../../src/core/exec/local-runner.js";

function busyWait(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // a slow consumer (rendering, hooks) that blocks the loop
  }
}

describe("output drain after exit", () => {
  test("a slow output consumer loses nothing, even with a short drain window", async () => {
    const runner = createLocalExecRunner({ drainMs: 30 });
    let seen = "";
    const result = await runner.run(
      {
        argv: ["/bin/sh", "-c", "head -c 400000 /dev/zero | tr '\\0' a; echo END-MARK"],
        cwd: process.cwd(),
        env: { PATH: process.env.PATH ?? "/usr/bin:/bin" },
        sandbox: { mode: "danger-full-access" },
      },
      {
        signal: new AbortController().signal,
        onOutput: (chunk) => {
          seen += chunk.text;
          busyWait(80);
        },
      },
    );
    expect(result.exitCode).toBe(0);
    expect(seen.length).toBe(400000 + "END-MARK\n".length);
    expect(seen.endsWith("END-MARK\n")).toBe(true);
    expect(result.stdout.endsWith("END-MARK\n")).toBe(true);
  });

  test("a background process holding the pipes open does not hold the call for long", async () => {
    const runner = createLocalExecRunner({ drainMs: 100 });
    const started = Date.now();
    const result = await runner.run(
      {
        argv: ["/bin/sh", "-c", "echo before; (sleep 30 &) ; echo after"],
        cwd: process.cwd(),
        env: { PATH: process.env.PATH ?? "/usr/bin:/bin" },
        sandbox: { mode: "danger-full-access" },
      },
      { signal: new AbortController().signal },
    );
    expect(result.stdout).toBe("before\nafter\n");
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
