// SessionStart (startup/resume sources, additionalContext after <environment_context>), UserPromptSubmit
// (block keeps the prompt out of history and away from the model; additionalContext after the user
// message; turn_id in the payload), SessionEnd (reason "other", no model).
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { parseJsonl, runCodex, type TestEnv, useFakeServerEnv } from "../support/codex-env.js";
import { sse, type FakeServer } from "../support/fake-responses-server.js";
import { completed, created, textMessage } from "../support/sse.js";
import { hookScript, messagesOf, payloads, recordPayload, trustRepoByHand, writeProjectHooks } from "../hooks/hook-env.js";

let server: FakeServer;
let t: TestEnv;
useFakeServerEnv((s, e) => ((server = s), (t = e)));

const reply = (id: string, text: string) => sse(created(id), textMessage(text), completed(id));
const contextJson = (event: string, text: string) =>
  `echo '{"hookSpecificOutput":{"hookEventName":"${event}","additionalContext":"${text}"}}'`;

describe("SessionStart and SessionEnd", () => {
  test("startup fires (matcher startup), resume does not; its context follows <environment_context>; resume fires source resume", async () => {
    trustRepoByHand(t, server.url);
    writeProjectHooks(t, {
      SessionStart: [
        { matcher: "startup", hooks: [{ type: "command", command: recordPayload(t, "start", contextJson("SessionStart", "startup context")) }] },
        { matcher: "^resume$", hooks: [{ type: "command", command: recordPayload(t, "resume") }] },
      ],
      SessionEnd: [{ hooks: [{ type: "command", command: recordPayload(t, "end") }] }],
    });
    server.enqueue(reply("r1", "hello"));
    const first = await runCodex(["exec", "--json", "hi"], { env: t.env, cwd: t.repo });
    expect(first.code, first.stderr).toBe(0);
    const input = server.requests[0]!.input;
    const env = input.findIndex((i) => i.type === "message" && JSON.stringify(i).includes("<environment_context>"));
    expect(env).toBeGreaterThanOrEqual(0);
    expect(input[env + 1]).toMatchObject({ role: "developer", content: [{ text: "startup context" }] });
    expect(messagesOf([input[env + 2]], "user")).toEqual(["hi"]);
    const [start] = payloads(t, "start");
    expect(start).toMatchObject({ hook_event_name: "SessionStart", source: "startup", cwd: t.repo, model: "gpt-5.5" });
    expect(start.turn_id).toBeUndefined();
    const threadId = parseJsonl(first.stdout)[0].thread_id;
    expect(start.session_id).toBe(threadId);
    expect(start.transcript_path).toMatch(/rollout-.*\.jsonl$/);
    expect(payloads(t, "resume")).toEqual([]);
    const [end] = payloads(t, "end");
    expect(end).toMatchObject({ hook_event_name: "SessionEnd", reason: "other", session_id: threadId });
    expect(end.model).toBeUndefined();
    expect(end.permission_mode).toBeUndefined();

    server.enqueue(reply("r2", "again"));
    const second = await runCodex(["exec", "--json", "resume", threadId, "more"], { env: t.env, cwd: t.repo });
    expect(second.code, second.stderr).toBe(0);
    expect(payloads(t, "start")).toHaveLength(1);
    expect(payloads(t, "resume")).toMatchObject([{ source: "resume", session_id: threadId }]);
    // The startup context was journaled: the resumed request still carries it once.
    expect(messagesOf(server.requests[1]!.input, "developer").filter((m) => m === "startup context")).toHaveLength(1);
  });

  test("continue: false ends the first turn before any request (prompt not recorded); its context stays for later turns", async () => {
    trustRepoByHand(t, server.url);
    const stop = `echo '{"continue":false,"stopReason":"not today","hookSpecificOutput":{"hookEventName":"SessionStart","additionalContext":"ctx from start"}}'`;
    writeProjectHooks(t, {
      SessionStart: [{ matcher: "^startup$", hooks: [{ type: "command", command: recordPayload(t, "start", stop) }] }],
      UserPromptSubmit: [{ hooks: [{ type: "command", command: recordPayload(t, "prompt") }] }],
    });
    const first = await runCodex(["exec", "--json", "first prompt"], { env: t.env, cwd: t.repo });
    expect(first.code, first.stderr).toBe(0);
    expect(server.requests).toHaveLength(0);
    const events = parseJsonl(first.stdout);
    expect(events.map((e) => e.type)).toEqual(["thread.started", "turn.started", "turn.completed"]);
    expect(payloads(t, "start")).toHaveLength(1);
    expect(payloads(t, "prompt")).toEqual([]);
    // Human output as 0.169 prints it: the run and its status, none of its entries.
    const human = await runCodex(["exec", "again"], { env: t.env, cwd: t.repo });
    expect(human.stderr).toContain("hook: SessionStart\nhook: SessionStart Stopped\n");
    expect(human.stderr).not.toContain("not today");
    expect(server.requests).toHaveLength(0);

    server.enqueue(reply("r1", "resumed"));
    const second = await runCodex(["exec", "--json", "resume", events[0].thread_id, "second prompt"], { env: t.env, cwd: t.repo });
    expect(second.code, second.stderr).toBe(0);
    expect(messagesOf(server.requests[0]!.input, "developer")).toContain("ctx from start");
    expect(messagesOf(server.requests[0]!.input, "user")).not.toContain("first prompt");
    expect(server.requests[0]!.lastUserText()).toBe("second prompt");
  });

  test("fork: SessionStart fires with source startup (the reference has no fork source) for the new thread, at its first turn", async () => {
    trustRepoByHand(t, server.url);
    server.enqueue(reply("r1", "hello"));
    const first = await runCodex(["exec", "--json", "hi"], { env: t.env, cwd: t.repo });
    expect(first.code, first.stderr).toBe(0);
    const original = parseJsonl(first.stdout)[0].thread_id;
    writeProjectHooks(t, {
      SessionStart: [
        { matcher: "^startup$", hooks: [{ type: "command", command: recordPayload(t, "start", contextJson("SessionStart", "fork context")) }] },
        { matcher: "fork|resume", hooks: [{ type: "command", command: recordPayload(t, "other") }] },
      ],
    });
    server.enqueue(reply("r2", "forked"));
    const fork = await runCodex(["fork", original, "again"], { env: t.env, cwd: t.repo });
    expect(fork.code, fork.stderr).toBe(0);
    const [start] = payloads(t, "start");
    expect(start).toMatchObject({ hook_event_name: "SessionStart", source: "startup" });
    expect(start.session_id).not.toBe(original);
    expect(payloads(t, "other")).toEqual([]);
    expect(messagesOf(server.requests[1]!.input, "developer")).toContain("fork context");
  });
});

describe("UserPromptSubmit", () => {
  test("a block drops the prompt: no model request, no JSONL item, nothing in the rollout", async () => {
    trustRepoByHand(t, server.url);
    writeProjectHooks(t, {
      UserPromptSubmit: [{ matcher: "never-matches", hooks: [{ type: "command", command: recordPayload(t, "prompt", `echo '{"decision":"block","reason":"no secrets in prompts"}'`) }] }],
    });
    const r = await runCodex(["exec", "--json", "my password is hunter2"], { env: t.env, cwd: t.repo });
    expect(r.code, r.stderr).toBe(0);
    expect(server.requests).toHaveLength(0);
    const events = parseJsonl(r.stdout);
    expect(events.map((e) => e.type)).toEqual(["thread.started", "turn.started", "turn.completed"]);
    expect(events.at(-1).usage.input_tokens).toBe(0);
    const [p] = payloads(t, "prompt");
    expect(p).toMatchObject({ hook_event_name: "UserPromptSubmit", prompt: "my password is hunter2" });
    expect(typeof p.turn_id).toBe("string");
    const rollouts = await import("node:fs").then((fs) =>
      fs.readdirSync(t.codexHome, { recursive: true }).filter((n) => String(n).endsWith(".jsonl")),
    );
    expect(rollouts).toHaveLength(1);
    const text = readFileSync(`${t.codexHome}/${rollouts[0]}`, "utf8");
    expect(text).not.toContain("hunter2");
  });

  test("exit 2 with stderr blocks too (human output shows the feedback)", async () => {
    trustRepoByHand(t, server.url);
    writeProjectHooks(t, {
      UserPromptSubmit: [{ hooks: [{ type: "command", command: hookScript(t, "deny.sh", "cat >/dev/null; echo 'prompt refused' >&2; exit 2") }] }],
    });
    const r = await runCodex(["exec", "anything"], { env: t.env, cwd: t.repo });
    expect(r.code, r.stderr).toBe(0);
    expect(server.requests).toHaveLength(0);
    expect(r.stderr).toContain("hook: UserPromptSubmit\nhook: UserPromptSubmit Blocked\n  feedback: prompt refused");
  });

  test("additionalContext becomes a developer message right after the user message", async () => {
    trustRepoByHand(t, server.url);
    writeProjectHooks(t, {
      UserPromptSubmit: [{ hooks: [{ type: "command", command: hookScript(t, "ctx.sh", `cat >/dev/null; ${contextJson("UserPromptSubmit", "ticket ABC-1 is open")}`) }] }],
    });
    server.enqueue(reply("r1", "ok"));
    const r = await runCodex(["exec", "--json", "fix it"], { env: t.env, cwd: t.repo });
    expect(r.code, r.stderr).toBe(0);
    const input = server.requests[0]!.input;
    const last2 = input.slice(-2);
    expect(messagesOf([last2[0]], "user")).toEqual(["fix it"]);
    expect(last2[1]).toMatchObject({ type: "message", role: "developer", content: [{ type: "input_text", text: "ticket ABC-1 is open" }] });
  });
});
