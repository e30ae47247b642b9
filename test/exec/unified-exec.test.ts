import { createApprovalGate } from "../../src/core/approval/index.js";
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { ExecRequest, ExecRunner } from "../../src/core/exec/contract.js";
import { createLocalExecRunner } from "../../src/core/exec/local-runner.js";
import { ToolError, type FunctionTool, type ToolContext } from "../../src/core/tools/contract.js";
import { createUnifiedExecTools, type UnifiedExecTools } from "../../src/core/tools/handlers/unified-exec-sessions.js";
import type { EventMsg } from "../../src/protocol/events.js";
import { fakeToolContext, parseUnifiedOutput, textOf } from "./fake-tool-context.js";
import { waitFor } from "./wait-for.js";

let tools: UnifiedExecTools[] = [];
afterEach(async () => {
  await Promise.all(tools.map((t) => t.dispose()));
  tools = [];
});

function setup(opts: Parameters<typeof createUnifiedExecTools>[0] = {}) {
  const t = createUnifiedExecTools(opts);
  tools.push(t);
  const exec = t.execCommand as FunctionTool<unknown>;
  const write = t.writeStdin as FunctionTool<unknown>;
  return {
    t,
    exec: (args: Record<string, unknown>, ctx: ToolContext) => exec.handle(exec.args.parse(args), ctx),
    write: (args: Record<string, unknown>, ctx: ToolContext) => write.handle(write.args.parse(args), ctx),
  };
}

const types = (events: EventMsg[]) => events.map((e) => e.type);

/** A local runner that records every request it was given. */
function recordingRunner(): { runner: ExecRunner; requests: ExecRequest[] } {
  const inner = createLocalExecRunner({ killGraceMs: 300 });
  const requests: ExecRequest[] = [];
  return {
    requests,
    runner: {
      run: (req, o) => (requests.push(req), inner.run(req, o)),
      start: (req, o) => (requests.push(req), inner.start!(req, o)),
    },
  };
}

describe("exec_command", () => {
  it("returns the exit code format for a fast command and emits begin/delta/end in order", async () => {
    const { exec } = setup();
    const { ctx, events } = fakeToolContext();
    const out = await exec({ cmd: "echo hello" }, ctx);
    expect(out.success).toBe(true);
    const parsed = parseUnifiedOutput(textOf(out));
    expect(parsed).toMatchObject({ exitCode: 0, tokenCount: 2, output: "hello\n" });
    expect(parsed.wallSeconds).toBeLessThan(5);
    expect(types(events)).toEqual(["exec_command_begin", "exec_command_output_delta", "exec_command_end"]);
    expect(events[0]).toEqual({
      type: "exec_command_begin",
      callId: "call_1",
      command: "/bin/bash -lc 'echo hello'",
      argv: ["/bin/bash", "-lc", "echo hello"],
      cwd: process.cwd(),
    });
    expect(events[2]).toMatchObject({ exitCode: 0, aggregatedOutput: "hello\n", status: "completed" });
  });

  it("reports non-zero exits as failed, honours login=false and workdir", async () => {
    const { exec } = setup();
    const dir = mkdtempSync(join(tmpdir(), "ue-"));
    const { ctx, events } = fakeToolContext();
    const out = await exec({ cmd: "pwd; exit 3", login: false, workdir: dir }, ctx);
    expect(parseUnifiedOutput(textOf(out))).toMatchObject({ exitCode: 3, output: `${dir}\n` });
    expect(out.success).toBe(false);
    expect(events.at(-1)).toMatchObject({ type: "exec_command_end", command: "/bin/bash -c 'pwd; exit 3'", exitCode: 3, status: "failed" });
  });

  it("runs with the non-interactive env overlay", async () => {
    const { exec } = setup();
    const { ctx } = fakeToolContext();
    const out = await exec({ cmd: 'echo "$PAGER $GIT_PAGER $NO_COLOR $TERM"', login: false }, ctx);
    expect(parseUnifiedOutput(textOf(out)).output).toBe("cat cat 1 dumb\n");
  });

  it("keeps a long command as a session and write_stdin polls until it exits", async () => {
    const { exec, write } = setup();
    const { ctx, events } = fakeToolContext();
    const first = parseUnifiedOutput(textOf(await exec({ cmd: "echo start; sleep 1.5; echo done", login: false, yield_time_ms: 1000 }, ctx)));
    expect(first.sessionId).toBeGreaterThan(0);
    expect(first.exitCode).toBeUndefined();
    expect(first.output).toBe("start\n");
    expect(types(events)).not.toContain("exec_command_end");

    const startedPoll = Date.now();
    const second = parseUnifiedOutput(textOf(await write({ session_id: first.sessionId }, ctx)));
    // An empty poll waits up to 5 s but returns as soon as the process exits.
    expect(Date.now() - startedPoll).toBeLessThan(4000);
    expect(second).toMatchObject({ exitCode: 0, output: "done\n" });
    await waitFor(() => types(events).includes("exec_command_end"), { what: "end event" });
    expect(events.filter((e) => e.type === "exec_command_end")).toEqual([
      expect.objectContaining({ exitCode: 0, aggregatedOutput: "start\ndone\n", status: "completed" }),
    ]);
    const gone = await write({ session_id: first.sessionId }, ctx);
    expect(gone).toEqual({ content: `write_stdin failed: Unknown process id ${first.sessionId}`, success: false });
  });

  it("refuses input to a pipe session (stdin closed, as in Codex)", async () => {
    const { exec, write } = setup();
    const { ctx } = fakeToolContext();
    const { sessionId } = parseUnifiedOutput(textOf(await exec({ cmd: "sleep 5", login: false, yield_time_ms: 250 }, ctx)));
    const out = await write({ session_id: sessionId, chars: "x\n" }, ctx);
    expect(out).toEqual({
      content: "write_stdin failed: stdin is closed for this session; rerun exec_command with tty=true to keep stdin open",
      success: false,
    });
  });

  it("feeds cat through a tty session, and dispose reports it ended", async () => {
    const { t, exec, write } = setup();
    const { ctx, events } = fakeToolContext();
    const { sessionId } = parseUnifiedOutput(textOf(await exec({ cmd: "cat", login: false, tty: true, yield_time_ms: 250 }, ctx)));
    expect(sessionId).toBeDefined();
    let seen = "";
    for (let i = 0; i < 20 && !seen.includes("hello\r\nhello"); i++) {
      const r = parseUnifiedOutput(textOf(await write({ session_id: sessionId, chars: i === 0 ? "hello\n" : "", yield_time_ms: 250 }, ctx)));
      seen += r.output;
      expect(r.sessionId).toBe(sessionId);
    }
    expect(seen).toContain("hello\r\nhello");
    await t.dispose();
    expect(events.filter((e) => e.type === "exec_command_end")).toEqual([
      expect.objectContaining({ exitCode: null, status: "completed" }),
    ]);
    expect(await write({ session_id: sessionId }, ctx)).toMatchObject({ success: false });
  });

  it("answers an unknown session id", async () => {
    const { write } = setup();
    const { ctx } = fakeToolContext();
    expect(await write({ session_id: 42 }, ctx)).toEqual({ content: "write_stdin failed: Unknown process id 42", success: false });
  });

  it("truncates output beyond max_output_tokens but reports the original size", async () => {
    const { exec } = setup();
    const { ctx } = fakeToolContext();
    const parsed = parseUnifiedOutput(textOf(await exec({ cmd: "seq 1 10000", login: false, max_output_tokens: 10 }, ctx)));
    expect(parsed.tokenCount).toBe(Math.ceil(48894 / 4));
    expect(parsed.output).toMatch(/^1\n2\n[\s\S]*\n\[\.\.\. \d+ bytes omitted \.\.\.\]\n[\s\S]*\n10000\n$/);
    expect(Buffer.byteLength(parsed.output)).toBeLessThan(100);
  });

  it("prunes the least recently used idle session beyond the cap and tells the model", async () => {
    const { exec, write } = setup({ maxSessions: 2 });
    const { ctx } = fakeToolContext();
    const ids: number[] = [];
    const outs = [];
    for (let i = 0; i < 3; i++) {
      const out = parseUnifiedOutput(textOf(await exec({ cmd: `sleep 3${i}`, login: false, yield_time_ms: 250 }, ctx)));
      outs.push(out);
      ids.push(out.sessionId!);
    }
    expect(outs[0]!.notices).toEqual([]);
    // Full from the second on: warned that pruning is near, then told what was pruned.
    expect(outs[1]!.notices).toEqual([expect.stringContaining("Note: 2 background terminal sessions are open and at most 2 can be")]);
    expect(outs[2]!.notices).toHaveLength(2);
    expect(outs[2]!.notices[0]).toContain(`session ${ids[0]} (/bin/bash -c 'sleep 30') was stopped`);
    expect(outs[2]!.notices[0]).toContain("at most 2 sessions");
    expect(await write({ session_id: ids[0] }, ctx)).toMatchObject({ success: false });
    expect(parseUnifiedOutput(textOf(await write({ session_id: ids[2], chars: "", yield_time_ms: 250 }, { ...ctx, signal: AbortSignal.timeout(300) }))).sessionId).toBe(ids[2]);
  });

  it("falls back to run-to-completion when the runner cannot start sessions", async () => {
    const { exec } = setup();
    const local = createLocalExecRunner();
    const { ctx, events } = fakeToolContext({ exec: { run: (r, o) => local.run(r, o) } });
    const out = parseUnifiedOutput(textOf(await exec({ cmd: "echo via-run", login: false }, ctx)));
    expect(out).toMatchObject({ exitCode: 0, output: "via-run\n" });
    expect(types(events)).toEqual(["exec_command_begin", "exec_command_output_delta", "exec_command_end"]);
  });

  it("reports a start failure to the model", async () => {
    const { exec } = setup();
    const { ctx, events } = fakeToolContext();
    const out = await exec({ cmd: "true", shell: "/nonexistent/shell" }, ctx);
    expect(out.success).toBe(false);
    expect(textOf(out)).toMatch(/^exec_command failed: .*ENOENT/);
    expect(events.at(-1)).toMatchObject({ type: "exec_command_end", status: "failed", exitCode: null });
  });
});

describe("exec_command approvals", () => {
  it("refuses escalation under approval policy never without asking", async () => {
    const { exec } = setup();
    const gate = createApprovalGate({ policy: "never", sandbox: { mode: "read-only", networkAccess: false } });
    const { ctx, events, approvals } = fakeToolContext({ approvalPolicy: "never", gate });
    const out = await exec({ cmd: "echo x", sandbox_permissions: "require_escalated" }, ctx);
    expect(out).toEqual({
      content:
        "approval policy is Never; reject command — you cannot ask for escalated permissions if the approval policy is Never",
      success: false,
    });
    expect(approvals).toEqual([]);
    expect(events).toEqual([]);
  });

  it("a declined command emits begin/end(declined) and the rejection text", async () => {
    const { exec } = setup();
    const { ctx, events, approvals } = fakeToolContext({ decide: () => "denied" });
    const out = await exec({ cmd: "touch should-not-exist" }, ctx);
    expect(out).toEqual({
      content: 'exec_command failed: CreateProcess { message: "Rejected(\\"rejected by user\\")" }',
      success: false,
    });
    expect(approvals).toEqual([
      { kind: "exec", callId: "call_1", argv: ["/bin/bash", "-lc", "touch should-not-exist"], cwd: process.cwd(), escalated: false },
    ]);
    expect(types(events)).toEqual(["exec_command_begin", "exec_command_end"]);
    expect(events[1]).toMatchObject({ status: "declined", exitCode: null });
    expect(existsSync(join(process.cwd(), "should-not-exist"))).toBe(false);
  });

  it("an approved escalation runs with danger-full-access", async () => {
    const { exec } = setup();
    const { runner, requests } = recordingRunner();
    const { ctx, approvals } = fakeToolContext({
      exec: runner,
      sandboxPolicy: { mode: "read-only", networkAccess: false },
    });
    await exec({ cmd: "true", login: false, sandbox_permissions: "require_escalated", justification: "needs network" }, ctx);
    expect(approvals[0]).toMatchObject({ escalated: true, justification: "needs network" });
    expect(requests.map((r) => r.sandbox)).toEqual([{ mode: "danger-full-access" }]);
  });

  it("abort at the approval prompt ends the turn", async () => {
    const { exec } = setup();
    const { ctx } = fakeToolContext({ decide: () => "abort" });
    const err = await exec({ cmd: "true" }, ctx).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ToolError);
    expect((err as ToolError).kind).toBe("abort_turn");
  });

  it("under on-failure, a sandbox denial asks to retry and re-runs unsandboxed", async () => {
    const { exec } = setup();
    const { runner, requests } = recordingRunner();
    const readOnly = { mode: "read-only" as const, networkAccess: false };
    const { ctx, approvals, events } = fakeToolContext({ exec: runner, sandboxPolicy: readOnly, approvalPolicy: "on-failure" });
    const out = await exec({ cmd: "echo 'x: Read-only file system' >&2; exit 1", login: false }, ctx);
    expect(requests.map((r) => r.sandbox)).toEqual([readOnly, { mode: "danger-full-access" }]);
    expect(approvals[1]).toMatchObject({ escalated: false, retryReason: expect.any(String) });
    expect(parseUnifiedOutput(textOf(out)).exitCode).toBe(1);
    expect(events.filter((e) => e.type === "exec_command_end")).toHaveLength(1);
  });

  it("routes a shell apply_patch heredoc to the patch engine", async () => {
    const { exec } = setup();
    const dir = mkdtempSync(join(tmpdir(), "ue-patch-"));
    const { ctx, events } = fakeToolContext({ cwd: dir });
    const cmd = "apply_patch <<'EOF'\n*** Begin Patch\n*** Add File: hello.txt\n+hi\n*** End Patch\nEOF\n";
    const out = await exec({ cmd }, ctx);
    expect(textOf(out)).toContain("A hello.txt");
    expect(readFileSync(join(dir, "hello.txt"), "utf8")).toBe("hi\n");
    expect(types(events)).not.toContain("exec_command_begin");
    expect(types(events)).toContain("patch_apply_begin");
  });

  it("a shell `cd DIR && apply_patch` writes relative to DIR (resolved against the workdir)", async () => {
    const { exec } = setup();
    const dir = mkdtempSync(join(tmpdir(), "ue-patch-cd-"));
    mkdirSync(join(dir, "sub", "deeper"), { recursive: true });
    const { ctx } = fakeToolContext({ cwd: dir });
    const cmd = "cd deeper && apply_patch <<'EOF'\n*** Begin Patch\n*** Add File: hello.txt\n+hi\n*** End Patch\nEOF\n";
    const out = await exec({ cmd, workdir: "sub" }, ctx);
    expect(textOf(out)).toContain("hello.txt");
    expect(readFileSync(join(dir, "sub", "deeper", "hello.txt"), "utf8")).toBe("hi\n");
    expect(existsSync(join(dir, "sub", "hello.txt"))).toBe(false);
  });
});

describe("exec_command interruption", () => {
  it("a command still inside its first yield survives the turn's abort as a background terminal", async () => {
    const { exec, t } = setup();
    const { ctx, events, abort } = fakeToolContext();
    const pending = exec({ cmd: "echo go; sleep 30", login: false, yield_time_ms: 20_000 }, ctx);
    await waitFor(() => events.some((e) => e.type === "exec_command_output_delta"), { what: "first output" });
    const t0 = Date.now();
    abort.abort();
    await expect(pending).rejects.toThrow(/aborted/);
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(types(events)).not.toContain("exec_command_end");
    const [terminal] = t.terminals.list();
    expect(terminal).toMatchObject({ command: "/bin/bash -c 'echo go; sleep 30'", running: true, tty: false });
    expect(processAlive(terminal!.pid!)).toBe(true);
    // The model never saw its id (the interrupted call answers "aborted"): the next turn is told, once.
    expect(t.terminals.takeExitNotices()).toEqual([
      `Background terminal session ${terminal!.id} (/bin/bash -c 'echo go; sleep 30') kept running after the turn that started it was interrupted; poll it or send it input with write_stdin session_id ${terminal!.id}.`,
    ]);
    expect(t.terminals.takeExitNotices()).toEqual([]);
    expect(t.terminals.list()).toHaveLength(1);
    expect(await t.terminals.clean()).toBe(1);
    expect(processAlive(terminal!.pid!)).toBe(false);
    expect(t.terminals.list()).toEqual([]);
    expect(events.at(-1)).toMatchObject({ type: "exec_command_end", exitCode: 143, status: "failed", aggregatedOutput: "go\n" });
  });
});

describe("background terminals", () => {
  it("a session that ends unseen leaves one notice for the next turn; a polled end leaves none", async () => {
    const { exec, write, t } = setup();
    const { ctx } = fakeToolContext();
    const seen = parseUnifiedOutput(textOf(await exec({ cmd: "sleep 0.6; exit 4", login: false, yield_time_ms: 250 }, ctx)));
    const unseen = parseUnifiedOutput(textOf(await exec({ cmd: "sleep 0.6; exit 5", login: false, yield_time_ms: 250 }, ctx)));
    expect(parseUnifiedOutput(textOf(await write({ session_id: seen.sessionId!, yield_time_ms: 5000 }, ctx))).exitCode).toBe(4);
    await waitFor(() => t.terminals.list().every((x) => !x.running), { what: "both ended" });
    const notices = t.terminals.takeExitNotices();
    expect(notices).toEqual([
      `Background terminal session ${unseen.sessionId} (/bin/bash -c 'sleep 0.6; exit 5') exited with code 5 after its last poll; its session ID is no longer valid.`,
    ]);
    expect(t.terminals.takeExitNotices()).toEqual([]);
    expect(t.terminals.list()).toEqual([]);
  });
});

function processAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return !/^\d+ \(.*\) Z/.test(stat);
  } catch {
    return false;
  }
}
