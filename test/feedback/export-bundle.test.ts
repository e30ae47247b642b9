import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { exportFeedbackBundle, FeedbackExportError, NO_LOGS_NOTE } from "../../src/core/feedback/index.js";
import { createLogStore } from "../../src/core/logging/log-store.js";
import { openStateDb } from "../../src/core/state/state-db.js";
import { fakeId, writeSession } from "../state/session-files.js";
import { untarGz } from "./untar.js";

let home: string;
beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), "codex-feedback-"));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

const KEY = "my-known-api-key-value-1234";
const SHAPED = "sk-proj-abcdefghijklmnopqrstuvwxyz012345";

function session(n: number, extra: unknown[] = []): string {
  return writeSession({ codexHome: home, id: fakeId(n), date: new Date(Date.UTC(2026, 10, n, 12)), cwd: "/work/repo", prompt: `prompt ${n}`, extra });
}

describe("exportFeedbackBundle", () => {
  test("holds the scrubbed journal, the thread's own and same-process thread-less log lines, and metadata", async () => {
    const secretLine = { timestamp: "2026-11-01T12:00:01Z", type: "event_msg", payload: { type: "agent_message", message: `key ${KEY} and ${SHAPED}` } };
    const file = session(1, [secretLine]);
    session(2);
    const state = openStateDb({ codexHome: home })!;
    const logs = createLogStore(state.db);
    const t0 = Date.UTC(2026, 10, 1, 12, 0, 0);
    logs.insert(
      [
        { tsMs: t0, level: "INFO", target: "core.runtime", message: "process started" },
        { tsMs: t0 + 1, level: "INFO", target: "core.turn", message: "turn started", threadId: fakeId(1), spans: [{ name: "turn", fields: { turn_id: "t1" } }], fields: { model: "gpt-5.5" } },
        { tsMs: t0 + 2, level: "WARN", target: "core.model", message: `retrying with ${SHAPED}`, threadId: fakeId(1) },
        { tsMs: t0 + 3, level: "INFO", target: "core.turn", message: "other thread", threadId: fakeId(2) },
      ],
      { processUuid: "p1" },
    );
    logs.insert([{ tsMs: t0 + 4, level: "INFO", target: "core.runtime", message: "another process" }], { processUuid: "p2" });
    state.close();

    const bundle = await exportFeedbackBundle({ codexHome: home, threadId: fakeId(1), secrets: [KEY], version: "9.9.9", now: () => new Date(t0) });
    expect(bundle).toMatchObject({ threadId: fakeId(1), rolloutPath: file, logLines: 3, logsTruncated: false });
    expect(path.dirname(bundle.path)).toBe(path.join(home, "feedback"));
    expect(statSync(bundle.path).mode & 0o777).toBe(0o600);
    const files = untarGz(readFileSync(bundle.path));
    expect([...files.keys()]).toEqual(["metadata.json", path.basename(file), "codex-logs.log"]);
    // What a person gets opens with the system's tar too.
    const listed = spawnSync("tar", ["tzf", bundle.path], { encoding: "utf8" });
    expect(listed.status, listed.stderr).toBe(0);
    expect(listed.stdout.split("\n").filter(Boolean)).toEqual(["metadata.json", path.basename(file), "codex-logs.log"]);

    const journal = files.get(path.basename(file))!;
    expect(journal).not.toContain(KEY);
    expect(journal).not.toContain(SHAPED);
    expect(journal).toContain("[REDACTED]");
    expect(journal.split("\n").filter(Boolean).map((l) => JSON.parse(l).type)).toEqual([
      "session_meta", "turn_context", "response_item", "event_msg", "event_msg",
    ]);

    expect(files.get("codex-logs.log")!.split("\n")).toEqual([
      "2026-11-01T12:00:00.000Z  INFO core.runtime: process started",
      "2026-11-01T12:00:00.001Z  INFO turn{turn_id=t1}: core.turn: turn started model=gpt-5.5",
      "2026-11-01T12:00:00.002Z  WARN core.model: retrying with [REDACTED]",
      "",
    ]);
    expect(JSON.parse(files.get("metadata.json")!)).toMatchObject({
      thread_id: fakeId(1),
      codex_version: "9.9.9",
      rollout_file: path.basename(file),
      archived: false,
      log_lines: 3,
      logs_truncated: false,
    });
  });

  test("caps the log on whole lines, keeping the newest", async () => {
    session(1);
    const state = openStateDb({ codexHome: home })!;
    const rows = Array.from({ length: 50 }, (_, i) => ({ tsMs: Date.UTC(2026, 0, 1) + i, level: "INFO" as const, target: "t", message: `line ${i}`, threadId: fakeId(1) }));
    createLogStore(state.db).insert(rows, { processUuid: "p" });
    state.close();
    const lineBytes = "2026-01-01T00:00:00.000Z  INFO t: line 49\n".length;
    const bundle = await exportFeedbackBundle({ codexHome: home, threadId: fakeId(1), maxLogBytes: lineBytes * 3 + 5 });
    expect(bundle).toMatchObject({ logLines: 3, logsTruncated: true });
    const log = untarGz(readFileSync(bundle.path)).get("codex-logs.log")!;
    expect(log.split("\n").filter(Boolean).map((l) => l.replace(/^.* t: /, ""))).toEqual(["line 47", "line 48", "line 49"]);
  });

  test("without a state database the bundle says no logs were recorded; without a thread id it takes the newest", async () => {
    session(1);
    session(3);
    const bundle = await exportFeedbackBundle({ codexHome: home });
    expect(bundle.threadId).toBe(fakeId(3));
    const files = untarGz(readFileSync(bundle.path));
    expect(files.get("codex-logs.log")).toBe(`${NO_LOGS_NOTE}\n`);
    expect(JSON.parse(files.get("metadata.json")!)).toMatchObject({ log_lines: 0, logs_note: NO_LOGS_NOTE });
  });

  test("an unknown thread is a clear error and writes nothing", async () => {
    session(1);
    await expect(exportFeedbackBundle({ codexHome: home, threadId: "nope" })).rejects.toThrow(new FeedbackExportError("No saved session found with ID nope"));
    await expect(exportFeedbackBundle({ codexHome: path.join(home, "empty") })).rejects.toThrow(/No saved sessions found/);
    expect(() => statSync(path.join(home, "feedback"))).toThrow();
  });
});
