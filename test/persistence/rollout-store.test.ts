import { appendFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { SessionMeta } from "../../src/core/persistence/contract.js";
import { createRolloutStore } from "../../src/core/persistence/rollout-store.js";
import { parseRolloutFileName, rolloutPathFor } from "../../src/core/persistence/rollout-path.js";
import { uuidv7 } from "../../src/util/ids.js";

let home: string;
beforeEach(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), "rollout-store-"));
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

const meta = (id: string, over: Partial<SessionMeta> = {}): SessionMeta => ({
  id,
  timestamp: "2025-03-04T05:06:07.000Z",
  cwd: "/repo",
  originator: "codex_exec",
  cli_version: "0.169.0",
  source: "exec",
  ...over,
});
const userMsg = (text: string) => ({
  type: "response_item" as const,
  payload: { type: "message", role: "user" as const, content: [{ type: "input_text", text }] },
});

describe("create / append / read", () => {
  test("file lives at sessions/YYYY/MM/DD/rollout-<local stamp>-<id>.jsonl and starts with session_meta", async () => {
    const at = new Date(2025, 2, 4, 5, 6, 7, 890); // local time
    const store = createRolloutStore({ codexHome: home, now: () => at });
    const id = uuidv7(at.getTime());
    const w = await store.create(meta(id));
    expect(w.path).toBe(path.join(home, "sessions", "2025", "03", "04", `rollout-2025-03-04T05-06-07-${id}.jsonl`));
    await w.append(userMsg("hello"));
    await w.append({ type: "event_msg", payload: { type: "user_message", message: "hello", images: [] } });
    await w.close();

    const text = await readFile(w.path, "utf8");
    const raw = text.trimEnd().split("\n").map((l) => JSON.parse(l));
    expect(raw).toEqual([
      { timestamp: at.toISOString(), type: "session_meta", payload: meta(id) },
      { timestamp: at.toISOString(), ...userMsg("hello") },
      // On disk in the reference's shape (event-codec.ts: an item_completed UserMessage); read back as our event.
      {
        timestamp: at.toISOString(),
        type: "event_msg",
        payload: {
          type: "item_completed",
          thread_id: id,
          turn_id: "",
          item: { type: "UserMessage", id: expect.any(String), content: [{ type: "text", text: "hello", text_elements: [] }] },
          started_at_ms: at.getTime(),
          completed_at_ms: at.getTime(),
        },
      },
    ]);
    expect(text.endsWith("\n")).toBe(true);
    expect(await store.read(w.path)).toEqual([
      raw[0],
      raw[1],
      { timestamp: at.toISOString(), type: "event_msg", payload: { type: "user_message", message: "hello", images: [] } },
    ]);
  });

  test("create refuses to overwrite an existing rollout", async () => {
    const store = createRolloutStore({ codexHome: home, now: () => new Date(2025, 0, 1) });
    const id = uuidv7();
    await (await store.create(meta(id))).close();
    await expect(store.create(meta(id))).rejects.toThrow(/EEXIST/);
  });

  test("concurrent appends never interleave and keep call order", async () => {
    const store = createRolloutStore({ codexHome: home });
    const w = await store.create(meta(uuidv7()));
    const big = "y".repeat(100_000);
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        w.append({ type: "event_msg", payload: { type: "agent_message", message: `${i}:${big}` } }),
      ),
    );
    await w.close();
    const lines = await store.read(w.path);
    expect(lines).toHaveLength(51);
    expect(lines.slice(1).map((l) => (l.payload as { message: string }).message.split(":")[0])).toEqual(
      Array.from({ length: 50 }, (_, i) => String(i)),
    );
    await expect(w.append(userMsg("late"))).rejects.toThrow(/append after close/);
  });

  test("read skips a torn last line and malformed lines", async () => {
    const store = createRolloutStore({ codexHome: home });
    const w = await store.create(meta(uuidv7()));
    await w.append(userMsg("one"));
    await w.close();
    await appendFile(w.path, "not json\n");
    await appendFile(w.path, JSON.stringify({ type: "event_msg" }) + "\n"); // no timestamp/payload
    await appendFile(w.path, JSON.stringify({ timestamp: "t", ...userMsg("two") }) + "\n");
    await appendFile(w.path, JSON.stringify({ timestamp: "t", ...userMsg("torn") })); // no newline
    const lines = await store.read(w.path);
    expect(lines.map((l) => l.type)).toEqual(["session_meta", "response_item", "response_item"]);
    expect(JSON.stringify(lines)).not.toContain("torn");
  });

  test("openForAppend after a torn tail starts a fresh line, so new records stay readable", async () => {
    const store = createRolloutStore({ codexHome: home });
    const w = await store.create(meta(uuidv7()));
    await w.close();
    await appendFile(w.path, '{"timestamp":"t","type":"response_it');
    const w2 = await store.openForAppend(w.path);
    await w2.append(userMsg("after resume"));
    await w2.close();
    const lines = await store.read(w.path);
    expect(lines.map((l) => l.type)).toEqual(["session_meta", "response_item"]);
    expect(JSON.stringify(lines[1])).toContain("after resume");
  });

  test("openForAppend on a missing file fails", async () => {
    const store = createRolloutStore({ codexHome: home });
    await expect(store.openForAppend(path.join(home, "nope.jsonl"))).rejects.toThrow(/ENOENT/);
  });
});

describe("find / list", () => {
  async function seed() {
    const days = [new Date(2024, 11, 31, 23, 59, 59), new Date(2025, 0, 1, 0, 0, 1), new Date(2025, 0, 1, 9, 0, 0)];
    const ids = days.map((d) => uuidv7(d.getTime()));
    let current = days[0]!;
    const store = createRolloutStore({ codexHome: home, now: () => current });
    const cwds = ["/a", "/b", "/a"];
    for (let i = 0; i < days.length; i++) {
      current = days[i]!;
      const w = await store.create(meta(ids[i]!, { cwd: cwds[i]!, timestamp: days[i]!.toISOString() }));
      await w.append({
        type: "response_item",
        payload: { type: "message", role: "developer", content: [{ type: "input_text", text: "base" }] },
      });
      await w.append(userMsg("<environment_context>\n  <cwd>/a</cwd>\n</environment_context>"));
      await w.append(userMsg("# AGENTS.md instructions for /a\n\n<INSTRUCTIONS>\nbe nice\n</INSTRUCTIONS>"));
      await w.append(userMsg(`prompt ${i}`));
      await w.close();
    }
    return { store, ids, days };
  }

  test("find locates by full id only and returns null when absent", async () => {
    const { store, ids, days } = await seed();
    const p = await store.find(ids[1]!);
    expect(p).toBe(rolloutPathFor({ codexHome: home, date: days[1]!, threadId: ids[1]! }));
    expect(await store.find(ids[1]!.slice(0, 8))).toBeNull();
    expect(await store.find(uuidv7())).toBeNull();
    expect(await store.find("../../etc")).toBeNull();
    expect(await createRolloutStore({ codexHome: path.join(home, "empty") }).find(ids[0]!)).toBeNull();
  });

  test("list is newest first, previews skip injected context, and filters by cwd", async () => {
    const { store, ids } = await seed();
    // Noise that must be ignored: a stray file, a non-date folder, a thread nobody prompted.
    await writeFile(path.join(home, "sessions", "2025", "01", "01", "notes.txt"), "x");
    await mkdir(path.join(home, "sessions", "tmp"), { recursive: true });
    const silent = await createRolloutStore({ codexHome: home, now: () => new Date(2025, 0, 2) }).create(meta(uuidv7()));
    await silent.close();

    const all = await store.list({ limit: 10 });
    expect(all.map((s) => s.id)).toEqual([ids[2], ids[1], ids[0]]);
    expect(all.map((s) => s.preview)).toEqual(["prompt 2", "prompt 1", "prompt 0"]);
    expect(all[0]).toMatchObject({ cwd: "/a", source: "exec", path: await store.find(ids[2]!) });
    expect(Number.isNaN(Date.parse(all[0]!.updatedAt))).toBe(false);

    expect((await store.list({ limit: 1 })).map((s) => s.id)).toEqual([ids[2]]);
    expect((await store.list({ limit: 10, cwd: "/a" })).map((s) => s.id)).toEqual([ids[2], ids[0]]);
    expect((await store.list({ limit: 10, cwd: "/b/" })).map((s) => s.id)).toEqual([ids[1]]);
    expect(await store.list({ limit: 0 })).toEqual([]);
  });

  test("file names parse back into stamp and id", () => {
    const id = uuidv7();
    expect(parseRolloutFileName(`rollout-2025-01-02T03-04-05-${id}.jsonl`)).toEqual({
      stamp: "2025-01-02T03-04-05",
      threadId: id,
    });
    expect(parseRolloutFileName("rollout-x.jsonl")).toBeNull();
  });
});
