// Nested calls from JavaScript (`tools.exec_command(...)` inside `exec`) through the built binary: the same
// sandbox, exec-policy rules, approval policy and hooks as a direct call, their own command_execution items,
// and journaled like a direct call (the rollout keeps the command's end event; resume resends the exec call
// and its output, never the nested call, which the model did not make).
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, onTestFinished, test } from "vitest";
import { parseJsonl, runCodex, type TestEnv, useFakeServerEnv } from "../support/codex-env.js";
import { sse, type FakeServer } from "../support/fake-responses-server.js";
import { completed, created, customToolCall, textMessage } from "../support/sse.js";
import { payloads, recordPayload, trustRepoByHand, writeProjectHooks } from "../hooks/hook-env.js";

let server: FakeServer;
let t: TestEnv;
useFakeServerEnv((s, e) => ((server = s), (t = e)));

/* eslint-disable @typescript-eslint/no-explicit-any */
/** One turn: the model sends `js` to exec, then answers "done". Returns the JSONL events and the exec output items. */
async function runCell(js: string, flags: string[]) {
  const before = server.requests.length;
  server.enqueue(
    sse(created("r1"), ...customToolCall("call_js", "exec", js), completed("r1")),
    sse(created("r2"), ...textMessage("done"), completed("r2")),
  );
  const r = await runCodex(["exec", "--json", "--enable", "code_mode_only", ...flags, "go"], { env: t.env, cwd: t.repo });
  expect(r.code, r.stderr).toBe(0);
  const events = parseJsonl(r.stdout);
  const out = server.requests[before + 1]!.functionCallOutput("call_js");
  expect(out.type).toBe("custom_tool_call_output");
  return { events, texts: (out.output as { text: string }[]).map((o) => o.text), threadId: events[0].thread_id as string };
}

const commandItems = (events: any[], phase: "item.started" | "item.completed") =>
  events.filter((e) => e.type === phase && e.item.type === "command_execution").map((e) => e.item);

function rolloutLines(threadId: string): any[] {
  const dir = path.join(t.codexHome, "sessions");
  const file = readdirSync(dir, { recursive: true, withFileTypes: true }).find((d) => d.isFile() && d.name.endsWith(`-${threadId}.jsonl`));
  if (!file) throw new Error(`no rollout for ${threadId}`);
  return readFileSync(path.join(file.parentPath, file.name), "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
}

describe("code mode: nested calls are direct calls", () => {
  test("read-only sandbox: a nested write fails inside the sandbox, with its own started/completed item", async () => {
    const { events, texts } = await runCell(
      `const r = await tools.exec_command({ cmd: "touch made-here", login: false });\ntext({ exit: r.exit_code, out: r.output });`,
      ["-s", "read-only"],
    );
    expect(existsSync(path.join(t.repo, "made-here"))).toBe(false);
    const result = JSON.parse(texts[1]!);
    expect(result.exit).not.toBe(0);
    expect(result.out).toMatch(/Read-only file system|Permission denied/);
    const [started] = commandItems(events, "item.started");
    const [done] = commandItems(events, "item.completed");
    expect(started).toMatchObject({ command: expect.stringContaining("touch made-here"), status: "in_progress" });
    expect(done).toMatchObject({ id: started.id, command: started.command, status: "failed" });
    // The exec call itself is no item of its own.
    expect(events.filter((e) => e.item && !["command_execution", "agent_message", "error"].includes(e.item.type))).toEqual([]);
  });

  test("workspace-write: a nested write in the workspace works, one outside it does not", async () => {
    // Not under /tmp, which workspace-write leaves writable.
    const outside = mkdtempSync(path.join(os.homedir(), ".codex-outside-"));
    onTestFinished(() => rmSync(outside, { recursive: true, force: true }));
    const { texts } = await runCell(
      [
        `const a = await tools.exec_command({ cmd: "touch inside", login: false });`,
        `const b = await tools.exec_command({ cmd: ${JSON.stringify(`touch ${outside}/escaped`)}, login: false });`,
        `text([a.exit_code, b.exit_code === 0]);`,
      ].join("\n"),
      ["-s", "workspace-write"],
    );
    expect(texts[1]).toBe("[0,false]");
    expect(existsSync(path.join(t.repo, "inside"))).toBe(true);
    expect(existsSync(path.join(outside, "escaped"))).toBe(false);
  });

  test("workspace-write: a nested write through a symlink in the workspace to outside it fails; without the sandbox it lands", async () => {
    const outside = mkdtempSync(path.join(os.homedir(), ".codex-outside-"));
    onTestFinished(() => rmSync(outside, { recursive: true, force: true }));
    const target = path.join(outside, "target.txt");
    const cellSource = [
      `const r = await tools.exec_command({ cmd: ${JSON.stringify(`ln -sfn ${target} link.txt && echo pwned > link.txt`)}, login: false });`,
      `text(r.exit_code === 0);`,
    ].join("\n");
    // The attack works where nothing contains it ...
    const open = await runCell(cellSource, ["-s", "danger-full-access"]);
    expect(open.texts[1]).toBe("true");
    expect(readFileSync(target, "utf8")).toBe("pwned\n");
    rmSync(target);
    // ... and not from a cell under workspace-write.
    const contained = await runCell(cellSource, ["-s", "workspace-write"]);
    expect(contained.texts[1]).toBe("false");
    expect(existsSync(target)).toBe(false);
  });

  test("approval policy never: an escalation request is refused with the direct call's text, as an exception in JS", async () => {
    const { events, texts } = await runCell(
      [
        `try {`,
        `  await tools.exec_command({ cmd: "touch escalated", login: false, sandbox_permissions: "require_escalated", justification: "need it" });`,
        `  text("ran");`,
        `} catch (e) { text("refused: " + e.message); }`,
      ].join("\n"),
      ["-s", "workspace-write"],
    );
    expect(texts.slice(1)).toEqual([
      "refused: approval policy is Never; reject command — you cannot ask for escalated permissions if the approval policy is Never",
    ]);
    expect(existsSync(path.join(t.repo, "escalated"))).toBe(false);
    expect(commandItems(events, "item.completed")).toEqual([]);
  });

  test("a forbidden exec-policy rule declines a nested command as it declines a direct one", async () => {
    mkdirSync(path.join(t.codexHome, "rules"), { recursive: true });
    writeFileSync(
      path.join(t.codexHome, "rules", "default.rules"),
      'prefix_rule(pattern=["touch"], decision="forbidden", justification="no touching")\n',
    );
    const { events, texts } = await runCell(
      `try { await tools.exec_command({ cmd: "touch forbidden", login: false }); text("ran"); } catch (e) { text(e.message); }`,
      ["-s", "workspace-write"],
    );
    expect(texts[1]).toContain("no touching");
    expect(existsSync(path.join(t.repo, "forbidden"))).toBe(false);
    expect(commandItems(events, "item.completed")).toEqual([expect.objectContaining({ status: "declined" })]);
  });

  test("a PreToolUse hook sees the nested call (Bash, its command) and its block is a rejection in JS", async () => {
    trustRepoByHand(t, server.url);
    writeProjectHooks(t, {
      PreToolUse: [{ matcher: "^Bash$", hooks: [{ type: "command", command: recordPayload(t, "pre", "echo 'no touching' >&2; exit 2") }] }],
    });
    const { events, texts } = await runCell(
      `try { await tools.exec_command({ cmd: "touch made-it", login: false }); text("ran"); } catch (e) { text("blocked: " + e.message); }`,
      ["-s", "danger-full-access"],
    );
    expect(existsSync(path.join(t.repo, "made-it"))).toBe(false);
    expect(texts[1]).toBe("blocked: Command blocked by PreToolUse hook: no touching. Command: touch made-it");
    expect(commandItems(events, "item.completed")).toEqual([]);
    const [p] = payloads(t, "pre");
    expect(p).toMatchObject({ hook_event_name: "PreToolUse", tool_name: "Bash", tool_input: { command: "touch made-it" } });
    expect(p.tool_use_id).toMatch(/^call_js./);
  });

  test("journaled: the nested command's end event is in the rollout; resume resends exec and its output only", async () => {
    const { threadId } = await runCell(
      `const r = await tools.exec_command({ cmd: "echo nested-out", login: false }); text(r.output.trim());`,
      ["-s", "danger-full-access"],
    );
    const lines = rolloutLines(threadId);
    // Journaled as the reference does: an item_completed CommandExecution.
    const ends = lines.filter((l) => l.type === "event_msg" && l.payload.type === "item_completed" && l.payload.item.type === "CommandExecution");
    expect(ends).toHaveLength(1);
    expect(JSON.stringify(ends[0].payload)).toContain("echo nested-out");
    const items = lines.filter((l) => l.type === "response_item").map((l) => l.payload);
    expect(items.filter((i) => i.type === "function_call")).toEqual([]);
    expect(items.filter((i) => i.type === "custom_tool_call").map((i) => i.call_id)).toEqual(["call_js"]);

    server.enqueue(sse(created("r3"), ...textMessage("again"), completed("r3")));
    const resumed = await runCodex(["exec", "--json", "--enable", "code_mode_only", "resume", threadId, "more"], { env: t.env, cwd: t.repo });
    expect(resumed.code, resumed.stderr).toBe(0);
    const input = server.requests[2]!.input;
    expect(input.filter((i: any) => i.type === "function_call")).toEqual([]);
    const out = input.find((i: any) => i.type === "custom_tool_call_output" && i.call_id === "call_js");
    expect(out.output.slice(1)).toEqual([{ type: "input_text", text: "nested-out" }]);
  });
});
