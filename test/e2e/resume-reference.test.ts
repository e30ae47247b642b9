import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CODEX_BIN, parseJsonl, runBinary, useFakeServerEnv, type RunResult, type TestEnv } from "../support/codex-env.js";
import type { FakeServer } from "../support/fake-responses-server.js";
import { sse } from "../support/fake-responses-server.js";
import { completed, created, functionCall, textMessage } from "../support/sse.js";
import { REFERENCE_BIN } from "../support/app-server-schema.js";

// Rollout files are a shared contract: a session one binary wrote, the other resumes, and the model sees the
// whole conversation again (the prompt, the shell call and its output, the answer) before the new prompt.
// Skips when the reference 0.169 binary is absent (it is installed by `npm run bench` into .bench-cache/).

let server: FakeServer;
let t: TestEnv;
useFakeServerEnv((s, e) => {
  server = s;
  t = e;
});

const ours = (args: string[]) => [process.execPath, CODEX_BIN, ...args];
const reference = (args: string[]) => [REFERENCE_BIN, ...args];

const run = (argv: string[]): Promise<RunResult> => runBinary(argv, { cwd: t.repo, env: t.env });

const itemsOf = (input: any[]) =>
  input.map((i) => [i.type, i.role ?? null, i.call_id ?? null, String(i.content?.[0]?.text ?? i.output ?? "")]);

describe.skipIf(!existsSync(REFERENCE_BIN))("sessions resumed across binaries", () => {
  it.each([
    ["ours", "the reference", ours, reference],
    ["the reference", "ours", reference, ours],
  ] as const)("a session %s wrote, %s resumes with its whole history", async (_w, _r, writer, resumer) => {
    server.enqueue(
      sse(created("r1"), functionCall("call_sh", "exec_command", { cmd: "echo marker-from-shell" }), completed("r1")),
      sse(created("r2"), textMessage("first answer"), completed("r2")),
      sse(created("r3"), textMessage("second answer"), completed("r3")),
    );
    const first = await run(writer(["exec", "--json", "-s", "danger-full-access", "first prompt"]));
    expect(first.code, first.stderr).toBe(0);
    const threadId = parseJsonl(first.stdout).find((e) => e.type === "thread.started")?.thread_id;
    expect(threadId).toMatch(/^[0-9a-f-]{36}$/);

    const second = await run(resumer(["exec", "--json", "resume", threadId, "second prompt"]));
    expect(second.code, second.stderr).toBe(0);
    const events = parseJsonl(second.stdout);
    expect(events.find((e) => e.type === "thread.started")?.thread_id).toBe(threadId);
    expect(events.some((e) => e.type === "item.completed" && e.item.text === "second answer")).toBe(true);

    const [, , third] = await server.waitForRequests(3);
    const items = itemsOf(third!.input);
    const at = (pred: (row: (typeof items)[number]) => boolean) => items.findIndex(pred);
    const firstPrompt = at((r) => r[1] === "user" && r[3] === "first prompt");
    const call = at((r) => r[0] === "function_call" && r[2] === "call_sh");
    const output = at((r) => r[0] === "function_call_output" && r[2] === "call_sh" && r[3].includes("marker-from-shell"));
    const answer = at((r) => r[1] === "assistant" && r[3] === "first answer");
    const secondPrompt = at((r) => r[1] === "user" && r[3] === "second prompt");
    expect([firstPrompt, call, output, answer, secondPrompt].every((i) => i >= 0), JSON.stringify(items)).toBe(true);
    expect(firstPrompt < call && call < output && output < answer && answer < secondPrompt).toBe(true);
    expect(secondPrompt).toBe(items.length - 1);
    expect(server.refusedRequests).toEqual([]);
  });
});
