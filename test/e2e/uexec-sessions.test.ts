// Unified exec through the built binary: how a session that outlives its call appears in exec JSONL (as in the
// reference 0.169: item.started in_progress, no item.completed at turn end), that shutdown ends it, and that a
// 1 GiB flood keeps the agent's peak RSS bounded while the spool file under $CODEX_HOME gets every byte.
import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from "node:fs";
import path from "node:path";
import { expect, test } from "vitest";
import { parseJsonl, runCodex, spawnCodex, type TestEnv, useFakeServerEnv } from "../support/codex-env.js";
import { sse, stallAfter, type FakeServer } from "../support/fake-responses-server.js";
import { completed, created, functionCall, textMessage } from "../support/sse.js";
import { waitFor } from "../exec/wait-for.js";

let server: FakeServer;
let t: TestEnv;

useFakeServerEnv((s, e) => ((server = s), (t = e)));

function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

test("a session still running at turn end stays in_progress in exec JSONL and ends with the process", async () => {
  const pidFile = path.join(t.repo, "bg.pid");
  server.enqueue(
    sse(
      created("r1"),
      functionCall("c1", "exec_command", { cmd: `echo $$ > ${pidFile}; echo hi; exec sleep 60`, yield_time_ms: 500 }),
      completed("r1"),
    ),
    sse(created("r2"), textMessage("left it running"), completed("r2")),
  );
  const r = await runCodex(["exec", "--json", "--dangerously-bypass-approvals-and-sandbox", "bg"], { env: t.env, cwd: t.repo });
  expect(r.code).toBe(0);
  const events = parseJsonl(r.stdout);
  const started = events.find((e) => e.type === "item.started");
  expect(started.item).toMatchObject({ type: "command_execution", exit_code: null, status: "in_progress" });
  expect(events.filter((e) => e.type === "item.completed" && e.item.type === "command_execution")).toEqual([]);
  expect(events.at(-1).type).toBe("turn.completed");
  expect(server.requests[1]!.functionCallOutput("c1").output).toContain("Process running with session ID");
  const pid = Number(readFileSync(pidFile, "utf8"));
  await waitFor(() => !alive(pid), { what: "the background terminal to end with the CLI" });
});

const GIB = 1024 * 1024 * 1024;
/** Peak RSS allowed while 1 GiB streams through (the in-memory bounds are ~1 MiB per buffer). */
const PEAK_RSS_BOUND_KIB = 200 * 1024;

function vmHwmKiB(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  if (!m) throw new Error(`no VmHWM for ${pid}`);
  return Number(m[1]);
}

test("a 1 GiB flood: the agent's peak RSS stays bounded and the spool file holds all of it", async () => {
  server.enqueue(
    sse(
      created("r1"),
      functionCall("flood", "exec_command", { cmd: `head -c ${GIB} /dev/zero | tr '\\0' a`, yield_time_ms: 30_000 }),
      completed("r1"),
    ),
    // The agent waits here with the output sent: its peak RSS can be read while it is still alive.
    stallAfter(created("r2")),
  );
  const child = spawnCodex(["exec", "--json", "--dangerously-bypass-approvals-and-sandbox", "flood"], { env: t.env, cwd: t.repo });
  const closed = new Promise<void>((resolve) => child.on("close", () => resolve()));
  let stderr = "";
  child.stderr!.on("data", (d) => (stderr += d));
  try {
    await waitFor(() => server.requests.length >= 2 || child.exitCode !== null, { what: "the flood to finish", timeoutMs: 120_000 });
    expect(child.exitCode, stderr).toBeNull();
    const peak = vmHwmKiB(child.pid!);
    const out = server.requests[1]!.functionCallOutput("flood").output as string;
    expect(out).toContain(`\nOriginal token count: ${GIB / 4}\n`);
    const spool = /full output: (\S+) \.\.\.\]/.exec(out)?.[1];
    expect(spool, out.slice(0, 400)).toBeDefined();
    expect(spool!.startsWith(t.codexHome)).toBe(true);
    expect(statSync(spool!).size).toBe(GIB);
    const fd = openSync(spool!, "r");
    try {
      for (const at of [0, GIB / 2, GIB - 16]) {
        const buf = Buffer.alloc(16);
        readSync(fd, buf, 0, 16, at);
        expect(buf.toString()).toBe("a".repeat(16));
      }
    } finally {
      closeSync(fd);
    }
    expect(Buffer.byteLength(out)).toBeLessThan(64 * 1024);
    expect(peak, `peak RSS ${Math.round(peak / 1024)} MiB`).toBeLessThan(PEAK_RSS_BOUND_KIB);
    console.log(`1 GiB flood: agent VmHWM ${Math.round(peak / 1024)} MiB`);
  } finally {
    child.kill("SIGKILL");
    await closed;
  }
  expect(existsSync(t.codexHome)).toBe(true);
}, 180_000);
