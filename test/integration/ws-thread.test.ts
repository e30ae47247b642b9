// A thread of a provider with `supports_websockets`, through createCodexRuntime: turns over one socket, and an
// interrupt that lands while the socket is still connecting.
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, expect, test } from "vitest";
import { createCodexRuntime, loadConfig, resolveSandboxPolicy, type Thread } from "../../src/core/index.js";
import { fakeProviderConfig } from "../support/codex-env.js";
import { untilTurnEnds } from "../support/core-thread.js";
import { sse } from "../support/fake-responses-server.js";
import { startFakeWsResponsesServer, type FakeWsServer } from "../support/fake-ws-responses-server.js";
import { completed, created, functionCall, textMessage } from "../support/sse.js";

let server: FakeWsServer;
let root: string;
let logs: string[];
beforeEach(async () => {
  server = await startFakeWsResponsesServer();
  root = realpathSync(mkdtempSync(path.join(os.tmpdir(), "codex-ws-thread-")));
  logs = [];
});
afterEach(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

async function startThread(extra: string): Promise<{ thread: Thread; close: () => Promise<void> }> {
  const repo = path.join(root, "repo");
  const codexHome = path.join(root, "home", ".codex");
  mkdirSync(path.join(repo, ".git"), { recursive: true });
  mkdirSync(codexHome, { recursive: true });
  writeFileSync(path.join(codexHome, "config.toml"), fakeProviderConfig(server.url, `supports_websockets = true\n${extra}`));
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
    ephemeral: true,
    interactiveApprovals: false,
    log: (line) => logs.push(line),
  });
  const thread = await runtime.threads.start();
  return { thread, close: () => thread.close() };
}

test("the turns of a thread share one socket; a tool round continues the response with only its output", async () => {
  server.enqueue(
    sse(created("r1"), functionCall("call_1", "exec_command", { cmd: "echo hi" }), completed("r1")),
    sse(created("r2"), textMessage("ran it"), completed("r2")),
    sse(created("r3"), textMessage("second turn"), completed("r3")),
  );
  const { thread, close } = await startThread("");
  const it = thread.events()[Symbol.asyncIterator]();
  await thread.submit({ type: "user_turn", items: [{ type: "text", text: "run it" }] });
  expect((await untilTurnEnds(it)).at(-1)?.type).toBe("task_complete");
  await thread.submit({ type: "user_turn", items: [{ type: "text", text: "again" }] });
  const second = await untilTurnEnds(it);
  expect(second.at(-1)).toMatchObject({ type: "task_complete", lastAgentMessage: "second turn" });
  expect(server.handshakes).toHaveLength(1);
  expect(server.wsRequests.map((r) => r.connection)).toEqual([1, 1, 1]);
  expect(server.wsRequests[1]!.body.previous_response_id).toBe("r1");
  expect(server.wsRequests[1]!.input.map((i: { type: string }) => i.type)).toEqual(["function_call_output"]);
  expect(server.wsRequests[2]!.body.previous_response_id).toBe("r2");
  expect(server.wsRequests[2]!.input.at(-1).content[0].text).toBe("again");
  expect(server.http.requests).toHaveLength(0);
  expect(server.refused).toEqual([]);
  await close();
  expect(logs).toEqual([]);
});

test("an interrupt while the socket is connecting ends the turn as interrupted, promptly", async () => {
  server.upgrade = "hang";
  const { thread, close } = await startThread("websocket_connect_timeout_ms = 60000");
  const it = thread.events()[Symbol.asyncIterator]();
  await thread.submit({ type: "user_turn", items: [{ type: "text", text: "hi" }] });
  await server.waitForHandshakes(1);
  // Past user_message the turn samples, i.e. waits for the (hung) socket the thread started opening.
  const seen = [];
  for (;;) {
    const next = await it.next();
    seen.push(next.value.msg);
    if (next.done || next.value.msg.type === "user_message") break;
  }
  const started = Date.now();
  await thread.submit({ type: "interrupt" });
  seen.push(...(await untilTurnEnds(it)));
  expect(seen.at(-1)?.type).toBe("turn_aborted");
  expect(Date.now() - started).toBeLessThan(5_000);
  expect(server.http.requests).toHaveLength(0);
  await close();
});

test("a hung connect falls back to HTTP after websocket_connect_timeout_ms, with one log line", async () => {
  server.upgrade = "hang";
  server.enqueue(sse(created("r1"), textMessage("over http"), completed("r1")), sse(created("r2"), textMessage("http 2"), completed("r2")));
  const { thread, close } = await startThread("websocket_connect_timeout_ms = 200");
  const it = thread.events()[Symbol.asyncIterator]();
  await thread.submit({ type: "user_turn", items: [{ type: "text", text: "hi" }] });
  expect((await untilTurnEnds(it)).at(-1)).toMatchObject({ type: "task_complete", lastAgentMessage: "over http" });
  await thread.submit({ type: "user_turn", items: [{ type: "text", text: "hi again" }] });
  expect((await untilTurnEnds(it)).at(-1)).toMatchObject({ type: "task_complete", lastAgentMessage: "http 2" });
  expect(server.handshakes).toHaveLength(1);
  expect(server.http.requests).toHaveLength(2);
  expect(logs).toHaveLength(1);
  expect(logs[0]).toMatch(/timed out after 200 ms/);
  await close();
});
