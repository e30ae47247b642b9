import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, unlinkSync, utimesSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { createRolloutStore, SCAN_BUDGET } from "../../src/core/persistence/rollout-store.js";
import { lazyStateDb, openStateDb, STATE_DB_FILE, type StateDb } from "../../src/core/state/state-db.js";
import { fakeId, sessionLines, writeSession } from "./session-files.js";

let home: string;
const opened: StateDb[] = [];
beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), "codex-index-"));
});
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
  rmSync(home, { recursive: true, force: true });
});

/** A store on its own handle of the state database (each call: a fresh process's view). */
function indexedStore(warnings: string[] = []) {
  const db = openStateDb({ codexHome: home, warn: (m) => warnings.push(m) });
  if (db) opened.push(db);
  return createRolloutStore({ codexHome: home, stateDb: () => db, warn: (m) => warnings.push(m) });
}

function day(n: number, hour = 12): Date {
  return new Date(2026, 9, 1 + Math.floor(n / 4), hour, n % 60, n % 60);
}

function populate(): void {
  for (let n = 0; n < 30; n++) {
    writeSession({
      codexHome: home,
      id: fakeId(n),
      date: day(n),
      cwd: n % 3 === 0 ? "/work/a" : "/work/b/",
      ...(n % 7 === 5 ? {} : { prompt: `prompt number ${n}` }),
      model: n % 2 === 0 ? "gpt-5.5" : "gpt-5.4-mini",
      ...(n === 9 ? { forkedFrom: fakeId(3) } : {}),
    });
  }
}

const cases = [{ limit: 1 }, { limit: 5 }, { limit: 100 }, { limit: 3, cwd: "/work/a" }, { limit: 100, cwd: "/work/b" }, { limit: 100, cwd: "/nowhere" }];

describe("session index", () => {
  test("lists exactly what the file scan lists", async () => {
    populate();
    const store = indexedStore();
    for (const c of cases) expect(await store.list(c), JSON.stringify(c)).toEqual(await store.scanList(c));
    const all = await store.list({ limit: 100 });
    expect(all).toHaveLength(30 - 4); // n = 5, 12, 19, 26 were never prompted
    expect(all[0]).toMatchObject({ id: fakeId(29), preview: "prompt number 29", model: "gpt-5.4-mini", cwd: "/work/b/" });
    expect(all.find((s) => s.id === fakeId(9))).toMatchObject({ parentThreadId: fakeId(3) });
    // A second process reads the same rows without reading any file head again.
    expect(await indexedStore().list({ limit: 100 })).toEqual(all);
    expect(existsSync(path.join(home, STATE_DB_FILE))).toBe(true);
  });

  test("stays current: new, grown, newly prompted, deleted and archived files", async () => {
    populate();
    const store = indexedStore();
    await store.list({ limit: 100 });

    // A new session in an existing day folder and one in a new folder.
    writeSession({ codexHome: home, id: fakeId(100), date: day(28, 13), cwd: "/work/a", prompt: "late in an old day" });
    writeSession({ codexHome: home, id: fakeId(101), date: new Date(2027, 0, 2, 8), cwd: "/work/a", prompt: "next year" });
    // A session that gets its first prompt only now.
    const unprompted = path.join(home, "sessions", "2026", "10", "02", readdirSync(path.join(home, "sessions/2026/10/02")).find((n) => n.includes(fakeId(5)))!);
    appendFileSync(unprompted, JSON.stringify({ timestamp: "x", type: "event_msg", payload: { type: "user_message", message: "finally" } }) + "\n");
    // A session appended to (newer mtime) keeps its place but shows the new time.
    const grown = (await store.list({ limit: 100 })).find((s) => s.id === fakeId(2))!;
    appendFileSync(grown.path, JSON.stringify({ timestamp: "x", type: "event_msg", payload: { type: "agent_message", message: "more" } }) + "\n");
    utimesSync(grown.path, new Date(2026, 11, 1), new Date(2026, 11, 1));
    // One deleted, one archived.
    const gone = (await store.scanList({ limit: 100 })).find((s) => s.id === fakeId(1))!;
    unlinkSync(gone.path);
    const moved = (await store.scanList({ limit: 100 })).find((s) => s.id === fakeId(4))!;
    mkdirSync(path.join(home, "archived_sessions"), { recursive: true });
    renameSync(moved.path, path.join(home, "archived_sessions", path.basename(moved.path)));

    const later = indexedStore();
    for (const c of cases) expect(await later.list(c), JSON.stringify(c)).toEqual(await later.scanList(c));
    const ids = (await later.list({ limit: 100 })).map((s) => s.id);
    expect(ids[0]).toBe(fakeId(101));
    expect(ids).toContain(fakeId(100));
    expect(ids).toContain(fakeId(5));
    expect(ids).not.toContain(fakeId(1));
    expect(ids).not.toContain(fakeId(4));
    expect((await later.list({ limit: 100 })).find((s) => s.id === fakeId(2))!.updatedAt).toBe(new Date(2026, 11, 1).toISOString());
    expect(await later.find(fakeId(4))).toBeNull();
    expect(await later.list({ limit: 10, archived: true })).toEqual(await later.scanList({ limit: 10, archived: true }));
    expect((await later.list({ limit: 10, archived: true })).map((s) => s.id)).toEqual([fakeId(4)]);
    expect(await later.find(fakeId(100))).toMatch(new RegExp(`${fakeId(100)}\\.jsonl$`));
  });

  test("a missing database is rebuilt from the files", async () => {
    populate();
    const before = await indexedStore().list({ limit: 100 });
    for (const db of opened.splice(0)) db.close();
    for (const f of readdirSync(home)) if (f.startsWith(STATE_DB_FILE)) unlinkSync(path.join(home, f));
    expect(await indexedStore().list({ limit: 100 })).toEqual(before);
  });

  test("without better-sqlite3 the store scans the files and warns once", async () => {
    populate();
    const warnings: string[] = [];
    const store = createRolloutStore({
      codexHome: home,
      stateDb: (() => {
        let db: StateDb | null | undefined;
        return () => (db ??= openStateDb({ codexHome: home, loadDriver: () => ({ error: "Cannot find module 'better-sqlite3'" }), warn: (m) => warnings.push(m) }));
      })(),
    });
    expect(await store.list({ limit: 100 })).toEqual(await store.scanList({ limit: 100 }));
    expect(await store.find(fakeId(3))).toMatch(new RegExp(`${fakeId(3)}\\.jsonl$`));
    expect(warnings).toEqual([
      "state database unavailable (better-sqlite3 did not load: Cannot find module 'better-sqlite3'); listing sessions from the rollout files",
    ]);
    expect(existsSync(path.join(home, STATE_DB_FILE))).toBe(false);
  });

  test("a corrupt database is moved aside and a fresh one started", async () => {
    populate();
    writeFileSync(path.join(home, STATE_DB_FILE), "this is not a database".repeat(100));
    const warnings: string[] = [];
    const store = indexedStore(warnings);
    expect(await store.list({ limit: 100 })).toEqual(await store.scanList({ limit: 100 }));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^state database .*state\.sqlite was corrupt; moved it to .*state\.sqlite\.corrupt-\d+ and started a fresh one$/);
    expect(readdirSync(home).filter((f) => f.startsWith(`${STATE_DB_FILE}.corrupt-`))).toHaveLength(1);
  });

  test("a torn or foreign file is skipped, and read again once it changes", async () => {
    const file = writeSession({ codexHome: home, id: fakeId(1), date: day(1), cwd: "/w", prompt: "ok" });
    const torn = path.join(path.dirname(file), `rollout-2026-10-01T12-00-00-${fakeId(2)}.jsonl`);
    writeFileSync(torn, "{not json\n");
    const store = indexedStore();
    expect((await store.list({ limit: 10 })).map((s) => s.id)).toEqual([fakeId(1)]);
    writeFileSync(torn, sessionLines({ codexHome: home, id: fakeId(2), date: day(1), cwd: "/w", prompt: "repaired" }).join("\n") + "\n");
    const later = indexedStore();
    expect((await later.list({ limit: 10 })).map((s) => s.id)).toEqual([fakeId(1), fakeId(2)]); // 12-01-01 before 12-00-00
    expect(await later.list({ limit: 10 })).toEqual(await later.scanList({ limit: 10 }));
  });

  test("a short scan answers when the newest files do; past its budget the index is built and answers", async () => {
    writeSession({ codexHome: home, id: fakeId(1), date: day(0), cwd: "/work/rare", prompt: "the rare one" });
    for (let n = 2; n < SCAN_BUDGET + 10; n++) writeSession({ codexHome: home, id: fakeId(n), date: day(n), cwd: "/work/common", prompt: `p${n}` });
    const fresh = () => createRolloutStore({ codexHome: home, stateDb: lazyStateDb({ codexHome: home }) });
    expect((await fresh().list({ limit: 1, cwd: "/work/common" })).map((s) => s.id)).toEqual([fakeId(SCAN_BUDGET + 9)]);
    expect((await fresh().list({ limit: 2 })).map((s) => s.id)).toHaveLength(2);
    expect(existsSync(path.join(home, STATE_DB_FILE))).toBe(false); // no SQLite needed so far
    const store = fresh();
    expect(await store.list({ limit: 1, cwd: "/work/rare" })).toEqual(await store.scanList({ limit: 1, cwd: "/work/rare" }));
    expect((await store.list({ limit: 1, cwd: "/work/rare" }))[0]!.id).toBe(fakeId(1));
    expect(existsSync(path.join(home, STATE_DB_FILE))).toBe(true);
  });

  test("a page (a picker's 50) goes to the index at once, whatever the newest files hold", async () => {
    for (let n = 1; n < 10; n++) writeSession({ codexHome: home, id: fakeId(n), date: day(n), cwd: "/work/common", prompt: `p${n}` });
    const store = createRolloutStore({ codexHome: home, stateDb: lazyStateDb({ codexHome: home }) });
    const page = await store.list({ limit: 50, cwd: "/work/common" });
    expect(page).toEqual(await store.scanList({ limit: 50, cwd: "/work/common" }));
    expect(existsSync(path.join(home, STATE_DB_FILE))).toBe(true);
  });

  test("a folder changed in the last moments is listed again next time (file times come from a coarse clock)", async () => {
    const old = writeSession({ codexHome: home, id: fakeId(1), date: day(1), cwd: "/w", prompt: "old" });
    utimesSync(path.dirname(old), day(1), day(1));
    const recent = writeSession({ codexHome: home, id: fakeId(2), date: new Date(), cwd: "/w", prompt: "now" });
    const db = openStateDb({ codexHome: home })!;
    opened.push(db);
    await createRolloutStore({ codexHome: home, stateDb: () => db }).list({ limit: 10 });
    const stored = new Map((db.db.prepare("SELECT dir, mtime_ms FROM indexed_dirs").all() as { dir: string; mtime_ms: number }[]).map((r) => [r.dir, r.mtime_ms]));
    expect(stored.get(path.dirname(old))).toBe(statSync(path.dirname(old)).mtimeMs);
    expect(stored.get(path.dirname(recent))).toBe(-1);
  });

  test("sub-agent sessions are listed by neither the index nor the scan", async () => {
    writeSession({ codexHome: home, id: fakeId(1), date: day(1), cwd: "/w", prompt: "root" });
    writeSession({ codexHome: home, id: fakeId(2), date: day(2), cwd: "/w", prompt: "child", source: { subagent: { thread_spawn: { parent_thread_id: fakeId(1) } } } as unknown as string });
    const store = indexedStore();
    expect((await store.list({ limit: 10 })).map((s) => s.id)).toEqual([fakeId(1)]);
    expect(await store.list({ limit: 10 })).toEqual(await store.scanList({ limit: 10 }));
  });
});
