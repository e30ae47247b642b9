// A model command's background jobs end when the command does (and at the latest when the CLI exits),
// as the reference does by ending the command's process group. Without a sandbox nothing else would.
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { fakeProviderConfig, parseJsonl, runCodex, type TestEnv, useFakeServerEnv } from "../support/codex-env.js";
import { sse, type FakeServer } from "../support/fake-responses-server.js";
import { completed, created, functionCall, textMessage } from "../support/sse.js";

let server: FakeServer;
let t: TestEnv;

useFakeServerEnv((s, e) => ((server = s), (t = e)));

/** A process counts as gone once /proc has no entry for it or it is a zombie nobody reaped yet. */
function procState(pid: number): string {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[0] ?? "?";
  } catch {
    return "gone";
  }
}
const isGone = (pid: number) => ["gone", "Z", "X"].includes(procState(pid));

async function waitUntil(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The state of the pid in ./pid as a later command sees it (polls up to 5 s inside the command, then reports). */
const PROBE = [
  'p=$(cat pid); s=running; for i in $(seq 100); do',
  's=$(cut -d" " -f3 /proc/$p/stat 2>/dev/null || echo gone); [ "$s" = gone ] || [ "$s" = Z ] && break; sleep 0.05; done;',
  'echo "STATE=$s"',
].join(" ");

const VARIANTS = {
  plain: "sleep 300 & echo $! > pid; echo started",
  nohup: "nohup sleep 300 >/dev/null 2>&1 & echo $! > pid; echo started",
  redirected: "sleep 300 >/dev/null 2>&1 & echo $! > pid; echo started",
};

const UNSANDBOXED = {
  bypass: ["--dangerously-bypass-approvals-and-sandbox"],
  "danger-full-access": ["-s", "danger-full-access"],
};

type Tool = "exec_command" | "shell_command";

function callArgs(tool: Tool, script: string): Record<string, unknown> {
  return tool === "exec_command" ? { cmd: script, yield_time_ms: 10_000 } : { command: script };
}

async function runStray(o: { tool: Tool; script: string; flags: string[] }): Promise<{ pid: number; probe: string }> {
  if (o.tool === "shell_command") t.writeConfig(fakeProviderConfig(server.url, "[features]\nunified_exec = false"));
  server.enqueue(
    sse(created("r1"), functionCall("bg", o.tool, callArgs(o.tool, o.script)), completed("r1")),
    sse(created("r2"), functionCall("probe", o.tool, callArgs(o.tool, PROBE)), completed("r2")),
    sse(created("r3"), textMessage("done"), completed("r3")),
  );
  const r = await runCodex(["exec", "--json", ...o.flags, "start a background job"], { env: t.env, cwd: t.repo });
  expect(r.stderr).not.toMatch(/Error:/);
  expect(r.code).toBe(0);
  expect(parseJsonl(r.stdout).at(-1).type).toBe("turn.completed");
  const first = JSON.stringify(server.requests[1]!.functionCallOutput("bg"));
  expect(first).toContain("started");
  const pidFile = path.join(t.repo, "pid");
  expect(existsSync(pidFile), "the command wrote its background job's pid").toBe(true);
  const pid = Number(readFileSync(pidFile, "utf8").trim());
  expect(pid).toBeGreaterThan(1);
  const probe = JSON.stringify(server.requests[2]!.functionCallOutput("probe"));
  return { pid, probe };
}

describe("background jobs of a finished command do not outlive it", () => {
  for (const [mode, flags] of Object.entries(UNSANDBOXED)) {
    for (const tool of ["exec_command", "shell_command"] as const) {
      for (const [variant, script] of Object.entries(VARIANTS)) {
        // Keep the matrix small: every variant with the bypass flag, the plain one with danger-full-access.
        if (mode !== "bypass" && variant !== "plain") continue;
        test(`${tool} ${variant} (${mode})`, async () => {
          const { pid, probe } = await runStray({ tool, script, flags });
          try {
            // The next command already finds it gone: it ended with the command, not only with the CLI.
            expect(probe).toMatch(/STATE=(gone|Z)/);
            await waitUntil(() => isGone(pid), `background sleep ${pid} to end after the CLI exited`);
          } finally {
            if (!isGone(pid)) process.kill(pid, "SIGKILL");
          }
        });
      }
    }
  }

  test("a session still running at the end of the turn is ended with its whole group when the CLI exits", async () => {
    // The session's shell ignores TERM and keeps running; its nohup'd child would survive a TERM to the shell alone.
    const script = "trap '' TERM; nohup sleep 300 >/dev/null 2>&1 & echo $! > pid; echo started; while :; do sleep 0.2; done";
    server.enqueue(
      sse(created("r1"), functionCall("bg", "exec_command", { cmd: script, yield_time_ms: 500 }), completed("r1")),
      sse(created("r2"), textMessage("left it running"), completed("r2")),
    );
    const r = await runCodex(["exec", "--json", "--dangerously-bypass-approvals-and-sandbox", "keep it"], {
      env: t.env,
      cwd: t.repo,
    });
    expect(r.code).toBe(0);
    expect(JSON.stringify(server.requests[1]!.functionCallOutput("bg"))).toContain("Process running with session ID");
    const pid = Number(readFileSync(path.join(t.repo, "pid"), "utf8").trim());
    try {
      await waitUntil(() => isGone(pid), `session child ${pid} to end after the CLI exited`);
    } finally {
      if (!isGone(pid)) process.kill(pid, "SIGKILL");
    }
  });

  test("under the sandbox (workspace-write) the background job ends too", async () => {
    // The check can see a stray sleep: one started here, in the repo, is found, then ended.
    const control = spawn("sleep", ["300"], { cwd: t.repo, stdio: "ignore" });
    try {
      await waitUntil(() => sleepsUnder(t.repo), "the control sleep to be seen");
    } finally {
      control.kill("SIGKILL");
    }
    await waitUntil(() => !sleepsUnder(t.repo), "the control sleep to end");

    // The pid in ./pid is the sandbox's own (a pid namespace), so look for the sleep from outside.
    await runStray({ tool: "exec_command", script: VARIANTS.nohup, flags: ["-s", "workspace-write"] });
    await waitUntil(() => !sleepsUnder(t.repo), "no sandboxed sleep left after the CLI exited");
  });
});

/** True while some `sleep 300` process runs with `cwd` as its working directory. */
function sleepsUnder(cwd: string): boolean {
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, "utf8");
      if (cmd !== "sleep\u0000300\u0000") continue;
      if (isGone(Number(entry))) continue;
      if (readlinkSync(`/proc/${entry}/cwd`) === cwd) return true;
    } catch {
      // raced with its exit
    }
  }
  return false;
}
