import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { parseJsonl, runCodex, spawnCodex, type TestEnv, useFakeServerEnv } from "../support/codex-env.js";
import { sse, stallAfter, type FakeServer } from "../support/fake-responses-server.js";
import { completed, created, functionCall, textMessage } from "../support/sse.js";

let server: FakeServer;
let t: TestEnv;

useFakeServerEnv((s, e) => ((server = s), (t = e)));

describe("resume", () => {
  test("exec resume ID continues the same thread with the full history resent", async () => {
    server.enqueue(sse(created(), textMessage("first answer"), completed()));
    const first = await runCodex(["exec", "--json", "first question"], { env: t.env, cwd: t.repo });
    const id = parseJsonl(first.stdout)[0].thread_id;

    server.enqueue(sse(created(), textMessage("second answer"), completed()));
    const second = await runCodex(["exec", "--json", "resume", id, "second question"], { env: t.env, cwd: t.repo });
    expect(second.code).toBe(0);
    const events = parseJsonl(second.stdout);
    expect(events[0]).toEqual({ type: "thread.started", thread_id: id });

    const before = server.requests[0]!.input;
    const after = server.requests[1]!.input;
    // Everything the model saw before is resent verbatim, followed by its answer and the new prompt.
    expect(stripIds(after.slice(0, before.length))).toEqual(stripIds(before));
    expect(JSON.stringify(after)).toContain("first answer");
    expect(server.requests[1]!.lastUserText()).toBe("second question");
    expect(server.requests[1]!.body.prompt_cache_key).toBe(id);
  });

  test("exec resume --last picks the newest session", async () => {
    server.enqueue(sse(created(), textMessage("one"), completed()), sse(created(), textMessage("two"), completed()));
    const first = await runCodex(["exec", "--json", "q1"], { env: t.env, cwd: t.repo });
    const id = parseJsonl(first.stdout)[0].thread_id;
    const second = await runCodex(["exec", "--json", "resume", "--last", "q2"], { env: t.env, cwd: t.repo });
    expect(second.code).toBe(0);
    expect(parseJsonl(second.stdout)[0].thread_id).toBe(id);
  });

  test("resume of an unknown id fails clearly", async () => {
    const r = await runCodex(["exec", "--json", "resume", "0190e3c4-0000-7000-8000-000000000000", "x"], {
      env: t.env,
      cwd: t.repo,
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("0190e3c4-0000-7000-8000-000000000000");
  });

  test("kill -9 mid-turn loses no completed item; resume rebuilds the history", async () => {
    server.enqueue(
      sse(created("r1"), functionCall("call_k", "exec_command", { cmd: "echo survived-output" }), completed("r1")),
      // The follow-up request never finishes: the process is killed while waiting for it.
      stallAfter(created("r2")),
    );
    const child = spawnCodex(["exec", "--json", "--dangerously-bypass-approvals-and-sandbox", "do the thing"], {
      env: t.env,
      cwd: t.repo,
    });
    let stdout = "";
    child.stdout!.on("data", (d) => (stdout += d));
    await server.waitForRequests(2, { timeoutMs: 20_000 });
    const exited = new Promise((resolve) => child.on("close", resolve));
    child.kill("SIGKILL");
    await exited;
    const id = parseJsonl(stdout)[0].thread_id;

    const rollout = findRollout(t.codexHome, id);
    const lines = readFileSync(rollout, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
    const payloadTypes = lines.filter((l) => l.type === "response_item").map((l) => l.payload.type);
    expect(payloadTypes).toEqual(expect.arrayContaining(["function_call", "function_call_output"]));

    server.enqueue(sse(created("r3"), textMessage("resumed fine"), completed("r3")));
    const resumed = await runCodex(["exec", "--json", "resume", id, "continue"], { env: t.env, cwd: t.repo });
    expect(resumed.code).toBe(0);
    const input = server.requests[2]!.input;
    const call = input.find((i: { type: string }) => i.type === "function_call");
    const output = input.find((i: { type: string }) => i.type === "function_call_output");
    expect(call).toMatchObject({ call_id: "call_k", name: "exec_command" });
    expect(output.output).toContain("survived-output");
    expect(JSON.stringify(input)).toContain("do the thing");
  });
});

function stripIds(items: Array<Record<string, unknown>>): unknown[] {
  return items.map(({ id: _id, ...rest }) => rest);
}

function findRollout(codexHome: string, id: string): string {
  const dir = path.join(codexHome, "sessions");
  if (!existsSync(dir)) throw new Error("no sessions dir");
  const match = readdirSync(dir, { recursive: true, withFileTypes: true }).find((d) => d.isFile() && d.name.endsWith(`-${id}.jsonl`));
  if (!match) throw new Error(`no rollout for ${id}`);
  return path.join(match.parentPath, match.name);
}
