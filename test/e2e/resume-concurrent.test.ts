// Two processes resuming one session at once: the second is refused with a clear "in use" error
// (non-zero exit, nothing written, nothing sent), the first completes, and every line of the
// rollout is intact. The lock does not outlive its process: a later resume works.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "vitest";
import { parseJsonl, runCodex, spawnCodex, type TestEnv, useFakeServerEnv } from "../support/codex-env.js";
import { sse, type FakeServer } from "../support/fake-responses-server.js";
import { completed, created, functionCall, textMessage } from "../support/sse.js";

let server: FakeServer;
let t: TestEnv;

useFakeServerEnv((s, e) => ((server = s), (t = e)));

function rolloutPath(threadId: string): string {
  return execFileSync("find", [`${t.codexHome}/sessions`, "-name", `*${threadId}.jsonl`]).toString().trim();
}

test("a second resume of a session in use fails clearly; the first completes; nothing is lost", async () => {
  server.enqueue(sse(created("r0"), textMessage("hello"), completed("r0")));
  const first = await runCodex(["exec", "--json", "start the session"], { env: t.env, cwd: t.repo });
  expect(first.code).toBe(0);
  const threadId = parseJsonl(first.stdout)[0].thread_id as string;
  const file = rolloutPath(threadId);

  // Resume A blocks in a tool call until the test creates `go`.
  const go = path.join(t.repo, "go");
  server.enqueue(
    sse(
      created("r1"),
      functionCall("call_wait", "exec_command", { cmd: `while [ ! -f ${go} ]; do sleep 0.02; done; echo A-done`, login: false, yield_time_ms: 30000 }),
      completed("r1"),
    ),
    sse(created("r2"), textMessage("A finished"), completed("r2")),
  );
  const a = spawnCodex(["exec", "--json", "--dangerously-bypass-approvals-and-sandbox", "resume", threadId, "resume A"], {
    env: t.env,
    cwd: t.repo,
  });
  let aOut = "";
  const aDone = new Promise<number | null>((resolve) => a.on("close", (code) => resolve(code)));
  // Wait (on A's output, with a deadline) until its command is running.
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`resume A never started its command:\n${aOut}`)), 20_000);
    a.stdout!.on("data", (d) => {
      aOut += d;
      if (aOut.includes('"item.started"')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  expect(server.requests).toHaveLength(2);

  const before = readFileSync(file, "utf8");
  const b = await runCodex(["exec", "--json", "resume", threadId, "resume B"], { env: t.env, cwd: t.repo });
  expect(b.code).not.toBe(0);
  expect(b.stderr).toContain(`session ${threadId} is in use by another codex process (pid ${a.pid})`);
  expect(readFileSync(file, "utf8")).toBe(before);
  expect(server.requests).toHaveLength(2);

  writeFileSync(go, "");
  expect(await aDone).toBe(0);
  expect(parseJsonl(aOut).at(-1)).toMatchObject({ type: "turn.completed" });

  // Every line parses, and both of A's items and the first run's are there, in order.
  const lines = readFileSync(file, "utf8").split("\n").filter((l) => l !== "");
  const parsed = lines.map((l) => JSON.parse(l) as { type: string; payload: Record<string, unknown> });
  const items = parsed.filter((l) => l.type === "response_item").map((l) => l.payload);
  const texts = items.map((i) => JSON.stringify(i));
  const at = (needle: string) => texts.findIndex((s) => s.includes(needle));
  expect(at("start the session")).toBeGreaterThan(-1);
  expect(at("resume A")).toBeGreaterThan(at("hello"));
  expect(at('"call_wait"')).toBeGreaterThan(at("resume A"));
  expect(items.find((i) => i.type === "function_call_output")?.output).toContain("A-done");
  expect(at("A finished")).toBeGreaterThan(at("A-done"));
  expect(texts.some((s) => s.includes("resume B"))).toBe(false);

  // The lock went with A: a later resume works.
  server.enqueue(sse(created("r3"), textMessage("C here"), completed("r3")));
  const c = await runCodex(["exec", "--json", "resume", threadId, "resume C"], { env: t.env, cwd: t.repo });
  expect(c.stderr).not.toContain("in use");
  expect(c.code).toBe(0);
  expect(server.refusedRequests).toEqual([]);
});
