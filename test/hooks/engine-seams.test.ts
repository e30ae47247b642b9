// The hook engine through the seams other features call: compaction (PreCompact/PostCompact + SessionStart
// compact), sub-agents (SubagentStart/SubagentStop; no sub-agents exist yet, so the engine side is tested
// here), PermissionRequest through the real approval gate, and discovery details (defaults, warnings, order).
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, chmodSync, mkdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { EventMsg } from "../../src/protocol/events.js";
import { createApprovalGate } from "../../src/core/approval/gate.js";
import { discoverHooks } from "../../src/core/hooks/discover.js";
import { createSessionHooks } from "../../src/core/hooks/session-hooks.js";
import { permissionView } from "../../src/core/hooks/tool-input.js";

let dir: string;
function fresh(): void {
  dir = mkdtempSync(path.join(os.tmpdir(), "hooks-unit-"));
  mkdirSync(path.join(dir, "out"));
}
beforeEach(fresh);
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function setup(hooks: Record<string, unknown>) {
  const file = path.join(dir, "hooks.json");
  writeFileSync(file, JSON.stringify({ hooks }));
  const found = discoverHooks({ sources: [{ file, scope: "project" }], state: {}, bypassTrust: false });
  const events: EventMsg[] = [];
  const hooksObj = createSessionHooks({
    handlers: found.handlers,
    session: { sessionId: "s1", cwd: dir, model: "m", permissionMode: "default", env: { PATH: process.env.PATH ?? "/usr/bin:/bin" } },
  });
  return { file, found, events, hooks: hooksObj, emit: (m: EventMsg) => events.push(m) };
}

/** A command that saves its payload as out/<tag>-<n>.json and prints `stdout`. */
function rec(tag: string, stdout = ""): string {
  const script = path.join(dir, `${tag}.sh`);
  writeFileSync(script, `#!/bin/sh\nn=$(ls ${dir}/out | grep -c '^${tag}-')\ncat > ${dir}/out/${tag}-$n.json\nprintf '%s' '${stdout}'\n`);
  chmodSync(script, 0o755);
  return script;
}
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const got = (tag: string): any[] =>
  readdirSync(path.join(dir, "out"))
    .filter((n) => n.startsWith(`${tag}-`))
    .sort()
    .map((n) => JSON.parse(readFileSync(path.join(dir, "out", n), "utf8")));

describe("discovery", () => {
  test("defaults, aliases and what is skipped with a warning", () => {
    const file = path.join(dir, "hooks.json");
    writeFileSync(
      file,
      JSON.stringify({
        hooks: {
          PreToolUse: [
            { matcher: "Bash", hooks: [{ type: "command", command: "a" }, { type: "command", command: "b", timeoutSec: 5, statusMessage: "B" }] },
            { matcher: "[", hooks: [{ type: "command", command: "dropped" }] },
            { hooks: [{ type: "prompt", prompt: "x" }, { type: "command", command: "c", async: true }] },
          ],
          Unknown: [{ hooks: [{ type: "command", command: "ignored" }] }],
        },
      }),
    );
    const r = discoverHooks({ sources: [{ file, scope: "project" }], state: {}, bypassTrust: false });
    expect(r.handlers.map((h) => [h.command, h.timeoutSec, h.statusMessage, h.displayOrder, h.key])).toEqual([
      ["a", 600, undefined, 0, `${file}:pre_tool_use:0:0`],
      ["b", 5, "B", 1, `${file}:pre_tool_use:0:1`],
    ]);
    expect(r.warnings).toHaveLength(3);
    // Display order counts every handler in schema order (observed: PreToolUse, UserPromptSubmit, Stop -> stop:2).
    writeFileSync(file, JSON.stringify({ hooks: { Stop: [{ hooks: [{ command: "s" }] }], UserPromptSubmit: [{ hooks: [{ command: "u" }] }], PreToolUse: [{ hooks: [{ command: "p" }] }] } }));
    const ordered = discoverHooks({ sources: [{ file, scope: "project" }], state: {}, bypassTrust: false }).handlers;
    expect(ordered.map((h) => [h.event, h.displayOrder])).toEqual([["PreToolUse", 0], ["UserPromptSubmit", 1], ["Stop", 2]]);
    expect(r.warnings[0]).toContain("invalid matcher regex '['");
    expect(r.warnings[1]).toContain("type 'prompt' is not supported");
    expect(r.warnings[2]).toContain("async hooks are not supported");
  });

  test("a user hook needs a matching trusted_hash unless trust is bypassed", () => {
    const file = path.join(dir, "hooks.json");
    writeFileSync(file, JSON.stringify({ hooks: { Stop: [{ hooks: [{ type: "command", command: "x" }] }] } }));
    const src = [{ file, scope: "user" as const }];
    const all = discoverHooks({ sources: src, state: {}, bypassTrust: true }).handlers;
    expect(all).toHaveLength(1);
    const key = all[0]!.key;
    expect(discoverHooks({ sources: src, state: {}, bypassTrust: false }).handlers).toEqual([]);
    expect(discoverHooks({ sources: src, state: { [key]: { trusted_hash: "sha256:other" } }, bypassTrust: false }).handlers).toEqual([]);
    expect(discoverHooks({ sources: src, state: { [key]: { trusted_hash: all[0]!.hash } }, bypassTrust: false }).handlers).toHaveLength(1);
  });
});

describe("compaction hooks", () => {
  test("PreCompact/PostCompact match on the trigger; after compaction SessionStart fires with source compact", async () => {
    const s = setup({
      PreCompact: [{ matcher: "^auto$", hooks: [{ type: "command", command: rec("pre") }] }],
      PostCompact: [{ matcher: "manual", hooks: [{ type: "command", command: rec("post") }] }],
      SessionStart: [{ matcher: "compact", hooks: [{ type: "command", command: rec("start") }] }],
    });
    await s.hooks.threadObserver.onSessionStart!({ source: "startup", rolloutPath: "/r.jsonl", emit: s.emit });
    await s.hooks.threadObserver.beforeTurn!({ turnId: "t1", origin: "user", prompt: "p", emit: s.emit, signal: new AbortController().signal });
    const c = s.hooks.compactionHooks();
    await c.preCompact({ trigger: "manual", turnId: "t1" });
    await c.preCompact({ trigger: "auto", turnId: "t1" });
    await c.postCompact({ trigger: "manual" });
    expect(got("pre")).toEqual([
      expect.objectContaining({ hook_event_name: "PreCompact", trigger: "auto", turn_id: "t1", transcript_path: "/r.jsonl", session_id: "s1" }),
    ]);
    expect(got("post")).toEqual([expect.objectContaining({ hook_event_name: "PostCompact", trigger: "manual" })]);
    expect(got("start")).toEqual([expect.objectContaining({ hook_event_name: "SessionStart", source: "compact" })]);
    const completedRuns = s.events.filter((e) => e.type === "hook_completed");
    expect(completedRuns.map((e) => e.type === "hook_completed" && [e.run.eventName, e.run.status])).toEqual([
      ["PreCompact", "completed"],
      ["PostCompact", "completed"],
      ["SessionStart", "completed"],
    ]);
  });
});

describe("sub-agent hooks", () => {
  test("a turn another agent's mail started fires no UserPromptSubmit; the hooks still follow that turn", async () => {
    const s = setup({
      UserPromptSubmit: [{ hooks: [{ type: "command", command: rec("ups") }] }],
      PreToolUse: [{ hooks: [{ type: "command", command: rec("pre") }] }],
    });
    const signal = new AbortController().signal;
    expect(await s.hooks.threadObserver.beforeTurn!({ turnId: "t1", origin: "user", prompt: "p", emit: s.emit, signal })).toEqual({ type: "continue" });
    expect(await s.hooks.threadObserver.beforeTurn!({ turnId: "t2", origin: "agent", prompt: "", emit: s.emit, signal })).toEqual({ type: "continue" });
    expect(got("ups")).toEqual([expect.objectContaining({ hook_event_name: "UserPromptSubmit", prompt: "p", turn_id: "t1" })]);
    // A hook fired during the mail turn names that turn, not the person's earlier one.
    await s.hooks.turnObserver.beforeToolCall!({ type: "function_call", name: "exec_command", arguments: '{"cmd":"ls"}', call_id: "c1" });
    expect(got("pre")).toEqual([expect.objectContaining({ hook_event_name: "PreToolUse", turn_id: "t2" })]);
  });

  test("SubagentStart gives context; a blocking SubagentStop continues with a hook prompt", async () => {
    const s = setup({
      SubagentStart: [{ matcher: "worker", hooks: [{ type: "command", command: rec("sa", '{"hookSpecificOutput":{"hookEventName":"SubagentStart","additionalContext":"be brief"}}') }] }],
      SubagentStop: [{ hooks: [{ type: "command", command: rec("so", '{"decision":"block","reason":"check again"}') }] }],
    });
    const sub = s.hooks.subagentHooks();
    expect(await sub.start({ agentId: "a1", agentType: "worker" })).toEqual({ additionalContext: ["be brief"] });
    expect(await sub.start({ agentId: "a2", agentType: "explorer" })).toEqual({ additionalContext: [] });
    const stop = await sub.stop({ agentId: "a1", agentType: "worker", agentTranscriptPath: "/a.jsonl", lastAssistantMessage: "done", stopHookActive: false });
    expect(stop.continueWith).toBe(`<hook_prompt hook_run_id="subagent_stop:1:${s.file}">check again</hook_prompt>`);
    expect(got("sa")).toEqual([expect.objectContaining({ agent_id: "a1", agent_type: "worker" })]);
    expect(got("so")).toEqual([
      expect.objectContaining({ agent_transcript_path: "/a.jsonl", stop_hook_active: false, last_assistant_message: "done" }),
    ]);
  });
});

describe("PermissionRequest", () => {
  const action = { kind: "exec" as const, callId: "c1", argv: ["bash", "-lc", "rm -rf build"], cwd: "/w", escalated: true };

  test("fires when the gate would ask: allow approves, deny refuses with its message, nothing asks a person", async () => {
    for (const [behavior, expected] of [
      ["allow", { decision: "approved" }],
      ["deny", { decision: "denied", reason: "not here" }],
    ] as const) {
      const s = setup({
        PermissionRequest: [{ matcher: "Bash", hooks: [{ type: "command", command: rec("perm", `{"hookSpecificOutput":{"hookEventName":"PermissionRequest","decision":{"behavior":"${behavior}","message":"not here"}}}`) }] }],
      });
      let asked = 0;
      const gate = createApprovalGate({
        policy: "on-request",
        sandbox: { mode: "read-only", networkAccess: false },
        ask: async () => (asked++, "denied"),
        permissionHook: (a) => s.hooks.permissionRequest(permissionView(a)),
      });
      const out = await gate.review(action, { signal: new AbortController().signal });
      expect(out).toMatchObject(expected);
      expect(asked).toBe(0);
      expect(got("perm")).toEqual([expect.objectContaining({ hook_event_name: "PermissionRequest", tool_name: "Bash", tool_input: { command: "rm -rf build" } })]);
      rmSync(dir, { recursive: true, force: true });
      fresh();
    }
  });

  test("as 0.169: exit 2 with stderr denies with it; any deny wins over an allow of another handler", async () => {
    const allow = `{"hookSpecificOutput":{"hookEventName":"PermissionRequest","decision":{"behavior":"allow"}}}`;
    const s = setup({
      PermissionRequest: [
        { hooks: [{ type: "command", command: `${rec("deny2")}; echo 'not on fridays' >&2; exit 2` }] },
        { hooks: [{ type: "command", command: rec("allow", allow) }] },
      ],
    });
    const gate = createApprovalGate({
      policy: "on-request",
      sandbox: { mode: "read-only", networkAccess: false },
      ask: async () => "approved",
      permissionHook: (a) => s.hooks.permissionRequest(permissionView(a)),
    });
    expect(await gate.review(action, { signal: new AbortController().signal })).toMatchObject({ decision: "denied", reason: "not on fridays" });
    expect(got("deny2")).toHaveLength(1);
    expect(got("allow")).toHaveLength(1);
  });

  test("a hook without a decision leaves the question to the person", async () => {
    const s = setup({ PermissionRequest: [{ hooks: [{ type: "command", command: rec("perm") }] }] });
    let asked = 0;
    const gate = createApprovalGate({
      policy: "on-request",
      sandbox: { mode: "read-only", networkAccess: false },
      ask: async () => (asked++, "approved"),
      permissionHook: (a) => s.hooks.permissionRequest(permissionView(a)),
    });
    const out = await gate.review(action, { signal: new AbortController().signal });
    expect(out, JSON.stringify(out)).toMatchObject({ decision: "approved" });
    expect(asked).toBe(1);
    expect(got("perm")).toHaveLength(1);
  });
});

describe("outcomes", () => {
  const run = (o: Partial<{ exitCode: number | null; stdout: string; stderr: string; timedOut: boolean }>) => ({
    exitCode: 0, stdout: "", stderr: "", timedOut: false, durationMs: 1, ...o,
  });
  test("plain text: context for SessionStart/UserPromptSubmit, a failed run elsewhere (as observed)", async () => {
    const { interpretHookRun } = await import("../../src/core/hooks/outcome.js");
    expect(interpretHookRun("SessionStart", run({ stdout: "hello\n" }))).toMatchObject({ status: "completed", additionalContext: "hello" });
    expect(interpretHookRun("Stop", run({ stdout: "plain" }))).toMatchObject({ status: "failed", entries: [{ kind: "error", text: "hook returned invalid Stop JSON output" }] });
    expect(interpretHookRun("Stop", run({ exitCode: 2, stderr: "" }))).toMatchObject({ status: "failed" });
    expect(interpretHookRun("PreToolUse", run({ stdout: '{"hookSpecificOutput":{"permissionDecision":"deny"}}' }))).toMatchObject({ status: "failed" });
    expect(interpretHookRun("PreToolUse", run({ stdout: '{"decision":"block","reason":"r"}' }))).toMatchObject({ status: "blocked", block: "r" });
    expect(interpretHookRun("SessionStart", run({ exitCode: 2, stderr: "x" }))).toMatchObject({ status: "failed" });
    expect(interpretHookRun("PermissionRequest", run({ exitCode: 2, stderr: "no\n" }))).toMatchObject({
      status: "blocked",
      entries: [{ kind: "feedback", text: "no" }],
      permission: { behavior: "deny", message: "no" },
    });
    expect(interpretHookRun("PermissionRequest", run({ exitCode: 2, stderr: "" }))).toMatchObject({ status: "failed" });
    expect(
      interpretHookRun("PermissionRequest", run({ stdout: '{"hookSpecificOutput":{"decision":{"behavior":"deny","message":"m"}}}' })),
    ).toMatchObject({ status: "blocked", entries: [{ kind: "feedback", text: "m" }] });
  });
});
