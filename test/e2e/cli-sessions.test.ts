// Session commands across runs: exec resume --last/--all, codex fork, codex resume listing.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { parseJsonl, runCodex, type TestEnv, useFakeServerEnv } from "../support/codex-env.js";
import { sse, type FakeServer } from "../support/fake-responses-server.js";
import { completed, created, textMessage } from "../support/sse.js";

let server: FakeServer;
let t: TestEnv;

useFakeServerEnv((s, e) => ((server = s), (t = e)));

async function execTurn(prompt: string, answer: string, o: { cwd?: string; extra?: string[] } = {}): Promise<string> {
  server.enqueue(sse(created(), textMessage(answer), completed()));
  const r = await runCodex(["exec", "--json", ...(o.extra ?? []), prompt], { env: t.env, cwd: o.cwd ?? t.repo });
  expect(r.code, r.stderr + r.stdout).toBe(0);
  return parseJsonl(r.stdout)[0].thread_id;
}

describe("exec resume --last", () => {
  test("is scoped to the cwd unless --all", async () => {
    const other = path.join(t.repo, "elsewhere");
    mkdirSync(other);
    const here = await execTurn("in repo", "a1");
    const there = await execTurn("in other dir", "a2", { cwd: other });
    expect(there).not.toBe(here);

    server.enqueue(sse(created(), textMessage("b"), completed()), sse(created(), textMessage("c"), completed()));
    // From the repo, --all takes the newest session anywhere (started in the other dir)…
    const all = await runCodex(["exec", "--json", "resume", "--last", "--all", "next"], { env: t.env, cwd: t.repo });
    expect(all.code, all.stderr + all.stdout).toBe(0);
    expect(parseJsonl(all.stdout)[0].thread_id).toBe(there);
    expect(server.requests.at(-1)!.inputText()).toContain("in other dir");

    // …while plain --last only looks at sessions whose cwd is the repo.
    const scoped = await runCodex(["exec", "--json", "resume", "--last", "next"], { env: t.env, cwd: t.repo });
    expect(scoped.code, scoped.stderr).toBe(0);
    expect(parseJsonl(scoped.stdout)[0].thread_id).toBe(here);
    expect(server.requests.at(-1)!.inputText()).toContain("in repo");
  });

  test("with no saved session fails clearly and sends nothing", async () => {
    const r = await runCodex(["exec", "--json", "resume", "--last", "hello"], { env: t.env, cwd: t.repo });
    expect(r.code).toBe(1);
    expect(r.stderr + r.stdout).toMatch(/no .*session/i);
    expect(server.requests).toHaveLength(0);
  });
});

describe("codex fork", () => {
  test("fork ID PROMPT starts a new thread whose first request carries the old history", async () => {
    const original = await execTurn("remember the word PAPAYA", "noted PAPAYA");
    server.enqueue(sse(created(), textMessage("forked answer"), completed()));
    const r = await runCodex(["fork", original, "what was the word?"], { env: t.env, cwd: t.repo });
    expect(r.stderr).not.toMatch(/Error:/);
    expect(r.code).toBe(0);
    const req = server.requests[1]!;
    expect(req.inputText()).toContain("remember the word PAPAYA");
    expect(JSON.stringify(req.input)).toContain("noted PAPAYA");
    expect(req.lastUserText()).toBe("what was the word?");
    const newId = req.headers["session-id"];
    expect(newId).toMatch(/^[0-9a-f-]{36}$/);
    expect(newId).not.toBe(original);
    expect(req.body.prompt_cache_key).toBe(newId);

    // The original is untouched: resuming it does not see the forked turn.
    server.enqueue(sse(created(), textMessage("orig"), completed()));
    const back = await runCodex(["exec", "--json", "resume", original, "again"], { env: t.env, cwd: t.repo });
    expect(parseJsonl(back.stdout)[0].thread_id).toBe(original);
    expect(server.requests[2]!.inputText()).not.toContain("what was the word?");
  });

  test("fork of an unknown id fails with exit 1 naming the id", async () => {
    const bogus = "0190e3c4-0000-7000-8000-00000000beef";
    const r = await runCodex(["fork", bogus, "x"], { env: t.env, cwd: t.repo });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(bogus);
    expect(server.requests).toHaveLength(0);
  });

  test("exec fork ID PROMPT does the same from exec", async () => {
    const original = await execTurn("first words", "first reply");
    server.enqueue(sse(created(), textMessage("fork reply"), completed()));
    const r = await runCodex(["exec", "--json", "fork", original, "more"], { env: t.env, cwd: t.repo });
    expect(r.code).toBe(0);
    const forkId = parseJsonl(r.stdout)[0].thread_id;
    expect(forkId).not.toBe(original);
    expect(server.requests[1]!.inputText()).toContain("first words");
  });
});

describe("codex resume (no id)", () => {
  test("exec sessions are listed only with --include-non-interactive", async () => {
    const id = await execTurn("listed prompt", "ok");
    const hidden = await runCodex(["resume"], { env: t.env, cwd: t.repo });
    expect(hidden.stdout).not.toContain(id);
    expect(hidden.code).not.toBe(0);
    const shown = await runCodex(["resume", "--include-non-interactive"], { env: t.env, cwd: t.repo });
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain(id);
  });
});

describe("codex resume/fork take the program's options", () => {
  test("options before the subcommand apply (`codex -m M resume ID P`), nearer ones win, and -a is accepted after it", async () => {
    const id = await execTurn("first", "one");
    server.enqueue(sse(created(), textMessage("two"), completed()), sse(created(), textMessage("three"), completed()));
    const root = await runCodex(["-m", "gpt-root-flag", "resume", id, "second"], { env: t.env, cwd: t.repo });
    expect(root.code, root.stderr).toBe(0);
    expect(server.requests[1]!.body.model).toBe("gpt-root-flag");
    const nearer = await runCodex(["-m", "gpt-root-flag", "fork", "-m", "gpt-own-flag", "-a", "never", id, "third"], { env: t.env, cwd: t.repo });
    expect(nearer.code, nearer.stderr).toBe(0);
    expect(server.requests[2]!.body.model).toBe("gpt-own-flag");
  });
});
