import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { spawnAppServer } from "../support/app-server-client.js";
import { REFERENCE_BIN } from "../support/app-server-schema.js";
import { CODEX_BIN, parseJsonl, runBinary, useFakeServerEnv, type RunResult, type TestEnv } from "../support/codex-env.js";
import type { FakeServer } from "../support/fake-responses-server.js";
import { sse } from "../support/fake-responses-server.js";
import { completed, created, customToolCall, functionCall, reasoning, textMessage } from "../support/sse.js";

// Rollout files are a public contract: the event_msg lines a session of ours writes have the reference 0.169's
// field names (compared with what its binary wrote: test/fixtures/rollout-reference), and a session ours wrote,
// then the reference continued, reads back in our app-server's thread/read with both binaries' turns.

let server: FakeServer;
let t: TestEnv;
useFakeServerEnv((s, e) => {
  server = s;
  t = e;
});

const run = (argv: string[]): Promise<RunResult> => runBinary(argv, { cwd: t.repo, env: t.env });

type Payload = Record<string, unknown>;

function rolloutFile(codexHome: string): string {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.startsWith("rollout-") && e.name.endsWith(".jsonl")) found.push(p);
    }
  };
  walk(path.join(codexHome, "sessions"));
  expect(found).toHaveLength(1);
  return found[0]!;
}

const eventPayloads = (file: string): Payload[] =>
  readFileSync(file, "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as { type: string; payload: Payload })
    .filter((l) => l.type === "event_msg")
    .map((l) => l.payload);

const shapeOf = (p: Payload): string => `${String(p.type)}${(p.item as { type?: string } | undefined)?.type ? `:${(p.item as { type: string }).type}` : ""}`;

const reference = (): Map<string, Payload> => {
  const lines = readFileSync(path.join(import.meta.dirname, "..", "fixtures", "rollout-reference", "event-msg-0.169.jsonl"), "utf8").trim().split("\n");
  const out = new Map<string, Payload>();
  for (const l of lines) {
    const p = (JSON.parse(l) as { payload: Payload }).payload;
    if (!p.error && !out.has(shapeOf(p))) out.set(shapeOf(p), p);
  }
  return out;
};

/** Fields of ours the reference's items have no place for (kept so a read gives our event back). */
const OUR_ITEM_FIELDS = ["command_line", "diff"];

async function writeOurSession(): Promise<{ threadId: string; file: string }> {
  const patch = "*** Begin Patch\n*** Add File: hello.txt\n+hello\n*** End Patch\n";
  server.enqueue(
    sse(created("r1"), ...reasoning("looking"), functionCall("call_sh", "exec_command", { cmd: "echo marker-from-shell" }), completed("r1")),
    sse(created("r2"), customToolCall("call_patch", "apply_patch", patch), completed("r2")),
    sse(created("r3"), textMessage("first answer"), completed("r3")),
  );
  const first = await run([process.execPath, CODEX_BIN, "exec", "--json", "-s", "danger-full-access", "first prompt"]);
  expect(first.code, first.stderr).toBe(0);
  const threadId = parseJsonl(first.stdout).find((e) => e.type === "thread.started")?.thread_id as string;
  expect(threadId).toMatch(/^[0-9a-f-]{36}$/);
  return { threadId, file: rolloutFile(t.codexHome) };
}

describe("rollout event_msg lines", () => {
  it("a session of ours journals its events with the reference's type and field names", async () => {
    const { threadId, file } = await writeOurSession();
    const events = eventPayloads(file);
    expect(events.flatMap((p) => Object.keys(p).filter((k) => /[A-Z]/.test(k)))).toEqual([]);
    const shapes = new Set(events.map(shapeOf));
    const expected = [
      "task_started",
      "item_completed:UserMessage",
      "item_completed:Reasoning",
      "item_completed:CommandExecution",
      "item_completed:FileChange",
      "item_completed:AgentMessage",
      "token_count",
      "task_complete",
    ];
    expect([...shapes].sort()).toEqual(expect.arrayContaining(expected));
    const ref = reference();
    for (const shape of expected) {
      const mine = events.find((p) => shapeOf(p) === shape)!;
      const theirs = ref.get(shape)!;
      // Every field we write, the reference writes too (what it has and we lack: event-codec.test.ts).
      expect(Object.keys(mine).filter((k) => !(k in theirs)), shape).toEqual([]);
      if (theirs.item) {
        const extra = Object.keys(mine.item as Payload).filter((k) => !(k in (theirs.item as Payload)) && !OUR_ITEM_FIELDS.includes(k));
        expect(extra, shape).toEqual([]);
      }
      if (mine.thread_id !== undefined) expect(mine.thread_id).toBe(threadId);
    }
    const turnId = events.find((p) => p.type === "task_started")!.turn_id;
    expect(events.filter((p) => p.type === "item_completed").every((p) => p.turn_id === turnId)).toBe(true);
    const command = events.find((p) => shapeOf(p) === "item_completed:CommandExecution")!.item as Payload;
    expect(command).toMatchObject({ id: "call_sh", exit_code: 0, status: "completed", aggregated_output: "marker-from-shell\n" });
    expect((command.command as string[]).at(-1)).toContain("echo marker-from-shell");
  });

  describe.skipIf(!existsSync(REFERENCE_BIN))("with the reference 0.169", () => {
    it("continues our session (exec resume), and our thread/read shows both binaries' turns", async () => {
      const { threadId, file } = await writeOurSession();
      server.enqueue(sse(created("r4"), textMessage("second answer"), completed("r4")));
      const second = await run([REFERENCE_BIN, "exec", "--json", "resume", threadId, "second prompt"]);
      expect(second.code, second.stderr).toBe(0);
      const [, , , fourth] = await server.waitForRequests(4);
      expect(JSON.stringify(fourth!.input)).toContain("marker-from-shell");
      expect(server.refusedRequests).toEqual([]);
      // The reference appended its own lines (item_completed etc.) to our file.
      expect(eventPayloads(file).filter((p) => p.type === "task_started")).toHaveLength(2);

      const client = spawnAppServer({ env: t.env, cwd: t.repo });
      try {
        await client.initialize();
        const read = await client.call("thread/read", { threadId, includeTurns: true });
        const turns = read.thread.turns as Array<{ status: string; items: Array<{ type: string; text?: string; content?: Array<{ text?: string }> }> }>;
        expect(turns.map((x) => x.status)).toEqual(["completed", "completed"]);
        expect(turns[0]!.items.map((i) => i.type)).toEqual(["userMessage", "reasoning", "commandExecution", "fileChange", "agentMessage"]);
        // The journaled command keeps where it ran.
        expect(turns[0]!.items[2]).toMatchObject({ type: "commandExecution", cwd: t.repo, exitCode: 0 });
        expect(turns[1]!.items.map((i) => i.type)).toEqual(["userMessage", "agentMessage"]);
        expect(turns[1]!.items[0]!.content?.[0]?.text).toBe("second prompt");
        expect(turns[1]!.items[1]!.text).toBe("second answer");
      } finally {
        await client.close();
      }
    });
  });
});
