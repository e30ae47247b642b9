// A turn's text input is bounded like the reference's (1,048,576 characters across its text
// inputs): over the bound the turn fails with `Input exceeds the maximum length of 1048576
// characters.` before anything is sent or journaled; at the bound it goes out, journaled once.
import { execFileSync, spawnSync } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "vitest";
import { CODEX_BIN, parseJsonl, runCodex, type TestEnv, useFakeServerEnv } from "../support/codex-env.js";
import { sse, type FakeServer } from "../support/fake-responses-server.js";
import { completed, created, textMessage } from "../support/sse.js";

let server: FakeServer;
let t: TestEnv;

useFakeServerEnv((s, e) => ((server = s), (t = e)));

const MAX = 1_048_576;
const MESSAGE = "Input exceeds the maximum length of 1048576 characters.";
/** A prompt of exactly `n` characters that starts with a marker we can count in the journal. */
const prompt = (n: number): string => "MARK:" + "é".repeat(n - 5);

function rolloutOf(stdout: string): string {
  const threadId = parseJsonl(stdout).find((e) => e.type === "thread.started")?.thread_id as string;
  const file = execFileSync("find", [`${t.codexHome}/sessions`, "-name", `*${threadId}.jsonl`]).toString().trim();
  return readFileSync(file, "utf8");
}

test("a prompt one character over the bound is refused: nothing sent, nothing journaled, non-zero exit", async () => {
  const r = await runCodex(["exec", "--json"], { env: t.env, cwd: t.repo, stdin: prompt(MAX + 1), timeoutMs: 60_000 });
  expect(r.code).not.toBe(0);
  expect(server.requests).toHaveLength(0);
  const events = parseJsonl(r.stdout);
  expect(events.slice(-2)).toEqual([
    { type: "error", message: MESSAGE },
    { type: "turn.failed", error: { message: MESSAGE } },
  ]);
  const journal = rolloutOf(r.stdout);
  expect(journal).not.toContain("MARK:");
  expect(journal).not.toContain('"turn_context"');

  // Human mode says so on stderr (a file here; test/e2e/exit-flush.test.ts covers a slow pipe).
  const errFile = path.join(t.home, "stderr.txt");
  const fd = openSync(errFile, "w");
  const human = spawnSync(process.execPath, [CODEX_BIN, "exec"], {
    cwd: t.repo,
    env: t.env,
    input: prompt(MAX + 1),
    stdio: ["pipe", "pipe", fd],
    timeout: 60_000,
  });
  closeSync(fd);
  expect(human.status).toBe(1);
  expect(readFileSync(errFile, "utf8").trimEnd().endsWith(`ERROR: ${MESSAGE}`)).toBe(true);
  expect(server.requests).toHaveLength(0);
});

test("a prompt at the bound goes out whole and is journaled once (response item + user_message event)", async () => {
  server.enqueue(sse(created(), textMessage("read it"), completed()));
  const text = prompt(MAX);
  const r = await runCodex(["exec", "--json"], { env: t.env, cwd: t.repo, stdin: text, timeoutMs: 60_000 });
  expect(r.code).toBe(0);
  expect(server.requests).toHaveLength(1);
  expect(server.requests[0]!.lastUserText()).toBe(text);
  const journal = rolloutOf(r.stdout);
  const lines = journal.split("\n").filter((l) => l.includes("MARK:"));
  expect(lines.map((l) => JSON.parse(l).type)).toEqual(["response_item", "event_msg"]);
  expect(journal.split("MARK:")).toHaveLength(3);
});
