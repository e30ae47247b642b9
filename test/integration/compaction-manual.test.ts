// Manual compaction through the core: the `compact` op runs like a turn, replaces the history with
// the summary, journals a `compacted` line, and the next turn starts from the summary.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, expect, test } from "vitest";
import { createCodexRuntime, loadConfig, resolveSandboxPolicy, type Thread } from "../../src/core/index.js";
import type { Event, EventMsg } from "../../src/protocol/events.js";
import { fakeProviderConfig } from "../support/codex-env.js";
import { sse, startFakeResponsesServer, type FakeServer } from "../support/fake-responses-server.js";
import { completed, created, functionCall, textMessage } from "../support/sse.js";

let server: FakeServer;
let root: string;
let repo: string;
let codexHome: string;

beforeEach(async () => {
  server = await startFakeResponsesServer();
  root = realpathSync(mkdtempSync(path.join(os.tmpdir(), "compact-")));
  repo = path.join(root, "repo");
  codexHome = path.join(root, "home", ".codex");
  mkdirSync(path.join(repo, ".git"), { recursive: true });
  mkdirSync(codexHome, { recursive: true });
  writeFileSync(path.join(codexHome, "config.toml"), fakeProviderConfig(server.url));
});
afterEach(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

async function startThread(): Promise<Thread> {
  const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: path.dirname(codexHome), CODEX_HOME: codexHome, CODEX_API_KEY: "sk-test-key-0123456789" };
  const config = await loadConfig({ cwd: repo, overrides: [], flags: { sandboxMode: "danger-full-access" }, env });
  const runtime = await createCodexRuntime({
    config,
    sandboxPolicy: resolveSandboxPolicy(config),
    approvalPolicy: "never",
    env,
    originator: "codex_test",
    version: "0.0.0",
    source: "cli",
    ephemeral: false,
    interactiveApprovals: false,
  });
  return runtime.threads.start();
}

async function untilTurnEnds(it: AsyncIterator<Event>): Promise<EventMsg[]> {
  const seen: EventMsg[] = [];
  const deadline = Date.now() + 15_000;
  for (;;) {
    const next = await Promise.race([
      it.next(),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`turn did not end; saw ${seen.map((m) => m.type).join(", ")}`)), deadline - Date.now())),
    ]);
    if (next.done) return seen;
    seen.push(next.value.msg);
    if (["task_complete", "turn_failed", "turn_aborted"].includes(next.value.msg.type)) return seen;
  }
}

test("the compact op summarizes now, replaces the history and the next turn starts from the summary", async () => {
  const thread = await startThread();
  const it = thread.events()[Symbol.asyncIterator]();
  server.enqueue(
    sse(created("r1"), functionCall("call_1", "exec_command", { cmd: "echo TOOL-RESULT" }), completed("r1")),
    sse(created("r2"), textMessage("first done"), completed("r2")),
  );
  await thread.submit({ type: "user_turn", items: [{ type: "text", text: "do a thing" }] });
  expect((await untilTurnEnds(it)).at(-1)?.type).toBe("task_complete");

  server.enqueue(sse(created("r3"), textMessage("MANUAL-SUMMARY"), completed("r3")));
  await thread.submit({ type: "compact" });
  const events = await untilTurnEnds(it);
  expect(events.map((e) => e.type)).toContain("task_started");
  expect(events.at(-1)?.type).toBe("task_complete");
  const compacted = events.find((e) => e.type === "context_compacted");
  expect(compacted).toMatchObject({ type: "context_compacted", trigger: "manual" });
  if (compacted?.type !== "context_compacted") throw new Error("no context_compacted event");
  expect(compacted.tokensAfter).toBeLessThan(compacted.tokensBefore);
  const tokenCount = events.find((e) => e.type === "token_count");
  expect(tokenCount).toMatchObject({ contextWindow: expect.any(Number), contextLeftPercent: expect.any(Number) });

  const summaryRequest = server.requests[2]!;
  expect(summaryRequest.body.tools).toEqual([]);
  expect(JSON.stringify(summaryRequest.input)).toContain("TOOL-RESULT");
  const history = JSON.stringify(thread.history());
  expect(history).toContain("MANUAL-SUMMARY");
  expect(history).not.toContain("TOOL-RESULT");
  expect(history).toContain("do a thing");

  server.enqueue(sse(created("r4"), textMessage("next"), completed("r4")));
  await thread.submit({ type: "user_turn", items: [{ type: "text", text: "go on" }] });
  expect((await untilTurnEnds(it)).at(-1)?.type).toBe("task_complete");
  const next = JSON.stringify(server.requests[3]!.input);
  expect(next).toContain("MANUAL-SUMMARY");
  expect(next).not.toContain("call_1");
  await thread.close();

  const rollout = readFileSync(thread.rolloutPath!, "utf8").trim().split("\n").map((l) => JSON.parse(l));
  const line = rollout.find((l) => l.type === "compacted");
  expect(line.payload.message).toContain("MANUAL-SUMMARY");
  expect(Array.isArray(line.payload.replacement_history)).toBe(true);
  expect(readdirSync(path.dirname(thread.rolloutPath!))).toHaveLength(1);
});
