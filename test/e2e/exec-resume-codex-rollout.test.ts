// A session written in the reference Codex's rollout layout (base instructions in session_meta,
// token counts as `info.total_token_usage`, line types we do not model) resumes in codex-ts.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "vitest";
import { parseJsonl, runCodex, type TestEnv, useFakeServerEnv } from "../support/codex-env.js";
import { sse, type FakeServer } from "../support/fake-responses-server.js";
import { completed, created, textMessage } from "../support/sse.js";

let server: FakeServer;
let t: TestEnv;

useFakeServerEnv((s, e) => ((server = s), (t = e)));

const ID = "01a21ec4-0000-7000-8000-00000000c0de";
const usage = (input: number, output: number) => ({
  input_tokens: input,
  cached_input_tokens: 0,
  output_tokens: output,
  reasoning_output_tokens: 0,
  total_tokens: input + output,
});

function writeCodexStyleRollout(cwd: string): void {
  const dir = path.join(t.codexHome, "sessions", "2026", "11", "27");
  mkdirSync(dir, { recursive: true });
  const ts = "2026-11-27T20:00:00.000Z";
  const lines = [
    { type: "session_meta", payload: { id: ID, timestamp: ts, cwd, originator: "codex_exec", cli_version: "0.169.0", source: "exec", model_provider: "openai", base_instructions: { text: "someone else's base prompt" } } },
    { type: "event_msg", payload: { type: "task_started", turn_id: "t1" } },
    { type: "response_item", payload: { type: "message", role: "user", content: [{ type: "input_text", text: "<environment_context>\n  <cwd>" + cwd + "</cwd>\n</environment_context>" }] } },
    { type: "world_state", payload: { anything: true } },
    { type: "turn_context", payload: { turn_id: "t1", cwd, approval_policy: "never", sandbox_policy: { type: "read-only" }, model: "gpt-5.5" } },
    { type: "response_item", payload: { type: "message", role: "user", content: [{ type: "input_text", text: "earlier question" }] } },
    { type: "response_item", payload: { type: "message", role: "assistant", content: [{ type: "output_text", text: "earlier answer", annotations: [] }] } },
    { type: "event_msg", payload: { type: "token_count", info: { total_token_usage: usage(500, 40), last_token_usage: usage(500, 40), model_context_window: 272000 } } },
    { type: "event_msg", payload: { type: "task_complete", turn_id: "t1", last_agent_message: "earlier answer" } },
  ];
  const text = lines.map((l) => JSON.stringify({ timestamp: ts, ...l })).join("\n") + "\n";
  writeFileSync(path.join(dir, `rollout-2026-11-27T20-00-00-${ID}.jsonl`), text);
}

test("exec resume of a Codex-layout rollout: history, our base instructions first, usage continues", async () => {
  writeCodexStyleRollout(t.repo);
  server.enqueue(sse(created(), textMessage("continued"), completed("r", { input_tokens: 100, output_tokens: 10 })));
  const r = await runCodex(["exec", "--json", "resume", ID, "next question"], { env: t.env, cwd: t.repo });
  expect(r.stderr).not.toContain("Error");
  expect(r.code).toBe(0);
  const events = parseJsonl(r.stdout);
  expect(events[0]).toEqual({ type: "thread.started", thread_id: ID });
  expect(events.at(-1)).toMatchObject({ type: "turn.completed", usage: { input_tokens: 600, output_tokens: 50 } });

  const input = server.requests[0]!.input;
  expect(input[0]).toMatchObject({ type: "message", role: "developer" });
  expect(JSON.stringify(input[0])).not.toContain("someone else's base prompt");
  const texts = input.map((i: { content?: Array<{ text?: string }> }) => i.content?.[0]?.text ?? "");
  expect(texts.indexOf("earlier question")).toBeGreaterThan(0);
  expect(texts.indexOf("earlier answer")).toBe(texts.indexOf("earlier question") + 1);
  expect(texts.at(-1)).toBe("next question");
});
