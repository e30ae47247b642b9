import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { RolloutLine, SessionMeta } from "../../src/core/persistence/contract.js";
import { forkRollout } from "../../src/core/persistence/fork.js";
import { reconstructThread } from "../../src/core/persistence/reconstruct.js";
import { createRolloutStore } from "../../src/core/persistence/rollout-store.js";
import { scrubForJournal } from "../../src/core/persistence/scrub.js";
import type { ResponseItem } from "../../src/protocol/items.js";
import { uuidv7 } from "../../src/util/ids.js";

const T = "2025-01-01T00:00:00.000Z";
const meta = (id: string): SessionMeta => ({
  id,
  timestamp: T,
  cwd: "/repo",
  originator: "codex_exec",
  cli_version: "0.169.0",
  source: "exec",
});
const msg = (role: "user" | "assistant" | "developer", text: string): ResponseItem => ({
  type: "message",
  role,
  content: [{ type: role === "assistant" ? "output_text" : "input_text", text }],
});
const item = (payload: ResponseItem): RolloutLine => ({ timestamp: T, type: "response_item", payload });

describe("reconstructThread", () => {
  test("history is every response item in order; last turn_context wins", () => {
    const tc = (turn_id: string): RolloutLine => ({
      timestamp: T,
      type: "turn_context",
      payload: { turn_id, cwd: "/repo", approval_policy: "never", sandbox_policy: { mode: "read-only" }, model: "m" },
    });
    const lines: RolloutLine[] = [
      { timestamp: T, type: "session_meta", payload: meta("t1") },
      tc("a"),
      item(msg("user", "hi")),
      { timestamp: T, type: "event_msg", payload: { type: "user_message", message: "hi", images: [] } },
      item({ type: "function_call", name: "exec_command", arguments: "{}", call_id: "c1" }),
      item({ type: "function_call_output", call_id: "c1", output: "ok" }),
      tc("b"),
      item({ type: "some_future_item", x: 1 }),
    ];
    const r = reconstructThread(lines);
    expect(r.meta.id).toBe("t1");
    expect(r.lastTurnContext?.turn_id).toBe("b");
    expect(r.history.map((h) => h.type)).toEqual(["message", "function_call", "function_call_output", "some_future_item"]);
  });

  test("compacted with replacement_history replaces everything before it", () => {
    const r = reconstructThread([
      { timestamp: T, type: "session_meta", payload: meta("t1") },
      item(msg("user", "old")),
      item(msg("assistant", "old answer")),
      { timestamp: T, type: "compacted", payload: { message: "", replacement_history: [msg("user", "summary")] } },
      item(msg("user", "new")),
    ]);
    expect(r.history).toEqual([msg("user", "summary"), msg("user", "new")]);
  });

  test("legacy compacted (summary only) keeps real prompts and adds the summary", () => {
    const r = reconstructThread([
      { timestamp: T, type: "session_meta", payload: meta("t1") },
      item(msg("developer", "base")),
      item(msg("user", "<environment_context>\n</environment_context>")),
      item(msg("user", "first ask")),
      item(msg("assistant", "answer")),
      { timestamp: T, type: "compacted", payload: { message: "SUMMARY" } },
      item(msg("user", "next")),
    ]);
    expect(r.history).toEqual([msg("user", "first ask"), msg("user", "SUMMARY"), msg("user", "next")]);
  });

  test("a call whose approval request was journaled and never answered stays open as pending; others get 'aborted'", () => {
    const asked = (callId: string): RolloutLine => ({
      timestamp: T,
      type: "event_msg",
      payload: { type: "exec_approval_request", callId, command: ["touch", "x"], cwd: "/repo" },
    });
    const r = reconstructThread([
      { timestamp: T, type: "session_meta", payload: meta("t1") },
      item(msg("user", "go")),
      item({ type: "function_call", name: "exec_command", arguments: "{}", call_id: "answered" }),
      asked("answered"),
      item({ type: "function_call_output", call_id: "answered", output: "ok" }),
      item({ type: "function_call", name: "exec_command", arguments: "{}", call_id: "cut" }),
      item({ type: "function_call", name: "exec_command", arguments: '{"cmd":"touch x"}', call_id: "waiting" }),
      asked("waiting"),
      { timestamp: T, type: "event_msg", payload: { type: "turn_aborted", turnId: "t", reason: "interrupted" } },
    ]);
    expect(r.pendingCalls).toEqual([{ type: "function_call", name: "exec_command", arguments: '{"cmd":"touch x"}', call_id: "waiting" }]);
    const outputs = r.history.filter((h) => h.type === "function_call_output").map((h) => (h as { call_id: string }).call_id);
    expect(outputs).toEqual(["answered", "cut"]);
    expect(reconstructThread([{ timestamp: T, type: "session_meta", payload: meta("t1") }, item(msg("user", "x"))]).pendingCalls).toBeUndefined();
    // Answered, then cut off by a crash while it ran: not asked again, answered "aborted" like any cut-off call.
    const ran = reconstructThread([
      { timestamp: T, type: "session_meta", payload: meta("t1") },
      item({ type: "function_call", name: "exec_command", arguments: "{}", call_id: "ran" }),
      asked("ran"),
      { timestamp: T, type: "event_msg", payload: { type: "approval_answered", callId: "ran", decision: "approved" } },
    ]);
    expect(ran.pendingCalls).toBeUndefined();
    expect(ran.history.at(-1)).toMatchObject({ type: "function_call_output", call_id: "ran", output: "aborted" });
    // Asked again after an answer (a later turn): pending again.
    const again = reconstructThread([
      { timestamp: T, type: "session_meta", payload: meta("t1") },
      item({ type: "function_call", name: "exec_command", arguments: "{}", call_id: "x" }),
      asked("x"),
      { timestamp: T, type: "event_msg", payload: { type: "approval_answered", callId: "x", decision: "approved" } },
      asked("x"),
    ]);
    expect(again.pendingCalls?.map((c) => c.call_id)).toEqual(["x"]);
  });

  test("a rollout without session_meta is an error", () => {
    expect(() => reconstructThread([item(msg("user", "x"))])).toThrow(/no session_meta/);
  });
});

describe("forkRollout and scrubbing", () => {
  let home: string;
  beforeEach(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), "rollout-fork-"));
  });
  afterEach(async () => {
    await rm(home, { recursive: true, force: true });
  });

  test("fork writes a new meta with forked_from_id, then the source's non-meta lines", async () => {
    const store = createRolloutStore({ codexHome: home });
    const src = uuidv7();
    const w = await store.create(meta(src));
    await w.append({ type: "response_item", payload: msg("user", "hello") });
    await w.append({ type: "event_msg", payload: { type: "user_message", message: "hello", images: [] } });
    await w.append({ type: "compacted", payload: { message: "s", replacement_history: [msg("user", "s")] } });
    await w.close();

    const newId = uuidv7();
    const { path: forked } = await forkRollout(store, w.path, newId);
    expect(await store.find(newId)).toBe(forked);
    const lines = await store.read(forked);
    expect(lines[0]).toMatchObject({ type: "session_meta", payload: { ...meta(newId), timestamp: expect.any(String), forked_from_id: src } });
    const source = await store.read(w.path);
    expect(lines.slice(1).map(({ type, payload }) => ({ type, payload }))).toEqual(
      source.slice(1).map(({ type, payload }) => ({ type, payload })),
    );
    expect(lines.filter((l) => l.type === "session_meta")).toHaveLength(1);
  });

  test("scrubForJournal masks secrets anywhere in a value, longest first", () => {
    const v = { a: "key sk-abc123 and sk-abc", b: ["x sk-abc123"], c: { "sk-abc123": 1 }, n: 5, z: null };
    expect(scrubForJournal(v, ["sk-abc", "sk-abc123", ""])).toEqual({
      a: "key [REDACTED] and [REDACTED]",
      b: ["x [REDACTED]"],
      c: { "[REDACTED]": 1 },
      n: 5,
      z: null,
    });
    expect(scrubForJournal("nothing", [])).toBe("nothing");
  });

  test("writer scrubs every line, including secrets with JSON-special characters", async () => {
    const store = createRolloutStore({ codexHome: home });
    const secrets = ["s3cr3t-token", 'we"ird\\pass'];
    const w = await store.create({ ...meta(uuidv7()), cwd: "/home/s3cr3t-token" }, { secrets });
    await w.append({ type: "response_item", payload: msg("user", 'token=s3cr3t-token pw=we"ird\\pass') });
    await w.close();
    const text = await readFile(w.path, "utf8");
    expect(text).not.toContain("s3cr3t-token");
    expect(text).not.toContain(JSON.stringify('we"ird\\pass').slice(1, -1));
    const lines = await store.read(w.path);
    expect(lines[0]?.payload).toMatchObject({ cwd: "/home/[REDACTED]" });
    expect(lines[1]?.payload).toEqual(msg("user", "token=[REDACTED] pw=[REDACTED]"));

    const resumed = await store.openForAppend(w.path, { secrets });
    await resumed.append({ type: "event_msg", payload: { type: "agent_message", message: "echo s3cr3t-token" } });
    await resumed.close();
    expect(await readFile(w.path, "utf8")).not.toContain("s3cr3t-token");
  });
});
