// codex archive / unarchive / delete: the rollout moves between sessions/ and archived_sessions/,
// resume no longer sees an archived session, and an unknown id is one line of error.
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { parseJsonl, runCodex, type TestEnv, useFakeServerEnv } from "../support/codex-env.js";
import { sse, type FakeServer } from "../support/fake-responses-server.js";
import { completed, created, textMessage } from "../support/sse.js";

let server: FakeServer;
let t: TestEnv;

useFakeServerEnv((s, e) => ((server = s), (t = e)));

async function execTurn(prompt: string): Promise<string> {
  server.enqueue(sse(created(), textMessage(`answer to ${prompt}`), completed()));
  const r = await runCodex(["exec", "--json", prompt], { env: t.env, cwd: t.repo });
  expect(r.code, r.stderr + r.stdout).toBe(0);
  return parseJsonl(r.stdout)[0].thread_id;
}

const archivedFiles = () => {
  const dir = path.join(t.codexHome, "archived_sessions");
  return existsSync(dir) ? readdirSync(dir) : [];
};

describe("archive / unarchive / delete", () => {
  test("round trip: archived sessions are hidden from resume --last and the resume list", async () => {
    const older = await execTurn("first session");
    const newer = await execTurn("second session");

    const a = await runCodex(["archive", newer], { env: t.env, cwd: t.repo });
    expect(a.code, a.stderr).toBe(0);
    expect(archivedFiles()).toEqual([expect.stringMatching(new RegExp(`^rollout-.*-${newer}\\.jsonl$`))]);

    // resume --last now takes the older session; the list does not show the archived one.
    server.enqueue(sse(created(), textMessage("resumed"), completed()));
    const resumed = await runCodex(["exec", "--json", "resume", "--last", "go on"], { env: t.env, cwd: t.repo });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(parseJsonl(resumed.stdout)[0].thread_id).toBe(older);
    const list = await runCodex(["resume", "--include-non-interactive"], { env: t.env, cwd: t.repo });
    expect(list.stdout).toContain(older);
    expect(list.stdout).not.toContain(newer);
    // Resuming the archived id directly fails too.
    const direct = await runCodex(["exec", "resume", newer, "hi"], { env: t.env, cwd: t.repo });
    expect(direct.code).toBe(1);

    const u = await runCodex(["unarchive", newer], { env: t.env, cwd: t.repo });
    expect(u.code, u.stderr).toBe(0);
    expect(archivedFiles()).toEqual([]);
    const listAgain = await runCodex(["resume", "--include-non-interactive"], { env: t.env, cwd: t.repo });
    expect(listAgain.stdout).toContain(newer);

    // delete without a terminal needs --force; with it, the session is gone (archived ones too).
    const refused = await runCodex(["delete", newer], { env: t.env, cwd: t.repo });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/--force/);
    await runCodex(["archive", older], { env: t.env, cwd: t.repo });
    for (const id of [newer, older]) {
      const d = await runCodex(["delete", "--force", id], { env: t.env, cwd: t.repo });
      expect(d.code, d.stderr).toBe(0);
    }
    expect(archivedFiles()).toEqual([]);
    const empty = await runCodex(["resume", "--include-non-interactive"], { env: t.env, cwd: t.repo });
    expect(empty.stdout).toBe("");
  });

  test("a session another live process is writing is neither archived nor deleted", async () => {
    const id = await execTurn("busy session");
    const dayDir = path.join(t.codexHome, "sessions");
    const find = (dir: string): string => {
      for (const name of readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, name.name);
        if (name.isDirectory()) {
          const hit = find(p);
          if (hit) return hit;
        } else if (name.name.endsWith(`${id}.jsonl`)) return p;
      }
      return "";
    };
    const rollout = find(dayDir);
    // This test process is alive: its pid in the lock marks the session as in use.
    writeFileSync(`${rollout}.lock`, `${process.pid}\n`);
    for (const args of [["archive", id], ["delete", "--force", id]]) {
      const r = await runCodex(args, { env: t.env, cwd: t.repo });
      expect(r.code, args.join(" ")).toBe(1);
      expect(r.stderr).toBe(`Error: session ${id} is in use by another codex process (pid ${process.pid})\n`);
      expect(existsSync(rollout)).toBe(true);
    }
  });

  test("an unknown id is a one-line error, exit 1, for each command", async () => {
    const id = "0199a213-81c0-7800-8aa1-bbab2a035a53";
    for (const args of [["archive", id], ["unarchive", id], ["delete", "--force", id], ["archive", "../x"]]) {
      const r = await runCodex(args, { env: t.env, cwd: t.repo });
      expect(r.code, args.join(" ")).toBe(1);
      expect(r.stderr.trim().split("\n"), args.join(" ")).toEqual([expect.stringMatching(/^Error: No .*session found matching '/)]);
      expect(r.stdout).toBe("");
    }
  });
});
