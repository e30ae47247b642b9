// A session cut off in the middle of a tool call — kill -9, Ctrl-C — or written by the reference
// with a dangling call resumes on the real API: the strict fake server refuses (HTTP 400) any
// request whose tool calls are not all paired with an output, as the Responses API does.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, expect, test } from "vitest";
import { parseJsonl, runCodex, spawnCodex, type TestEnv, useFakeServerEnv } from "../support/codex-env.js";
import { sse, type FakeServer } from "../support/fake-responses-server.js";
import { completed, created, functionCall, textMessage } from "../support/sse.js";

let server: FakeServer;
let t: TestEnv;
const strays: number[] = [];

useFakeServerEnv((s, e) => ((server = s), (t = e)));
afterEach(() => {
  for (const pid of strays.splice(0)) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
});

/** Runs `exec` until the model's command is running (its pid file is written), then sends `signal`. */
async function cutOffMidTool(signal: NodeJS.Signals): Promise<{ threadId: string; code: number | null; stdout: string }> {
  const pidFile = path.join(t.repo, "tool.pid");
  server.enqueue(
    sse(
      created("r1"),
      functionCall("call_cut", "exec_command", { cmd: `echo $$ > ${pidFile}; exec sleep 60`, login: false, yield_time_ms: 30000 }),
      completed("r1"),
    ),
  );
  const child = spawnCodex(["exec", "--json", "--dangerously-bypass-approvals-and-sandbox", "run the long command"], {
    env: t.env,
    cwd: t.repo,
  });
  let stdout = "";
  child.stdout!.on("data", (d) => (stdout += d));
  const closed = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  const deadline = Date.now() + 20_000;
  // Wait on the condition (the command is running and reported), not on time.
  await new Promise<void>((resolve, reject) => {
    const poll = setInterval(() => {
      const ready = stdout.includes('"item.started"') && existsSync(pidFile) && readFileSync(pidFile, "utf8").trim() !== "";
      if (ready) {
        clearInterval(poll);
        strays.push(Number(readFileSync(pidFile, "utf8").trim()));
        child.kill(signal);
        resolve();
      } else if (Date.now() > deadline) {
        clearInterval(poll);
        child.kill("SIGKILL");
        reject(new Error(`the command never started; stdout:\n${stdout}`));
      }
    }, 10);
  });
  const code = await closed;
  const threadId = parseJsonl(stdout).find((e) => e.type === "thread.started")?.thread_id as string;
  return { threadId, code, stdout };
}

async function resumeAndExpectPaired(threadId: string, expectOutput: RegExp, how: "resume" | "fork" = "resume"): Promise<void> {
  server.enqueue(sse(created("r2"), textMessage("picked up again"), completed("r2")));
  const r = await runCodex(["exec", "--json", how, threadId, "carry on"], { env: t.env, cwd: t.repo });
  expect(server.refusedRequests).toEqual([]);
  expect(r.code).toBe(0);
  expect(parseJsonl(r.stdout).at(-1)).toMatchObject({ type: "turn.completed" });
  const input = server.requests.at(-1)!.input as Array<{ type: string; call_id?: string; output?: string }>;
  const callAt = input.findIndex((i) => i.type === "function_call" && i.call_id === "call_cut");
  expect(callAt).toBeGreaterThan(0);
  // The output sits right after the call, before the next user message.
  expect(input[callAt + 1]).toMatchObject({ type: "function_call_output", call_id: "call_cut" });
  expect(input[callAt + 1]!.output).toMatch(expectOutput);
  expect(server.requests.at(-1)!.lastUserText()).toBe("carry on");
}

test("kill -9 in the middle of a tool call, then exec resume: the call is paired with 'aborted'", async () => {
  const cut = await cutOffMidTool("SIGKILL");
  expect(cut.code).toBeNull();
  expect(cut.threadId).toMatch(/^[0-9a-f-]{36}$/);
  await resumeAndExpectPaired(cut.threadId, /^aborted$/);
});

test("kill -9 in the middle of a tool call, then exec fork: the fork's request pairs the call too", async () => {
  const cut = await cutOffMidTool("SIGKILL");
  await resumeAndExpectPaired(cut.threadId, /^aborted$/, "fork");
});

test("Ctrl-C in the middle of a tool call records the aborted output; exec resume then goes on", async () => {
  const cut = await cutOffMidTool("SIGINT");
  expect(cut.code).not.toBe(0);
  expect(parseJsonl(cut.stdout).at(-1)).toEqual({ type: "turn.failed", error: { message: "Turn interrupted" } });
  await resumeAndExpectPaired(cut.threadId, /^Wall time: \d+\.\d seconds\naborted by user$/);
});

test("a reference-layout rollout with a dangling call resumes", async () => {
  const id = "01a21ec4-0000-7000-8000-0000000da461";
  const dir = path.join(t.codexHome, "sessions", "2026", "11", "28");
  mkdirSync(dir, { recursive: true });
  const ts = "2026-11-28T10:00:00.000Z";
  const lines = [
    { type: "session_meta", payload: { id, timestamp: ts, cwd: t.repo, originator: "codex_exec", cli_version: "0.169.0", source: "exec", model_provider: "openai" } },
    { type: "event_msg", payload: { type: "task_started", turn_id: "t1" } },
    { type: "turn_context", payload: { turn_id: "t1", cwd: t.repo, approval_policy: "never", sandbox_policy: { type: "read-only" }, model: "gpt-5.5" } },
    { type: "response_item", payload: { type: "message", role: "user", content: [{ type: "input_text", text: "build it" }] } },
    { type: "response_item", payload: { type: "reasoning", id: "rs_1", summary: [], content: null, encrypted_content: "gAAA" } },
    { type: "response_item", payload: { type: "function_call", id: "fc_1", name: "exec_command", arguments: "{\"cmd\":\"make\"}", call_id: "call_cut" } },
    { type: "event_msg", payload: { type: "exec_command_begin", call_id: "call_cut", command: ["make"] } },
  ];
  writeFileSync(path.join(dir, `rollout-2026-11-28T10-00-00-${id}.jsonl`), lines.map((l) => JSON.stringify({ timestamp: ts, ...l })).join("\n") + "\n");
  await resumeAndExpectPaired(id, /^aborted$/);
});
