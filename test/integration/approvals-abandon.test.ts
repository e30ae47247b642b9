// Approvals through the core with a scripted person (interactiveApprovals: true): the person
// approves, denies, or walks away — an interrupt or a shutdown while an approval is pending ends
// the ask as `abort`, the turn as turn_aborted (the call stays pending), and close() resolves. Patch requests carry the
// patch's changes.
import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import type { Thread } from "../../src/core/index.js";
import type { EventMsg } from "../../src/protocol/events.js";
import type { Op } from "../../src/protocol/ops.js";
import { startCoreThread, untilTurnEnds, useCoreHome, type CoreHome } from "../support/core-thread.js";
import { sse, type FakeServer } from "../support/fake-responses-server.js";
import { completed, created, customToolCall, functionCall, textMessage } from "../support/sse.js";

let home: CoreHome;
let server: FakeServer;
let repo: string;
useCoreHome("approvals-", (h) => ((home = h), (server = h.server), (repo = h.repo)));

const startThread = (o: { sandboxMode: string }): Promise<Thread> =>
  startCoreThread(home, { sandboxMode: o.sandboxMode, approvalPolicy: "untrusted", interactiveApprovals: true });

/** Reads events, letting `person` answer each one with ops, until the turn ends; fails past a deadline. */
const runTurnWith = (thread: Thread, person: (msg: EventMsg) => Op[]): Promise<EventMsg[]> =>
  untilTurnEnds(thread.events()[Symbol.asyncIterator](), { thread, answer: person });

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

  test("interrupt while the approval is pending: turn_aborted, the call stays pending (asked again later), close() resolves", async () => {
    const file = path.join(repo, "never.txt");
    scriptCommand(file);
    const thread = await startThread({ sandboxMode: "danger-full-access" });
    await thread.submit({ type: "user_turn", items: [{ type: "text", text: "touch it" }] });
    const seen = await runTurnWith(thread, (m) => (m.type === "exec_approval_request" ? [{ type: "interrupt" }] : []));
    expect(seen.map((m) => m.type)).toContain("exec_approval_request");
    expect(seen.at(-1)).toMatchObject({ type: "turn_aborted", reason: "interrupted" });
    expect(existsSync(file)).toBe(false);
    // No output yet: the call is asked again before the next request (approvals-pending.test.ts).
    expect(thread.history().find((i) => i.type === "function_call_output")).toBeUndefined();
    expect(thread.pendingApprovals()).toEqual(["call_1"]);
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
    expect(thread.history().find((i) => i.type === "custom_tool_call_output")).toBeUndefined();
    expect(thread.pendingApprovals()).toEqual(["call_p"]);
    await withDeadline(thread.close(), "close()");
  });
});
