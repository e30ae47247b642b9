import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "vitest";
import { parseJsonl, spawnCodex, type TestEnv, useFakeServerEnv } from "../support/codex-env.js";
import { sse, stallAfter, type FakeServer } from "../support/fake-responses-server.js";
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

/** Spawns exec, resolves once `ready(stdoutSoFar)` holds, then sends SIGINT and collects the rest. */
async function interruptWhen(args: string[], ready: (stdout: string) => boolean) {
  const child = spawnCodex(args, { env: t.env, cwd: t.repo });
  let stdout = "";
  let stderr = "";
  let signalled = false;
  const done = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  const deadline = setTimeout(() => child.kill("SIGKILL"), 30_000);
  child.stderr!.on("data", (d) => (stderr += d));
  child.stdout!.on("data", (d) => (stdout += d));
  // Poll the readiness condition (it may depend on files, not only on stdout) until it holds.
  const poll = setInterval(() => {
    if (!signalled && ready(stdout)) {
      signalled = true;
      child.kill("SIGINT");
    }
  }, 20);
  const code = await done;
  clearTimeout(deadline);
  clearInterval(poll);
  return { code, stdout, stderr, signalled };
}

test("SIGINT during a running command kills it and ends the turn as interrupted", async () => {
  const pidFile = path.join(t.repo, "child.pid");
  server.enqueue(
    sse(
      created("r1"),
      functionCall("c1", "exec_command", { cmd: `echo $$ > ${pidFile}; exec sleep 60`, login: false, yield_time_ms: 30000 }),
      completed("r1"),
    ),
  );
  const r = await interruptWhen(
    ["exec", "--json", "--dangerously-bypass-approvals-and-sandbox", "wait"],
    (out) => out.includes('"item.started"') && existsSync(pidFile) && readFileSync(pidFile, "utf8").trim() !== "",
  );
  expect(r.signalled).toBe(true);
  expect(r.code).not.toBe(0);
  const events = parseJsonl(r.stdout);
  expect(events.at(-1)).toEqual({ type: "turn.failed", error: { message: "Turn interrupted" } });
  const pid = Number(readFileSync(pidFile, "utf8").trim());
  expect(alive(pid)).toBe(false);
  expect(server.requests).toHaveLength(1);
});

test("SIGINT while waiting on a silent model stream ends the turn promptly", async () => {
  server.enqueue(stallAfter(created("r1")));
  const r = await interruptWhen(["exec", "--json", "hang"], (out) => out.includes('"turn.started"') && server.requests.length === 1);
  expect(r.signalled).toBe(true);
  expect(r.code).not.toBe(0);
  expect(parseJsonl(r.stdout).at(-1).type).toBe("turn.failed");
});
