// An unsandboxed command must not outlive a CLI that dies without running its exit hooks (kill -9, OOM
// killer): bwrap's --die-with-parent covers sandboxed commands, setpriv --pdeathsig the unsandboxed ones.
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, expect, test } from "vitest";
import { spawnCodex, useFakeServerEnv, type TestEnv } from "../support/codex-env.js";
import type { FakeServer } from "../support/fake-responses-server.js";
import { completed, created, functionCall } from "../support/sse.js";

let server: FakeServer;
let t: TestEnv;
useFakeServerEnv((s, e) => {
  server = s;
  t = e;
});

const leftovers: number[] = [];
afterEach(() => {
  for (const pid of leftovers.splice(0)) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
});

/** Alive and not a zombie waiting for its new parent to reap it. */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

async function until(what: string, cond: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const readPid = (file: string): number => Number(readFileSync(file, "utf8").trim());

test("kill -9 of codex exec ends its danger-full-access command; a plain child of a killed parent would live on", async () => {
  const guardedFile = path.join(t.repo, "guarded.pid");
  const controlFile = path.join(t.repo, "control.pid");
  server.enqueue({
    events: [
      created("r1"),
      functionCall("c1", "exec_command", { cmd: `echo $$ > ${guardedFile}; exec sleep 300`, yield_time_ms: 30_000 }),
      completed("r1"),
    ],
  });
  const codex = spawnCodex(["exec", "--json", "-s", "danger-full-access", "--skip-git-repo-check", "keep running"], { env: t.env, cwd: t.repo });
  let stderr = "";
  codex.stderr!.on("data", (d) => (stderr += d));
  // The control: the same command started by a parent that does nothing to tie it to its own life.
  const control = spawn(
    process.execPath,
    ["-e", `require("child_process").spawn("sh", ["-c", "echo $$ > ${controlFile}; exec sleep 300"], { detached: true, stdio: "ignore" }); setInterval(() => {}, 1000);`],
    { stdio: "ignore" },
  );
  await until("both commands to start", () => existsSync(guardedFile) && existsSync(controlFile) && readPid(guardedFile) > 0 && readPid(controlFile) > 0);
  const guarded = readPid(guardedFile);
  const orphan = readPid(controlFile);
  leftovers.push(guarded, orphan);
  expect(running(guarded), stderr).toBe(true);
  expect(running(orphan)).toBe(true);

  codex.kill("SIGKILL");
  control.kill("SIGKILL");
  await until("the guarded command to end with codex", () => !running(guarded));
  // Checked after the guarded one is gone: by then the control's parent has been dead just as long.
  expect(running(orphan)).toBe(true);
}, 40_000);
