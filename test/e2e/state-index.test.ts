// `codex exec resume --last` and `codex resume` find sessions through the state index ($CODEX_HOME/state.sqlite).
import { createRequire } from "node:module";
import { rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { parseJsonl, runCodex, type TestEnv, useFakeServerEnv } from "../support/codex-env.js";
import { sse, type FakeServer } from "../support/fake-responses-server.js";
import { completed, created, textMessage } from "../support/sse.js";
import { SCAN_BUDGET } from "../../src/core/persistence/rollout-store.js";
import { fakeId, writeSession } from "../state/session-files.js";

let server: FakeServer;
let t: TestEnv;

useFakeServerEnv((s, e) => ((server = s), (t = e)));

async function exec(args: string[]): Promise<string> {
  server.enqueue(sse(created(), textMessage("ok"), completed()));
  const r = await runCodex(["exec", "--json", ...args], { env: t.env, cwd: t.repo });
  expect(r.code, r.stderr + r.stdout).toBe(0);
  return parseJsonl(r.stdout)[0].thread_id;
}

/** Newer sessions of another folder, more than a short scan reads: resume --last here needs the index. */
function crowdOut(from: number): void {
  for (let n = 0; n < SCAN_BUDGET + 5; n++) {
    writeSession({ codexHome: t.codexHome, id: fakeId(from + n), date: new Date(Date.now() + 60_000 + n * 1000), cwd: "/elsewhere", prompt: `other ${n}` });
  }
}

function indexedThreads(): { id: string; first_user_message: string; model: string | null; cwd: string }[] {
  const Database = createRequire(import.meta.url)("better-sqlite3");
  const db = new Database(path.join(t.codexHome, "state.sqlite"), { readonly: true });
  try {
    return db.prepare("SELECT id, first_user_message, model, cwd FROM threads WHERE archived = 0 AND cwd <> '/elsewhere' ORDER BY sort_key").all();
  } finally {
    db.close();
  }
}

describe("state index", () => {
  test("resume --last goes through the index, which picks up sessions made after it was built", async () => {
    const first = await exec(["first session"]);
    crowdOut(1);
    expect(await exec(["resume", "--last", "again"])).toBe(first);
    expect(indexedThreads()).toEqual([{ id: first, first_user_message: "first session", model: "gpt-5.5", cwd: t.repo }]);

    const second = await exec(["second session"]);
    crowdOut(100);
    expect(await exec(["resume", "--last", "and again"])).toBe(second);
    expect(indexedThreads().map((r) => r.id)).toEqual([first, second]);

    const list = await runCodex(["resume", "--include-non-interactive"], { env: t.env, cwd: t.repo });
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout.split("\n").filter(Boolean).map((l) => l.split(" ")[0])).toEqual([second, first]);
    const all = await runCodex(["resume", "--all", "--include-non-interactive"], { env: t.env, cwd: t.repo });
    expect(all.stdout.split("\n").filter(Boolean)).toHaveLength(2 * (SCAN_BUDGET + 5) + 2);
  });

  test("a corrupt state.sqlite is moved aside with a warning and resume still works", async () => {
    const first = await exec(["only session"]);
    crowdOut(1);
    for (const suffix of ["-wal", "-shm"]) rmSync(path.join(t.codexHome, `state.sqlite${suffix}`), { force: true });
    writeFileSync(path.join(t.codexHome, "state.sqlite"), "garbage".repeat(1000));
    server.enqueue(sse(created(), textMessage("ok"), completed()));
    const r = await runCodex(["exec", "resume", "--last", "go on"], { env: t.env, cwd: t.repo });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/warning: state database .*state\.sqlite was corrupt; moved it to .*state\.sqlite\.corrupt-\d+ and started a fresh one/);
    expect(indexedThreads().map((x) => x.id)).toEqual([first]);
  });
});
