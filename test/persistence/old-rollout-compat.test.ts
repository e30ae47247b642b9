import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { turnsFromRollout } from "../../src/app-server/thread-wire.js";
import { createRolloutStore, forkRollout, reconstructThread } from "../../src/core/persistence/index.js";

// A session our earlier version wrote (event_msg payloads in our camelCase event shapes) still lists, resumes,
// forks and reads (app-server thread/read's turns) as before; a fork of it is written in the new form and
// reads back to the same turns.
const FIXTURE = path.join(import.meta.dirname, "..", "fixtures", "rollout-old", "rollout-2026-12-02T01-08-10-01a2344b-7810-73ff-8552-894397f23e26.jsonl");
const THREAD = "01a2344b-7810-73ff-8552-894397f23e26";

let home: string;
let file: string;
beforeEach(() => {
  home = mkdtempSync(path.join(tmpdir(), "old-rollout-"));
  const day = path.join(home, "sessions", "2026", "12", "02");
  mkdirSync(day, { recursive: true });
  file = path.join(day, path.basename(FIXTURE));
  copyFileSync(FIXTURE, file);
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

const rawEvents = (p: string): Array<Record<string, unknown>> =>
  readFileSync(p, "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as { type: string; payload: Record<string, unknown> })
    .filter((l) => l.type === "event_msg")
    .map((l) => l.payload);

/**
 * Turns without the ids a reader makes up for items the rollout names none for, and without the times (a fork
 * stamps the lines it copies with its own clock).
 */
const comparable = (turns: ReturnType<typeof turnsFromRollout>) =>
  turns.map(({ startedAt: _s, completedAt: _c, durationMs: _d, ...t }) => ({
    ...t,
    items: t.items.map(({ startedAtMs: _is, completedAtMs: _ic, ...i }) => ({ ...i, id: i.type === "userMessage" || i.type === "reasoning" ? "" : i.id })),
  }));

describe("a rollout in the earlier camelCase form", () => {
  test("is the old form (the fixture guards what it claims)", () => {
    const types = rawEvents(FIXTURE).map((p) => p.type);
    expect(types).toEqual(expect.arrayContaining(["task_started", "user_message", "exec_command_end", "patch_apply_end", "agent_message", "task_complete"]));
    expect(rawEvents(FIXTURE).find((p) => p.type === "task_started")).toHaveProperty("turnId");
  });

  test("lists with its preview, and resumes with its whole history and usage", async () => {
    const store = createRolloutStore({ codexHome: home, stateDb: "off" });
    const [summary] = await store.list({ limit: 10 });
    expect(summary).toMatchObject({ id: THREAD, preview: "first prompt", path: file });
    const lines = await store.readForResume(file);
    const thread = reconstructThread(lines);
    expect(thread.meta.id).toBe(THREAD);
    const kinds = thread.history.map((i) => i.type);
    expect(kinds.filter((k) => k === "function_call")).toHaveLength(2);
    expect(kinds).toContain("custom_tool_call");
    const counts = lines.flatMap((l) => (l.type === "event_msg" && l.payload.type === "token_count" ? [l.payload] : []));
    expect(counts.at(-1)).toMatchObject({ total: { total_tokens: 5425 }, last: { total_tokens: 5005 } });
  });

  test("thread/read's turns: two turns with every item, the same after a fork rewrote it in the new form", async () => {
    const store = createRolloutStore({ codexHome: home, stateDb: "off" });
    const before = turnsFromRollout(THREAD, await store.read(file));
    expect(before.map((t) => t.status)).toEqual(["completed", "completed"]);
    expect(before[0]!.items.map((i) => i.type)).toEqual([
      "userMessage",
      "reasoning",
      "commandExecution",
      "commandExecution",
      "fileChange",
      "webSearch",
      "agentMessage",
    ]);
    expect(before[0]!.items[3]).toMatchObject({ type: "commandExecution", id: "c2", exitCode: 3, status: "failed" });

    const forkId = "01a2344b-0000-7000-8000-000000000001";
    const { path: forked } = await forkRollout(store, file, forkId);
    const newForm = rawEvents(forked);
    expect(newForm.flatMap((p) => Object.keys(p).filter((k) => /[A-Z]/.test(k)))).toEqual([]);
    expect(newForm.filter((p) => p.type === "item_completed").map((p) => (p.item as { type: string }).type)).toContain("CommandExecution");
    const after = turnsFromRollout(forkId, await store.read(forked));
    expect(comparable(after)).toEqual(comparable(before));
  });
});
