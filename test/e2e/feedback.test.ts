// codex feedback: the built binary writes one thread's bundle (journal + log lines, scrubbed) and prints its path.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { parseJsonl, runCodex, type TestEnv, useFakeServerEnv } from "../support/codex-env.js";
import { dropAfter, sse, type FakeServer } from "../support/fake-responses-server.js";
import { completed, created, functionCall, textMessage } from "../support/sse.js";
import { untarGz } from "../feedback/untar.js";

let server: FakeServer;
let t: TestEnv;

useFakeServerEnv((s, e) => ((server = s), (t = e)));

async function execTurn(prompt: string): Promise<string> {
  server.enqueue(sse(created(), textMessage(`answer to ${prompt}`), completed()));
  const r = await runCodex(["exec", "--json", prompt], { env: t.env, cwd: t.repo });
  expect(r.code, r.stderr + r.stdout).toBe(0);
  return parseJsonl(r.stdout)[0].thread_id;
}

describe("codex feedback", () => {
  test("exports the named thread (or the newest) and prints the bundle's path", async () => {
    const first = await execTurn(`first, key ${t.env.CODEX_API_KEY}`);
    const second = await execTurn("second");

    const named = await runCodex(["feedback", "--thread", first], { env: t.env, cwd: t.repo });
    expect(named.code, named.stderr).toBe(0);
    const bundlePath = named.stdout.trim();
    expect(path.dirname(bundlePath)).toBe(path.join(t.codexHome, "feedback"));
    const files = untarGz(readFileSync(bundlePath));
    const journalName = [...files.keys()].find((n) => n.startsWith("rollout-"))!;
    expect(journalName).toContain(first);
    const everything = [...files.values()].join("\n");
    expect(everything).not.toContain(t.env.CODEX_API_KEY);
    expect(files.get(journalName)).toContain("first, key [REDACTED]");
    expect(JSON.parse(files.get("metadata.json")!)).toMatchObject({ thread_id: first });
    // The thread's log lines (turn start/end, the request) and the same process's thread-less start line,
    // each with a timestamp and a level; none of the second session's lines.
    const log = files.get("codex-logs.log")!.split("\n").filter(Boolean);
    for (const line of log) expect(line).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z +(INFO|WARN|ERROR|DEBUG) \S/);
    const messages = log.map((l) => l.replace(/^\S+ +\S+ /, ""));
    expect(messages).toEqual([
      expect.stringMatching(/^core\.runtime: runtime started version=\S+ originator=codex_exec source=exec model=gpt-5\.5 provider=fake$/),
      "core.turn: turn started",
      expect.stringMatching(/^core\.model: response completed response_id=resp_1 duration_ms=\d+ input_tokens=\d+ output_tokens=\d+$/),
      expect.stringMatching(/^core\.turn: turn ended status=completed duration_ms=\d+$/),
    ]);

    const newest = await runCodex(["feedback"], { env: t.env, cwd: t.repo });
    expect(newest.code, newest.stderr).toBe(0);
    expect(JSON.parse(untarGz(readFileSync(newest.stdout.trim())).get("metadata.json")!)).toMatchObject({ thread_id: second });

    const unknown = await runCodex(["feedback", "--thread", "no-such-thread"], { env: t.env, cwd: t.repo });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe("Error: No saved session found with ID no-such-thread\n");
    expect(unknown.stdout).toBe("");
  });

  test("a retried stream and a tool call are in the thread's log lines", async () => {
    server.enqueue(
      dropAfter(created("r0")),
      sse(created("r1"), functionCall("c1", "exec_command", { cmd: "echo hi" }), completed("r1")),
      sse(created("r2"), textMessage("done"), completed("r2")),
    );
    const r = await runCodex(["exec", "--json", "run echo"], { env: t.env, cwd: t.repo });
    expect(r.code, r.stderr).toBe(0);
    const id = parseJsonl(r.stdout)[0].thread_id;
    const out = await runCodex(["feedback", "--thread", id], { env: t.env, cwd: t.repo });
    expect(out.code, out.stderr).toBe(0);
    const messages = untarGz(readFileSync(out.stdout.trim())).get("codex-logs.log")!.split("\n").filter(Boolean).map((l) => l.replace(/^\S+ +/, ""));
    expect(messages).toEqual([
      expect.stringMatching(/^INFO core\.runtime: runtime started /),
      "INFO core.turn: turn started",
      expect.stringMatching(/^WARN core\.model: request retrying attempt=1 max_attempts=\d+ reason=.+ delay_ms=\d+$/),
      expect.stringMatching(/^INFO core\.model: response completed response_id=r1 /),
      "INFO core.tools: tool call started tool=exec_command call_id=c1",
      expect.stringMatching(/^INFO core\.tools: tool call finished tool=exec_command call_id=c1 duration_ms=\d+ output_type=function_call_output$/),
      expect.stringMatching(/^INFO core\.model: response completed response_id=r2 /),
      expect.stringMatching(/^INFO core\.turn: turn ended status=completed duration_ms=\d+$/),
    ]);
  });
});
