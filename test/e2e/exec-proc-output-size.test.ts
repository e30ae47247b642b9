// What the model is told about a truncated output is true: the real totals (bytes, lines, ~tokens =
// bytes/4), counted while streaming, not sizes of the bounded copy; and the spool file holds all of it.
import { closeSync, openSync, readSync, statSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { fakeProviderConfig, parseJsonl, runCodex, type TestEnv, useFakeServerEnv } from "../support/codex-env.js";
import { sse, type FakeServer } from "../support/fake-responses-server.js";
import { completed, created, functionCall, textMessage } from "../support/sse.js";

let server: FakeServer;
let t: TestEnv;

useFakeServerEnv((s, e) => ((server = s), (t = e)));

const MB50 = 52_428_800;
const CASES = {
  "a 50 MB single line": { script: `head -c ${MB50} /dev/zero | tr '\\0' a`, bytes: MB50, lines: 1, unit: "a" },
  // 1.5 M lines of 37 bytes each.
  "1.5 M lines": {
    script: "yes 0123456789abcdefghijklmnopqrstuvwxyz | head -n 1500000",
    bytes: 1_500_000 * 37,
    lines: 1_500_000,
    unit: "0123456789abcdefghijklmnopqrstuvwxyz\n",
  },
};

type Tool = "exec_command" | "shell_command";

async function modelView(tool: Tool, script: string): Promise<string> {
  if (tool === "shell_command") t.writeConfig(fakeProviderConfig(server.url, "[features]\nunified_exec = false"));
  const args = tool === "exec_command" ? { cmd: script, yield_time_ms: 30_000 } : { command: script, timeout_ms: 60_000 };
  server.enqueue(
    sse(created("r1"), functionCall("big", tool, args), completed("r1")),
    sse(created("r2"), textMessage("that was long"), completed("r2")),
  );
  const r = await runCodex(["exec", "--json", "--dangerously-bypass-approvals-and-sandbox", "flood"], {
    env: t.env,
    cwd: t.repo,
    timeoutMs: 90_000,
  });
  expect(r.stderr).not.toMatch(/Error:/);
  expect(r.code).toBe(0);
  expect(parseJsonl(r.stdout).at(-1).type).toBe("turn.completed");
  const out = server.requests[1]!.functionCallOutput("big");
  return typeof out.output === "string" ? out.output : JSON.stringify(out.output);
}

/** The spool holds exactly `bytes` bytes, all of them repetitions of `unit` (checked at a few offsets). */
function expectSpool(file: string, o: { bytes: number; unit: string }): void {
  expect(statSync(file).size).toBe(o.bytes);
  const fd = openSync(file, "r");
  try {
    const unit = Buffer.from(o.unit);
    for (const at of [0, Math.floor(o.bytes / 2), o.bytes - unit.length * 4]) {
      const start = at - (at % unit.length);
      const buf = Buffer.alloc(unit.length * 4);
      readSync(fd, buf, 0, buf.length, start);
      expect(buf.toString()).toBe(o.unit.repeat(4));
    }
  } finally {
    closeSync(fd);
  }
}

describe("the reported size of a truncated output is the real one", () => {
  for (const [name, c] of Object.entries(CASES)) {
    test(`shell_command: ${name}`, async () => {
      const text = await modelView("shell_command", c.script);
      expect(text).toContain(`\nTotal output lines: ${c.lines}\n`);
      const marker = /\[\.\.\. (\d+) of (\d+) bytes omitted; full output: (\S+) \.\.\.\]/.exec(text);
      expect(marker, text.slice(0, 300)).not.toBeNull();
      expect(Number(marker![2])).toBe(c.bytes);
      const shown = Buffer.byteLength(text.slice(text.indexOf("Output:\n") + 8)) - Buffer.byteLength(marker![0]) - 2;
      expect(Number(marker![1])).toBe(c.bytes - shown);
      expect(Buffer.byteLength(text)).toBeLessThan(64 * 1024);
      expectSpool(marker![3]!, c);
    });

    test(`exec_command: ${name}`, async () => {
      const text = await modelView("exec_command", c.script);
      expect(text).toContain(`\nOriginal token count: ${Math.ceil(c.bytes / 4)}\n`);
      const marker = /\[\.\.\. (\d+) of (\d+) bytes omitted; full output: (\S+) \.\.\.\]/.exec(text);
      expect(marker, text.slice(0, 300)).not.toBeNull();
      expect(Number(marker![2])).toBe(c.bytes);
      expect(Buffer.byteLength(text)).toBeLessThan(64 * 1024);
      expectSpool(marker![3]!, c);
    });
  }
});
