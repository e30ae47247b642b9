import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { createLogger, createLogStore, ingestSpool, renderFeedbackBody } from "../../src/core/logging/index.js";
import { openStateDb, type StateDb } from "../../src/core/state/state-db.js";

let home: string;
let state: StateDb;
beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), "codex-logs-"));
  state = openStateDb({ codexHome: home })!;
});
afterEach(() => {
  state.close();
  rmSync(home, { recursive: true, force: true });
});

const rows = () =>
  state.db.prepare("SELECT level, target, message, fields, spans, feedback_log_body, thread_id, process_uuid, estimated_bytes FROM logs ORDER BY id").all() as {
    level: string; target: string; message: string; fields: string | null; spans: string | null; feedback_log_body: string; thread_id: string | null; process_uuid: string; estimated_bytes: number;
  }[];

describe("logs table", () => {
  test("pruning keeps the newest rows within the budget, counting the rendered body", () => {
    const store = createLogStore(state.db);
    const batch = Array.from({ length: 200 }, (_, i) => ({ tsMs: 1_000 + i, level: "INFO" as const, target: "t", message: `message ${String(i).padStart(3, "0")} ${"x".repeat(100)}` }));
    store.insert(batch, { processUuid: "p" });
    const all = rows();
    for (const r of all) expect(r.estimated_bytes).toBeGreaterThan(Buffer.byteLength(r.feedback_log_body) + Buffer.byteLength(r.message));
    const per = all[0]!.estimated_bytes;
    const budget = per * 50 + per / 2;
    expect(store.prune(budget)).toBe(150);
    const kept = rows();
    expect(kept.map((r) => r.message.split(" ")[1])).toEqual(Array.from({ length: 50 }, (_, i) => String(150 + i).padStart(3, "0")));
    expect(store.totalBytes()).toBeLessThanOrEqual(budget);
    expect(store.prune(budget)).toBe(0);
  });
});

describe("logger", () => {
  test("queues records, writes them in one batch with secrets scrubbed, thread ids and spans kept", () => {
    const log = createLogger({ spoolDir: path.join(home, "log", "spool"), stateDb: () => state, secrets: ["known-secret-value"], processUuid: "proc-1", retentionBytes: 1 << 20, flushOnExit: false, flushIntervalMs: 60_000 });
    const thread = log.child({ threadId: "th-1", span: { name: "session", fields: { thread_id: "th-1" } } });
    log.log("INFO", "core.runtime", "runtime started");
    thread.log("WARN", "core.model", "request retrying with known-secret-value", { fields: { reason: "Bearer abcdefghijklmnopqrstuvwxyz", attempt: 1 } });
    thread.log("DEBUG", "core.turn", "below the default level");
    expect(rows()).toEqual([]); // nothing written until the batch goes
    log.flush();
    const got = rows();
    expect(got.map((r) => [r.level, r.target, r.thread_id, r.process_uuid])).toEqual([
      ["INFO", "core.runtime", null, "proc-1"],
      ["WARN", "core.model", "th-1", "proc-1"],
    ]);
    expect(got[1]!.message).toBe("request retrying with [REDACTED]");
    expect(JSON.parse(got[1]!.fields!)).toEqual({ reason: "Bearer [REDACTED]", attempt: 1 });
    expect(got[1]!.feedback_log_body).toBe("session{thread_id=th-1}: core.model: request retrying with [REDACTED] reason=\"Bearer [REDACTED]\" attempt=1");
    expect(JSON.stringify(got)).not.toContain("known-secret-value");
    expect(JSON.stringify(got)).not.toContain("abcdefghijklmnopqrstuvwxyz");
    log.close();
  });

  test("a full queue is written at once; over budget the table is pruned", () => {
    const one = renderFeedbackBody({ target: "t", message: "m".repeat(200) }).length;
    const log = createLogger({ spoolDir: path.join(home, "log", "spool"), stateDb: () => state, secrets: [], processUuid: "p", retentionBytes: (one + 300) * 40, maxBatch: 10, flushOnExit: false, flushIntervalMs: 60_000 });
    for (let i = 0; i < 9; i++) log.log("INFO", "t", "m".repeat(200));
    expect(rows()).toHaveLength(0);
    log.log("INFO", "t", "m".repeat(200));
    expect(rows()).toHaveLength(10);
    for (let i = 0; i < 200; i++) log.log("INFO", "t", "m".repeat(200));
    log.flush();
    const store = createLogStore(state.db);
    expect(store.totalBytes()).toBeLessThanOrEqual((one + 300) * 40);
    expect(rows().length).toBeGreaterThan(20);
    expect(rows().length).toBeLessThan(60);
    log.close();
  });

  test("no database: records are dropped, nothing throws", () => {
    const log = createLogger({ spoolDir: path.join(home, "log", "spool"), stateDb: () => null, secrets: [], processUuid: "p", retentionBytes: 100, flushOnExit: false });
    log.log("ERROR", "t", "lost");
    expect(() => log.flush()).not.toThrow();
    log.close();
  });

  test("a closed database turns logging off instead of failing", () => {
    const other = openStateDb({ codexHome: home })!;
    const log = createLogger({ spoolDir: path.join(home, "log", "spool"), stateDb: () => other, secrets: [], processUuid: "p", retentionBytes: 1 << 20, flushOnExit: false });
    log.log("INFO", "t", "first");
    log.flush();
    other.close();
    log.log("INFO", "t", "second");
    expect(() => log.flush()).not.toThrow();
    expect(rows().map((r) => r.message)).toEqual(["first"]);
    log.close();
  });

  test("with the database not yet open, a flush only appends to the spool; a later ingest moves the rows", () => {
    const spoolDir = path.join(home, "log", "spool");
    const lazy = Object.assign(() => state, { isOpen: () => false });
    const log = createLogger({ spoolDir, stateDb: lazy, secrets: ["known-secret-value"], processUuid: "p-9", retentionBytes: 1 << 20, flushOnExit: false });
    log.log("INFO", "t", "spooled known-secret-value", { threadId: "th" });
    log.flush();
    expect(rows()).toEqual([]);
    const files = readdirSync(spoolDir);
    expect(files).toEqual(["p-9.spool"]);
    expect(statSync(path.join(spoolDir, files[0]!)).mode & 0o777).toBe(0o600);
    expect(readFileSync(path.join(spoolDir, files[0]!), "utf8")).not.toContain("known-secret-value");
    expect(ingestSpool({ dir: spoolDir, store: createLogStore(state.db) })).toBeGreaterThan(0);
    expect(rows().map((r) => [r.message, r.thread_id, r.process_uuid])).toEqual([["spooled [REDACTED]", "th", "p-9"]]);
    expect(readdirSync(spoolDir)).toEqual([]);
    log.close();
  });

  test("an exit hook exists only while rows wait", () => {
    const before = process.listenerCount("exit");
    const loggers = Array.from({ length: 20 }, (_, i) =>
      createLogger({ spoolDir: path.join(home, "log", "spool"), stateDb: () => state, secrets: [], processUuid: `p${i}`, retentionBytes: 1 << 20, flushIntervalMs: 60_000 }),
    );
    for (const l of loggers) l.log("INFO", "t", "waiting");
    expect(process.listenerCount("exit")).toBe(before + 20);
    for (const l of loggers) l.flush();
    expect(process.listenerCount("exit")).toBe(before);
    expect(rows()).toHaveLength(20);
    for (const l of loggers) l.close();
  });
});
