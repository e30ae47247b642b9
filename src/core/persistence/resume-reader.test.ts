import { describe, expect, test } from "vitest";
import { reconstructThread } from "./reconstruct.js";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { readRolloutForResume } from "./resume-reader.js";
import { parseRolloutText, isKnownRolloutLine } from "./rollout-reader.js";
import type { RolloutLine } from "./contract.js";

const ts = "2026-12-01T00:00:00.000Z";
const line = (type: string, payload: unknown) => JSON.stringify({ timestamp: ts, type, payload }) + "\n";
const user = (text: string) => ({ type: "message", role: "user", content: [{ type: "input_text", text }] });

function rollout(): string {
  let text = line("session_meta", { id: "t", timestamp: ts, cwd: "/r", originator: "o", cli_version: "0", source: "exec" });
  text += line("turn_context", { turn_id: "t1", cwd: "/r", approval_policy: "never", sandbox_policy: {}, model: "m" });
  for (let i = 0; i < 50; i++) text += line("response_item", user(`old ${i} says "type":"compacted" in text`));
  text += line("event_msg", { type: "token_count", info: { total_token_usage: { total_tokens: 7 }, last_token_usage: { total_tokens: 3 } } });
  text += line("compacted", { message: "S1", replacement_history: [user("first summary")] });
  text += line("response_item", user("between"));
  text += line("compacted", { message: "S2", replacement_history: [user("second summary")] });
  text += line("response_item", user("after"));
  return text + '{"timestamp":"x","type":"response_item","payload":{"torn":';
}

async function rolloutLinesForResume(text: string): Promise<RolloutLine[]> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "resume-reader-"));
  try {
    const file = path.join(dir, "r.jsonl");
    writeFileSync(file, text);
    return await readRolloutForResume(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("readRolloutForResume", () => {
  test("parses only what follows the last compacted line, plus meta, last turn_context and token_count", async () => {
    const lines = await rolloutLinesForResume(rollout());
    expect(lines.map((l) => l.type)).toEqual(["session_meta", "turn_context", "event_msg", "compacted", "response_item"]);
    expect((lines[3] as Extract<RolloutLine, { type: "compacted" }>).payload.message).toBe("S2");
  });

  test("rebuilds the same thread as a full read, also when lines cross the 256 KB read steps", async () => {
    const full = parseRolloutText(rollout()).filter(isKnownRolloutLine);
    expect(reconstructThread(await rolloutLinesForResume(rollout()))).toEqual(reconstructThread(full));
    // Big lines (~100 KB each) so the compacted line and the lines before it span read steps.
    const big = rollout().replace(/old (\d+) says/g, (_m, n) => `old ${n} ${"z".repeat(100_000)} says`);
    const lines = await rolloutLinesForResume(big);
    expect(lines.map((l) => l.type)).toEqual(["session_meta", "turn_context", "event_msg", "compacted", "response_item"]);
    expect(reconstructThread(lines)).toEqual(reconstructThread(parseRolloutText(big).filter(isKnownRolloutLine)));
  });

  test("without a compacted line it is a full read", async () => {
    const text = line("session_meta", { id: "t", timestamp: ts, cwd: "/r", originator: "o", cli_version: "0", source: "exec" }) + line("response_item", user("q"));
    expect(await rolloutLinesForResume(text)).toHaveLength(2);
  });
});
