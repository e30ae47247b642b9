// A command printing megabytes: the model sees head + marker + tail, JSONL stays bounded, the turn completes.
import { describe, expect, test } from "vitest";
import { parseJsonl, runCodex, type TestEnv, useFakeServerEnv } from "../support/codex-env.js";
import { sse, type FakeServer } from "../support/fake-responses-server.js";
import { completed, created, functionCall, textMessage } from "../support/sse.js";

let server: FakeServer;
let t: TestEnv;

useFakeServerEnv((s, e) => ((server = s), (t = e)));

const MIB = 1024 * 1024;

describe("long command output", () => {
  test("~5 MB of output is truncated head+tail for the model and bounded in JSONL", async () => {
    const cmd = "echo HEAD-MARK-START; yes 0123456789abcdefghijklmnopqrstuvwxyz | head -c 5000000; echo; echo TAIL-MARK-END";
    server.enqueue(
      sse(created("r1"), functionCall("big", "exec_command", { cmd, yield_time_ms: 10000 }), completed("r1")),
      sse(created("r2"), textMessage("that was long"), completed("r2")),
    );
    const r = await runCodex(["exec", "--json", "--dangerously-bypass-approvals-and-sandbox", "flood"], {
      env: t.env,
      cwd: t.repo,
      timeoutMs: 60_000,
    });
    expect(r.stderr).not.toMatch(/Error:/);
    expect(r.code).toBe(0);
    const events = parseJsonl(r.stdout);
    expect(events.at(-1).type).toBe("turn.completed");

    const out = server.requests[1]!.functionCallOutput("big");
    const text: string = typeof out.output === "string" ? out.output : JSON.stringify(out.output);
    expect(text).toContain("HEAD-MARK-START");
    expect(text).toContain("TAIL-MARK-END");
    expect(text).toMatch(/omitted|truncated/i);
    // Far smaller than what was printed.
    expect(Buffer.byteLength(text)).toBeLessThan(512 * 1024);

    const done = events.find((e) => e.type === "item.completed" && e.item.type === "command_execution");
    expect(done.item.exit_code).toBe(0);
    const agg: string = done.item.aggregated_output;
    expect(Buffer.byteLength(agg)).toBeLessThanOrEqual(MIB + 256);
    expect(Buffer.byteLength(agg)).toBeGreaterThan(64 * 1024);
    // The tail is what matters most in a log: it is kept.
    expect(agg).toContain("TAIL-MARK-END");
    // Every JSONL line is bounded too (JSON escaping adds a byte per newline).
    for (const line of r.stdout.split("\n")) expect(Buffer.byteLength(line)).toBeLessThan(1.1 * MIB);
  });
});
