// Approvals through the core with a scripted person (interactiveApprovals: true): the person
// approves, denies, or walks away — an interrupt or a shutdown while an approval is pending ends
// the ask as `abort`, the turn as turn_aborted, and close() resolves. Patch requests carry the
// patch's changes.
import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { createCodexRuntime, loadConfig, resolveSandboxPolicy, type Thread } from "../../src/core/index.js";
import type { Event, EventMsg } from "../../src/protocol/events.js";
import type { Op } from "../../src/protocol/ops.js";
import { fakeProviderConfig } from "../support/codex-env.js";
import { sse, startFakeResponsesServer, type FakeServer } from "../support/fake-responses-server.js";
import { completed, created, customToolCall, functionCall, textMessage } from "../support/sse.js";

let server: FakeServer;
let root: string;
let repo: string;
let codexHome: string;

beforeEach(async () => {
  server = await startFakeResponsesServer();
  root = realpathSync(mkdtempSync(path.join(os.tmpdir(), "approvals-")));
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

async function startThread(o: { sandboxMode: string }): Promise<Thread> {
  const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: path.dirname(codexHome), CODEX_HOME: codexHome, CODEX_API_KEY: "sk-test-key-0123456789" };
  const config = await loadConfig({ cwd: repo, overrides: [], flags: { sandboxMode: o.sandboxMode }, env });
  const runtime = await createCodexRuntime({
    config,
    sandboxPolicy: resolveSandboxPolicy(config),
    approvalPolicy: "untrusted",
    env,
    originator: "codex_test",
    version: "0.0.0",
    source: "cli",
    ephemeral: false,
    interactiveApprovals: true,
  });
  return runtime.threads.start();
}

/** Reads events, letting `person` answer each one with ops, until the turn ends; fails past a deadline. */
async function runTurnWith(thread: Thread, person: (msg: EventMsg) => Op[]): Promise<EventMsg[]> {
  const seen: EventMsg[] = [];
  const it = thread.events()[Symbol.asyncIterator]();
  const deadline = Date.now() + 15_000;
  for (;;) {
    const next = await Promise.race([
      it.next(),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`turn did not end; saw ${seen.map((m) => m.type).join(", ")}`)), deadline - Date.now())),
    ]);
    if ((next as IteratorResult<Event>).done) return seen;
    const msg = (next as IteratorResult<Event>).value.msg;
    seen.push(msg);
    for (const op of person(msg)) await thread.submit(op);
    if (msg.type === "task_complete" || msg.type === "turn_failed" || msg.type === "turn_aborted") return seen;
  }
}

const withDeadline = <T>(p: Promise<T>, what: string): Promise<T> =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} hung`)), 10_000))]);

function scriptCommand(file: string): void {
  server.enqueue(
    sse(created("r1"), functionCall("call_1", "exec_command", { cmd: `touch ${file}`, login: false }), completed("r1")),
    sse(created("r2"), textMessage("done"), completed("r2")),
  );
}

describe("exec approvals with a scripted person", () => {
  test("approve: the command runs and the model sees its output", async () => {
    const file = path.join(repo, "approved.txt");
    scriptCommand(file);
    const thread = await startThread({ sandboxMode: "danger-full-access" });
    await thread.submit({ type: "user_turn", items: [{ type: "text", text: "touch it" }] });
    const seen = await runTurnWith(thread, (m) => (m.type === "exec_approval_request" ? [{ type: "exec_approval", callId: m.callId, decision: "approved" }] : []));
    expect(seen.find((m) => m.type === "exec_approval_request")).toMatchObject({ callId: "call_1", command: expect.arrayContaining([expect.stringContaining("touch")]) });
    expect(seen.at(-1)).toMatchObject({ type: "task_complete", lastAgentMessage: "done" });
    expect(existsSync(file)).toBe(true);
    expect(server.requests[1]!.functionCallOutput("call_1")).toBeDefined();
    await withDeadline(thread.close(), "close()");
  });

  test("deny: the command does not run and the model is told", async () => {
    const file = path.join(repo, "denied.txt");
    scriptCommand(file);
    const thread = await startThread({ sandboxMode: "danger-full-access" });
    await thread.submit({ type: "user_turn", items: [{ type: "text", text: "touch it" }] });
    const seen = await runTurnWith(thread, (m) => (m.type === "exec_approval_request" ? [{ type: "exec_approval", callId: m.callId, decision: "denied" }] : []));
    expect(seen.at(-1)).toMatchObject({ type: "task_complete" });
    expect(existsSync(file)).toBe(false);
    expect(JSON.stringify(server.requests[1]!.functionCallOutput("call_1"))).toContain("rejected by user");
    await withDeadline(thread.close(), "close()");
  });

  test("interrupt while the approval is pending: turn_aborted, the call is answered, close() resolves", async () => {
    const file = path.join(repo, "never.txt");
    scriptCommand(file);
    const thread = await startThread({ sandboxMode: "danger-full-access" });
    await thread.submit({ type: "user_turn", items: [{ type: "text", text: "touch it" }] });
    const seen = await runTurnWith(thread, (m) => (m.type === "exec_approval_request" ? [{ type: "interrupt" }] : []));
    expect(seen.map((m) => m.type)).toContain("exec_approval_request");
    expect(seen.at(-1)).toMatchObject({ type: "turn_aborted", reason: "interrupted" });
    expect(existsSync(file)).toBe(false);
    expect(thread.history().find((i) => i.type === "function_call_output")).toMatchObject({ call_id: "call_1", output: expect.stringContaining("aborted") });
    await withDeadline(thread.close(), "close()");
    expect(server.requests).toHaveLength(1);
  });

  test("shutdown while the approval is pending: turn_aborted, then shutdown_complete", async () => {
    scriptCommand(path.join(repo, "never.txt"));
    const thread = await startThread({ sandboxMode: "danger-full-access" });
    await thread.submit({ type: "user_turn", items: [{ type: "text", text: "touch it" }] });
    const seen = await runTurnWith(thread, (m) => (m.type === "exec_approval_request" ? [{ type: "shutdown" }] : []));
    expect(seen.at(-1)).toMatchObject({ type: "turn_aborted" });
    const rest: string[] = [];
    for await (const ev of thread.events()) rest.push(ev.msg.type);
    expect(rest.at(-1)).toBe("shutdown_complete");
    await withDeadline(thread.close(), "close()");
  });
});

describe("patch approvals with a scripted person", () => {
  const patch = (file: string) => `*** Begin Patch\n*** Add File: ${file}\n+hello\n*** End Patch\n`;

  function scriptPatch(file: string): void {
    server.enqueue(
      sse(created("r1"), customToolCall("call_p", "apply_patch", patch(file)), completed("r1")),
      sse(created("r2"), textMessage("patched"), completed("r2")),
    );
  }

  test("the request carries the patch's changes; approve writes the file", async () => {
    const file = path.join(repo, "hello.txt");
    scriptPatch(file);
    // read-only: a patch in the workspace is outside the writable roots, so the person is asked.
    const thread = await startThread({ sandboxMode: "read-only" });
    await thread.submit({ type: "user_turn", items: [{ type: "text", text: "add it" }] });
    const seen = await runTurnWith(thread, (m) => (m.type === "apply_patch_approval_request" ? [{ type: "patch_approval", callId: m.callId, decision: "approved" }] : []));
    const request = seen.find((m) => m.type === "apply_patch_approval_request") as Extract<EventMsg, { type: "apply_patch_approval_request" }>;
    expect(request.callId).toBe("call_p");
    // Filled by the apply_patch handler (path, kind, unified diff); every change names the patched file.
    expect(request.changes.every((c) => c.path === file && c.kind === "add")).toBe(true);
    expect(seen.at(-1)).toMatchObject({ type: "task_complete" });
    expect(existsSync(file)).toBe(true);
    await withDeadline(thread.close(), "close()");
  });

  test("interrupt while a patch approval is pending: turn_aborted and close() resolves", async () => {
    const file = path.join(repo, "hello.txt");
    scriptPatch(file);
    const thread = await startThread({ sandboxMode: "read-only" });
    await thread.submit({ type: "user_turn", items: [{ type: "text", text: "add it" }] });
    const seen = await runTurnWith(thread, (m) => (m.type === "apply_patch_approval_request" ? [{ type: "interrupt" }] : []));
    expect(seen.at(-1)).toMatchObject({ type: "turn_aborted" });
    expect(existsSync(file)).toBe(false);
    expect(thread.history().find((i) => i.type === "custom_tool_call_output")).toMatchObject({ call_id: "call_p" });
    await withDeadline(thread.close(), "close()");
  });
});
