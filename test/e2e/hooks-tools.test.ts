// PreToolUse / PostToolUse: block (exit 2), deny (JSON), replaced output, additionalContext placement,
// matchers, and the failures that must not block: exit 1, invalid JSON, timeout (process group killed).
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { parseJsonl, runCodex, spawnCodex, type TestEnv, useFakeServerEnv } from "../support/codex-env.js";
import { sse, type FakeServer } from "../support/fake-responses-server.js";
import { completed, created, customToolCall, functionCall, textMessage } from "../support/sse.js";
import { hookScript, payloads, recordPayload, trustRepoByHand, writeProjectHooks } from "../hooks/hook-env.js";

let server: FakeServer;
let t: TestEnv;
useFakeServerEnv((s, e) => ((server = s), (t = e)));

const shellCall = (id: string, cmd: string) => sse(created(`r-${id}`), functionCall(id, "exec_command", { cmd, login: false }), completed(`r-${id}`));
const done = (text = "done") => sse(created("rd"), textMessage(text), completed("rd"));

async function exec(prompt: string, extra: string[] = []) {
  const r = await runCodex(["exec", "--json", "-s", "danger-full-access", ...extra, prompt], { env: t.env, cwd: t.repo });
  return { ...r, events: parseJsonl(r.stdout) };
}

describe("PreToolUse", () => {
  test("exit 2 blocks the command: it does not run, the model gets the reason, exec emits no item", async () => {
    trustRepoByHand(t, server.url);
    writeProjectHooks(t, {
      PreToolUse: [{ matcher: "^Bash$", hooks: [{ type: "command", command: recordPayload(t, "pre", "echo 'no touching' >&2; exit 2") }] }],
    });
    server.enqueue(shellCall("c1", "touch made-it"), done());
    const r = await exec("touch it");
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(path.join(t.repo, "made-it"))).toBe(false);
    expect(server.requests[1]!.functionCallOutput("c1").output).toBe(
      "Command blocked by PreToolUse hook: no touching. Command: touch made-it",
    );
    expect(r.events.filter((e) => e.item?.type === "command_execution")).toEqual([]);
    const [p] = payloads(t, "pre");
    expect(p).toMatchObject({
      hook_event_name: "PreToolUse",
      tool_name: "Bash",
      tool_input: { command: "touch made-it" },
      tool_use_id: "c1",
      cwd: t.repo,
    });
    expect(typeof p.turn_id).toBe("string");
  });

  test("permissionDecision deny blocks with its reason; a non-matching matcher does not run", async () => {
    trustRepoByHand(t, server.url);
    const deny = hookScript(t, "deny.sh", `cat >/dev/null; echo '{"hookSpecificOutput":{"hookEventName":"PreToolUse","permissionDecision":"deny","permissionDecisionReason":"policy says no"}}'`);
    writeProjectHooks(t, {
      PreToolUse: [
        { matcher: "apply_patch", hooks: [{ type: "command", command: recordPayload(t, "patch-only") }] },
        { matcher: "Bash", hooks: [{ type: "command", command: deny }] },
      ],
    });
    server.enqueue(shellCall("c1", "echo hi > out.txt"), done());
    const r = await exec("write");
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(path.join(t.repo, "out.txt"))).toBe(false);
    expect(server.requests[1]!.functionCallOutput("c1").output).toBe(
      "Command blocked by PreToolUse hook: policy says no. Command: echo hi > out.txt",
    );
    expect(payloads(t, "patch-only")).toEqual([]);
    expect(r.events.filter((e) => e.item?.type === "command_execution")).toEqual([]);
  });

  test("permissionDecision allow with updatedInput runs the rewritten command; without a string command the call is refused (as 0.169)", async () => {
    trustRepoByHand(t, server.url);
    const rewrite = hookScript(
      t,
      "rewrite.sh",
      `cat >/dev/null; echo '{"hookSpecificOutput":{"hookEventName":"PreToolUse","permissionDecision":"allow","updatedInput":{"command":"touch rewritten"}}}'`,
    );
    writeProjectHooks(t, { PreToolUse: [{ matcher: "^Bash$", hooks: [{ type: "command", command: rewrite }] }] });
    server.enqueue(shellCall("c1", "touch original"), done());
    const r = await exec("touch");
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(path.join(t.repo, "rewritten"))).toBe(true);
    expect(existsSync(path.join(t.repo, "original"))).toBe(false);
    expect(r.events.find((e) => e.item?.type === "command_execution" && e.type === "item.completed").item.command).toContain("touch rewritten");

    const bad = hookScript(t, "bad.sh", `cat >/dev/null; echo '{"hookSpecificOutput":{"hookEventName":"PreToolUse","permissionDecision":"allow","updatedInput":{"cmd":"touch other"}}}'`);
    writeProjectHooks(t, { PreToolUse: [{ matcher: "^Bash$", hooks: [{ type: "command", command: bad }] }] });
    server.enqueue(shellCall("c2", "touch original"), done());
    const refused = await exec("touch");
    expect(refused.code, refused.stderr).toBe(0);
    expect(existsSync(path.join(t.repo, "original"))).toBe(false);
    expect(existsSync(path.join(t.repo, "other"))).toBe(false);
    expect(server.requests.at(-1)!.functionCallOutput("c2").output).toBe("hook returned updatedInput without string field `command`");
  });

  test("an invalid matcher regex drops that group with a warning; the other group still runs", async () => {
    trustRepoByHand(t, server.url);
    writeProjectHooks(t, {
      PreToolUse: [
        { matcher: "Bash(", hooks: [{ type: "command", command: recordPayload(t, "bad") }] },
        { matcher: "*", hooks: [{ type: "command", command: recordPayload(t, "star") }] },
      ],
    });
    server.enqueue(shellCall("c1", "echo ok"), done());
    const r = await exec("go");
    expect(r.code, r.stderr).toBe(0);
    expect(payloads(t, "bad")).toEqual([]);
    expect(payloads(t, "star")).toHaveLength(1);
    const warnings = r.events.filter((e) => e.item?.type === "error").map((e) => e.item.message);
    expect(warnings.some((w: string) => w.includes("invalid matcher regex 'Bash('"))).toBe(true);
    expect(server.requests[1]!.functionCallOutput("c1").output).toContain("ok");
  });

  test("exit 1, invalid JSON and a timeout do not block; the timed-out hook's process group is killed", async () => {
    trustRepoByHand(t, server.url);
    const pidFile = path.join(t.repo, "grandchild.pid");
    const slow = hookScript(t, "slow.sh", `cat >/dev/null; sh -c 'echo $$ > ${pidFile}; exec sleep 30' & sleep 30`);
    writeProjectHooks(t, {
      PreToolUse: [
        {
          hooks: [
            { type: "command", command: hookScript(t, "fail.sh", "cat >/dev/null; echo broken >&2; exit 1") },
            { type: "command", command: hookScript(t, "badjson.sh", "cat >/dev/null; echo '{not json'") },
            { type: "command", command: slow, timeout: 1 },
          ],
        },
      ],
    });
    server.enqueue(shellCall("c1", "echo ran"), done());
    const started = Date.now();
    const r = await runCodex(["exec", "-s", "danger-full-access", "go"], { env: t.env, cwd: t.repo });
    expect(r.code, r.stderr).toBe(0);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(server.requests[1]!.functionCallOutput("c1").output).toContain("ran");
    expect(r.stderr).toContain("hook: PreToolUse Failed\n  error: hook exited with code 1: broken");
    expect(r.stderr).toContain("error: hook returned invalid PreToolUse JSON output");
    expect(r.stderr).toContain("error: hook timed out");
    // The background child of the killed hook went with its group (wait, with a deadline, for it to be reaped).
    const pid = Number(readFileSync(pidFile, "utf8").trim());
    expect(pid).toBeGreaterThan(0);
    const deadline = Date.now() + 5000;
    while (alive(pid) && Date.now() < deadline) await new Promise((r) => setImmediate(r));
    expect(alive(pid)).toBe(false);
  });
});

describe("apply_patch matcher", () => {
  test("a patch is apply_patch with its text as tool_input.command; a Bash-only hook does not see it; PostToolUse skips refused calls", async () => {
    trustRepoByHand(t, server.url);
    writeProjectHooks(t, {
      PreToolUse: [
        { matcher: "^Bash$", hooks: [{ type: "command", command: recordPayload(t, "bash") }] },
        { matcher: "^apply_patch$", hooks: [{ type: "command", command: recordPayload(t, "patch", "echo 'no edits' >&2; exit 2") }] },
      ],
      PostToolUse: [{ hooks: [{ type: "command", command: recordPayload(t, "post") }] }],
    });
    const patch = "*** Begin Patch\n*** Add File: new.txt\n+hello\n*** End Patch";
    server.enqueue(sse(created("r1"), customToolCall("p1", "apply_patch", patch), completed("r1")), done());
    const r = await exec("patch");
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(path.join(t.repo, "new.txt"))).toBe(false);
    expect(payloads(t, "bash")).toEqual([]);
    expect(payloads(t, "patch")).toMatchObject([{ tool_name: "apply_patch", tool_input: { command: patch }, tool_use_id: "p1" }]);
    expect(payloads(t, "post")).toEqual([]);
    expect(server.requests[1]!.functionCallOutput("p1").output).toContain("Command blocked by PreToolUse hook: no edits.");
    expect(r.events.filter((e) => e.item?.type === "file_change")).toEqual([]);
  });

  test("matchers Edit and Write select apply_patch too (Claude-Code-style names, as 0.169); the payload keeps apply_patch", async () => {
    trustRepoByHand(t, server.url);
    writeProjectHooks(t, {
      PreToolUse: [
        { matcher: "^Edit$", hooks: [{ type: "command", command: recordPayload(t, "edit") }] },
        { matcher: "^Write$", hooks: [{ type: "command", command: recordPayload(t, "write") }] },
        { matcher: "^Edit$", hooks: [{ type: "command", command: recordPayload(t, "not-bash") }] },
      ],
      PostToolUse: [{ matcher: "Write", hooks: [{ type: "command", command: recordPayload(t, "post") }] }],
    });
    const patch = "*** Begin Patch\n*** Add File: new.txt\n+hello\n*** End Patch";
    server.enqueue(sse(created("r1"), customToolCall("p1", "apply_patch", patch), completed("r1")), shellCall("c2", "echo hi"), done());
    const r = await exec("patch");
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(path.join(t.repo, "new.txt"))).toBe(true);
    expect(payloads(t, "edit")).toMatchObject([{ tool_name: "apply_patch", tool_use_id: "p1" }]);
    expect(payloads(t, "write")).toMatchObject([{ tool_name: "apply_patch", tool_use_id: "p1" }]);
    expect(payloads(t, "not-bash")).toHaveLength(1);
    expect(payloads(t, "post")).toMatchObject([{ tool_name: "apply_patch" }]);
  });
});

describe("hook environment", () => {
  test("hooks run in the session cwd with the filtered child environment: no API key", async () => {
    trustRepoByHand(t, server.url);
    const envFile = path.join(t.repo, "hook-env.txt");
    writeProjectHooks(t, { PreToolUse: [{ hooks: [{ type: "command", command: `cat >/dev/null; pwd > ${envFile}; env >> ${envFile}` }] }] });
    server.enqueue(shellCall("c1", "echo x"), done());
    const r = await exec("go");
    expect(r.code, r.stderr).toBe(0);
    const text = readFileSync(envFile, "utf8");
    expect(text.split("\n")[0]).toBe(t.repo);
    expect(text).toContain(`HOME=${t.home}`);
    expect(text).not.toContain("CODEX_API_KEY");
    expect(text).not.toContain(t.env.CODEX_API_KEY!);
  });
});

describe("PostToolUse", () => {
  test("decision block replaces the output; additionalContext is a developer message right before it", async () => {
    trustRepoByHand(t, server.url);
    const post = hookScript(
      t,
      "post.sh",
      `cat > ${t.repo}/post.json; echo '{"decision":"block","reason":"output withheld","hookSpecificOutput":{"hookEventName":"PostToolUse","additionalContext":"remember the style guide"}}'`,
    );
    writeProjectHooks(t, { PostToolUse: [{ matcher: "Bash", hooks: [{ type: "command", command: post }] }] });
    server.enqueue(shellCall("c1", "echo secret-output"), done());
    const r = await exec("go");
    expect(r.code, r.stderr).toBe(0);
    const input = server.requests[1]!.input;
    const at = input.findIndex((i) => i.type === "function_call_output" && i.call_id === "c1");
    expect(input[at].output).toBe("output withheld");
    expect(input[at - 1]).toMatchObject({ type: "message", role: "developer", content: [{ type: "input_text", text: "remember the style guide" }] });
    expect(input[at - 2]).toMatchObject({ type: "function_call", call_id: "c1" });
    // The command did run, and the hook saw its output.
    const payload = JSON.parse(readFileSync(path.join(t.repo, "post.json"), "utf8"));
    expect(payload).toMatchObject({ hook_event_name: "PostToolUse", tool_name: "Bash", tool_use_id: "c1" });
    expect(payload.tool_response).toContain("secret-output");
    expect(r.events.filter((e) => e.type === "item.completed" && e.item?.type === "command_execution")).toHaveLength(1);
  });
});


function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("interrupt", () => {
  test("an interrupt kills a running PreToolUse hook's process group and ends the turn", async () => {
    trustRepoByHand(t, server.url);
    const pidFile = path.join(t.repo, "hook.pid");
    writeProjectHooks(t, {
      PreToolUse: [{ hooks: [{ type: "command", command: hookScript(t, "hang.sh", `cat >/dev/null; echo $$ > ${pidFile}; exec sleep 600`) }] }],
    });
    server.enqueue(shellCall("c1", "echo never"));
    const child = spawnCodex(["exec", "--json", "go"], { env: t.env, cwd: t.repo });
    let stdout = "";
    child.stdout!.on("data", (d) => (stdout += d));
    const closed = new Promise<number | null>((resolve) => child.on("close", resolve));
    const deadline = Date.now() + 20_000;
    while (!existsSync(pidFile) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(existsSync(pidFile)).toBe(true);
    child.kill("SIGINT");
    const code = await closed;
    expect(code).toBe(1);
    const events = parseJsonl(stdout);
    expect(events.at(-1)).toEqual({ type: "turn.failed", error: { message: "Turn interrupted" } });
    const pid = Number(readFileSync(pidFile, "utf8").trim());
    const until = Date.now() + 5000;
    while (alive(pid) && Date.now() < until) await new Promise((r) => setImmediate(r));
    expect(alive(pid)).toBe(false);
  });
});
