// SIGTERM: the turn ends as interrupted with a well-formed JSONL ending, then the process exits 143.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "vitest";
import { parseJsonl, spawnCodex, type TestEnv, useFakeServerEnv } from "../support/codex-env.js";
import { sse, type FakeServer } from "../support/fake-responses-server.js";
import { completed, created, functionCall } from "../support/sse.js";

let server: FakeServer;
let t: TestEnv;

useFakeServerEnv((s, e) => ((server = s), (t = e)));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test("SIGTERM during a blocked tool call writes the clean JSONL ending and exits 143", async () => {
  const pidFile = path.join(t.repo, "child.pid");
  server.enqueue(
    sse(
      created("r1"),
      functionCall("c1", "exec_command", { cmd: `echo $$ > ${pidFile}; exec sleep 60`, login: false, yield_time_ms: 30000 }),
      completed("r1"),
    ),
  );
  const child = spawnCodex(["exec", "--json", "--dangerously-bypass-approvals-and-sandbox", "wait"], { env: t.env, cwd: t.repo });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d) => (stdout += d));
  child.stderr!.on("data", (d) => (stderr += d));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("close", (code, signal) => resolve({ code, signal })),
  );
  const deadline = setTimeout(() => child.kill("SIGKILL"), 30_000);
  let signalled = false;
  const poll = setInterval(() => {
    const ready = stdout.includes('"item.started"') && existsSync(pidFile) && readFileSync(pidFile, "utf8").trim() !== "";
    if (!signalled && ready) {
      signalled = true;
      child.kill("SIGTERM");
    }
  }, 20);
  const r = await done;
  clearTimeout(deadline);
  clearInterval(poll);

  expect(signalled).toBe(true);
  expect(r, stderr).toEqual({ code: 143, signal: null });
  expect(stdout.endsWith("\n")).toBe(true);
  const events = parseJsonl(stdout);
  expect(events.at(-1)).toEqual({ type: "turn.failed", error: { message: "Turn interrupted" } });
  // The command is a background terminal the interrupt does not end: like the reference 0.169, its item stays
  // in_progress (no item.completed); the CLI's shutdown then ends the process.
  expect(events.filter((e) => e.type === "item.started" && e.item.type === "command_execution")).toHaveLength(1);
  expect(events.filter((e) => e.type === "item.completed" && e.item.type === "command_execution")).toEqual([]);
  expect(alive(Number(readFileSync(pidFile, "utf8").trim()))).toBe(false);
});
