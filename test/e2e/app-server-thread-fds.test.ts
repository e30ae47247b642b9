// A loaded app-server thread has a runtime of its own; what that runtime keeps open for later commands and hooks
// (stdin pipes kept ready, the sandbox's seccomp program) goes when the thread is unloaded (thread/archive).
// Before, every thread a long-lived server had run a hook or a sandboxed command for kept them until exit.
import { readdirSync, readlinkSync } from "node:fs";
import { expect, test } from "vitest";
import type { TestEnv } from "../support/codex-env.js";
import { sse, type FakeServer } from "../support/fake-responses-server.js";
import { completed, created, functionCall, textMessage } from "../support/sse.js";
import { useAppServerE2E } from "../support/app-server-e2e.js";
import { writeProjectHooks } from "../hooks/hook-env.js";

let server: FakeServer;
let env: TestEnv;
const e2e = useAppServerE2E((s, e) => ((server = s), (env = e)));

/** The server process's fds whose target matches `what`. */
function fdsOf(pid: number, what: RegExp): string[] {
  const out: string[] = [];
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      if (what.test(target)) out.push(`${fd} -> ${target}`);
    } catch {
      // Closed while listed.
    }
  }
  return out;
}

test("unloading a thread closes its runtime's stdin pipes and seccomp program fds", async () => {
  env.writeConfig(e2e.trustedConfig('sandbox_mode = "read-only"\n'));
  writeProjectHooks(env, { UserPromptSubmit: [{ hooks: [{ type: "command", command: "cat >/dev/null" }] }] });
  server.enqueue(
    sse(created("r1"), functionCall("k1", "exec_command", { cmd: "echo sandboxed", login: false }), completed("r1")),
    sse(created("r2"), textMessage("done"), completed("r2")),
  );
  const client = await e2e.appServer();
  const pid = client.child.pid!;
  const { thread } = await client.call("thread/start", {});
  const from = client.seen.length;
  await client.call("turn/start", { threadId: thread.id, input: [{ type: "text", text: "go", text_elements: [] }] });
  const done = await client.notification("turn/completed", (p) => p.threadId === thread.id, { from });
  expect(done.params.turn.status).toBe("completed");
  expect(server.requests[1]!.functionCallOutput("k1")).toBeDefined();
  // The hook's pipe source keeps pipes ready, the sandbox its seccomp program.
  expect(fdsOf(pid, /codex-stdin-/).length).toBeGreaterThan(0);
  expect(fdsOf(pid, /codex-seccomp-/).length).toBeGreaterThan(0);

  await client.call("thread/archive", { threadId: thread.id });
  expect(fdsOf(pid, /codex-stdin-/)).toEqual([]);
  expect(fdsOf(pid, /codex-seccomp-/)).toEqual([]);
});
