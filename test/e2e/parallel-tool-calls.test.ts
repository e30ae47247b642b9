// Tool calls of one response: shell commands share (run at the same time), patches run alone.
// Timing is read from timestamps the commands write themselves, never from wall-clock thresholds.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { parseJsonl, runCodex, type TestEnv, useFakeServerEnv } from "../support/codex-env.js";
import { sse, type FakeServer } from "../support/fake-responses-server.js";
import { completed, created, customToolCall, functionCall, textMessage } from "../support/sse.js";

let server: FakeServer;
let t: TestEnv;

useFakeServerEnv((s, e) => ((server = s), (t = e)));

/** A command that stamps `<name>.start` and `<name>.end` (ns since the epoch) around a 1.5 s sleep. */
const stamped = (name: string, extra = "") =>
  `date +%s%N > ${name}.start; ${extra}sleep 1.5; date +%s%N > ${name}.end`;
const stamp = (name: string) => BigInt(readFileSync(path.join(t.repo, name), "utf8").trim());
const execCall = (id: string, cmd: string) => functionCall(id, "exec_command", { cmd, yield_time_ms: 10_000 });

async function runTurn(events: ReturnType<typeof functionCall>[]) {
  server.enqueue(
    sse(created("r1"), ...events.flat(), completed("r1")),
    sse(created("r2"), textMessage("done"), completed("r2")),
  );
  const r = await runCodex(["exec", "--json", "-s", "danger-full-access", "go"], { env: t.env, cwd: t.repo });
  expect(r.stderr).not.toMatch(/panic|TypeError/);
  expect(r.code).toBe(0);
  expect(parseJsonl(r.stdout).at(-1).type).toBe("turn.completed");
  expect(server.requests[0]!.body.parallel_tool_calls).toBe(true);
  return server.requests[1]!;
}

describe("parallel tool calls", () => {
  test("two exec_command calls of one response run at the same time; outputs keep call order", async () => {
    const second = await runTurn([execCall("c1", stamped("a") + "; echo first"), execCall("c2", stamped("b") + "; echo second")]);
    // Overlap: each started before the other ended.
    expect(stamp("b.start")).toBeLessThan(stamp("a.end"));
    expect(stamp("a.start")).toBeLessThan(stamp("b.end"));
    const outputs = second.body.input.filter((i: { type: string }) => i.type === "function_call_output");
    expect(outputs.map((o: { call_id: string }) => o.call_id)).toEqual(["c1", "c2"]);
    expect(second.functionCallOutput("c1").output).toContain("first");
    expect(second.functionCallOutput("c2").output).toContain("second");
  });

  test("an apply_patch between two commands waits for the first and blocks the second", async () => {
    const patch = "*** Begin Patch\n*** Add File: patched.txt\n+hi\n*** End Patch";
    // Each command records whether the patch's file existed at its start and at its end.
    const probe = (name: string, when: string) => `if [ -e patched.txt ]; then echo yes; else echo no; fi > ${name}.${when}; `;
    const second = await runTurn([
      execCall("c1", probe("a", "sawStart") + stamped("a") + "; " + probe("a", "sawEnd")),
      customToolCall("p1", "apply_patch", patch),
      execCall("c2", probe("b", "sawStart") + stamped("b")),
    ]);
    const saw = (f: string) => readFileSync(path.join(t.repo, f), "utf8").trim();
    expect(saw("a.sawEnd")).toBe("no");
    expect(saw("b.sawStart")).toBe("yes");
    expect(stamp("b.start")).toBeGreaterThan(stamp("a.end"));
    expect(second.functionCallOutput("p1").output).toContain("A patched.txt");
    const ids = second.body.input
      .filter((i: { type: string }) => i.type.endsWith("_call_output"))
      .map((o: { call_id: string }) => o.call_id);
    expect(ids).toEqual(["c1", "p1", "c2"]);
  });
});
