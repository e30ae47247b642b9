// Compaction end to end against the fake server, with small limits and scripted usage: mid-turn,
// between turns (exec resume), resume of a compacted session, a summary request that would not
// fit, and the stop after 3 failed summaries.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { parseJsonl, runCodex, type TestEnv, useFakeServerEnv } from "../support/codex-env.js";
import { httpError, sse, type FakeServer, type RecordedRequest } from "../support/fake-responses-server.js";
import { completed, created, functionCall, textMessage } from "../support/sse.js";

let server: FakeServer;
let t: TestEnv;

useFakeServerEnv((s, e) => ((server = s), (t = e)));

const BYPASS = "--dangerously-bypass-approvals-and-sandbox";
const LIMIT = ["-c", "model_auto_compact_token_limit=20000"];
const OVER = { input_tokens: 50_000, output_tokens: 100 };
const UNDER = { input_tokens: 3_000, output_tokens: 10 };

const itemTypes = (r: RecordedRequest): string[] => r.input.map((i) => i.type as string);
const isSummaryRequest = (r: RecordedRequest): boolean => r.lastUserText()?.startsWith("Stop here and write a hand-off note") === true;

function rolloutLines(): any[] {
  const out: any[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".jsonl")) out.push(...readFileSync(p, "utf8").trim().split("\n").map((l) => JSON.parse(l)));
    }
  };
  walk(path.join(t.codexHome, "sessions"));
  return out;
}

describe("auto-compaction", () => {
  test("mid-turn: past the limit after a step, the summary (no tools) replaces the old tool call and the turn goes on", async () => {
    server.enqueue(
      sse(created("r1"), functionCall("call_old", "exec_command", { cmd: "echo OLD-TOOL-OUTPUT" }), completed("r1", OVER)),
      sse(created("r2"), textMessage("SUMMARY-OF-WORK"), completed("r2", UNDER)),
      sse(created("r3"), textMessage("all done"), completed("r3", UNDER)),
    );
    const r = await runCodex(["exec", "--json", BYPASS, ...LIMIT, "do the task"], { env: t.env, cwd: t.repo });
    expect(r.stderr).not.toContain("ERROR");
    expect(r.code).toBe(0);
    expect(server.requests).toHaveLength(3);
    const [first, summary, after] = server.requests as [RecordedRequest, RecordedRequest, RecordedRequest];
    expect(first.body.tools.length).toBeGreaterThan(0);
    // The summarization request: the whole history plus our instruction, no tools offered.
    expect(isSummaryRequest(summary)).toBe(true);
    expect(summary.body.tools).toEqual([]);
    expect(summary.body.parallel_tool_calls).toBe(false);
    expect(itemTypes(summary)).toContain("function_call_output");
    // The next request carries the summary instead of the old tool call and its output.
    expect(itemTypes(after)).not.toContain("function_call");
    expect(itemTypes(after)).not.toContain("function_call_output");
    expect(after.inputText()).toContain("SUMMARY-OF-WORK");
    expect(JSON.stringify(after.input)).not.toContain("OLD-TOOL-OUTPUT");
    expect(JSON.stringify(summary.input)).toContain("OLD-TOOL-OUTPUT");
    expect(after.inputText()).toContain("do the task");
    expect(after.inputText()).toContain("<environment_context>");
    expect(after.body.tools.length).toBeGreaterThan(0);
    // The reference's exec --json shows nothing for a compaction; neither do we.
    const events = parseJsonl(r.stdout);
    expect(events.at(-1).type).toBe("turn.completed");
    expect(JSON.stringify(events)).not.toContain("compact");
    // The journal: a `compacted` line in Codex's layout.
    const compacted = rolloutLines().filter((l) => l.type === "compacted");
    expect(compacted).toHaveLength(1);
    expect(compacted[0].payload.message).toContain("SUMMARY-OF-WORK");
    const replaced = compacted[0].payload.replacement_history as any[];
    expect(replaced.map((i) => i.type)).not.toContain("function_call");
    expect(JSON.stringify(replaced.at(-1))).toContain("SUMMARY-OF-WORK");
  });

  test("between turns: exec resume of a thread already past the limit compacts before its first sample; resuming again starts from the summary", async () => {
    server.enqueue(sse(created("r1"), textMessage(`FIRST-ANSWER ${"long explanation ".repeat(600)}`), completed("r1", OVER)));
    const first = await runCodex(["exec", "--json", ...LIMIT, "first question"], { env: t.env, cwd: t.repo });
    expect(first.code).toBe(0);
    const id = parseJsonl(first.stdout)[0].thread_id;
    expect(server.requests).toHaveLength(1);

    server.enqueue(
      sse(created("r2"), textMessage("SUMMARY-BETWEEN"), completed("r2", UNDER)),
      sse(created("r3"), textMessage("second answer"), completed("r3", UNDER)),
    );
    const second = await runCodex(["exec", ...LIMIT, "resume", id, "second question"], { env: t.env, cwd: t.repo });
    expect(second.stderr).not.toContain("ERROR");
    expect(second.code).toBe(0);
    expect(server.requests).toHaveLength(3);
    expect(isSummaryRequest(server.requests[1]!)).toBe(true);
    expect(server.requests[1]!.body.tools).toEqual([]);
    const turn = server.requests[2]!;
    expect(turn.inputText()).toContain("SUMMARY-BETWEEN");
    expect(JSON.stringify(turn.input)).not.toContain("FIRST-ANSWER");
    expect(turn.inputText()).toContain("first question");
    expect(turn.lastUserText()).toContain("SUMMARY-BETWEEN");
    // Human output: the compaction line with tokens before/after, and the context left at the end.
    expect(second.stderr).toMatch(/context compacted [\d,]+ → [\d,]+ tokens/);
    expect(second.stderr).toMatch(/context left: \d+%/);

    server.enqueue(sse(created("r4"), textMessage("third answer"), completed("r4", UNDER)));
    const third = await runCodex(["exec", "--json", ...LIMIT, "resume", id, "third question"], { env: t.env, cwd: t.repo });
    expect(third.code).toBe(0);
    expect(server.requests).toHaveLength(4);
    const resumed = server.requests[3]!;
    expect(isSummaryRequest(resumed)).toBe(false);
    expect(resumed.inputText()).toContain("SUMMARY-BETWEEN");
    expect(JSON.stringify(resumed.input)).not.toContain("FIRST-ANSWER");
    expect(JSON.stringify(resumed.input)).toContain("second answer");
    expect(resumed.lastUserText()).toBe("third question");
    // Base instructions once, first.
    expect(resumed.input.filter((i) => i.role === "developer" && JSON.stringify(i).includes("You are Codex")).length).toBe(1);
  });

  test("a summary request that would not fit drops the oldest tool outputs first", async () => {
    const big = (tag: string) => `printf '${tag}'; printf '%09000d' 0`;
    server.enqueue(
      sse(created("r1"), functionCall("call_a", "exec_command", { cmd: big("FIRST-OUT") }), completed("r1", { input_tokens: 100, output_tokens: 5 })),
      sse(created("r2"), functionCall("call_b", "exec_command", { cmd: big("SECOND-OUT") }), completed("r2", OVER)),
      sse(created("r3"), textMessage("SUMMARY-FIT"), completed("r3", UNDER)),
      sse(created("r4"), textMessage("done"), completed("r4", UNDER)),
    );
    // A usable window of ~5,300 tokens: the history (~6,000) does not fit, without one output it does.
    const r = await runCodex(
      ["exec", "--json", BYPASS, "-c", "model_context_window=5600", "-c", "model_auto_compact_token_limit=4000", "go"],
      { env: t.env, cwd: t.repo },
    );
    expect(r.stderr).not.toContain("ERROR");
    expect(r.code).toBe(0);
    const summary = server.requests[2]!;
    expect(isSummaryRequest(summary)).toBe(true);
    expect(JSON.stringify(summary.functionCallOutput("call_a"))).toContain("output omitted to fit the context window");
    expect(JSON.stringify(summary.functionCallOutput("call_b"))).toContain("SECOND-OUT");
    expect(server.requests[3]!.inputText()).toContain("SUMMARY-FIT");
  });

  test("three failed summaries in a row end the turn with the typed context-window error", async () => {
    server.enqueue(
      sse(created("r1"), functionCall("call_1", "exec_command", { cmd: "echo hi" }), completed("r1", OVER)),
      httpError(400, "summary refused"),
      httpError(400, "summary refused"),
      httpError(400, "summary refused"),
    );
    const r = await runCodex(["exec", "--json", BYPASS, ...LIMIT, "go"], { env: t.env, cwd: t.repo });
    expect(r.code).toBe(1);
    expect(server.requests).toHaveLength(4);
    expect(server.requests.slice(1).every(isSummaryRequest)).toBe(true);
    const events = parseJsonl(r.stdout);
    const failed = events.find((e) => e.type === "turn.failed");
    expect(failed.error.message).toContain("context window");
    expect(failed.error.message).toContain("compaction failed 3 times in a row");
    expect(failed.error.message).toContain("start a new thread");
  });
});

describe("fork of a compacted session", () => {
  test("the fork starts from the summary, not the tool calls before it", async () => {
    server.enqueue(
      sse(created("r1"), functionCall("call_old", "exec_command", { cmd: "echo OLD-TOOL-OUTPUT" }), completed("r1", OVER)),
      sse(created("r2"), textMessage("SUMMARY-FOR-FORK"), completed("r2", UNDER)),
      sse(created("r3"), textMessage("all done"), completed("r3", UNDER)),
    );
    const first = await runCodex(["exec", "--json", BYPASS, ...LIMIT, "do the task"], { env: t.env, cwd: t.repo });
    expect(first.code).toBe(0);
    const id = parseJsonl(first.stdout)[0].thread_id;
    server.enqueue(sse(created("r4"), textMessage("forked"), completed("r4", UNDER)));
    const r = await runCodex(["fork", ...LIMIT, id, "and now?"], { env: t.env, cwd: t.repo });
    expect(r.code).toBe(0);
    const req = server.requests[3]!;
    expect(isSummaryRequest(req)).toBe(false);
    expect(JSON.stringify(req.input)).toContain("SUMMARY-FOR-FORK");
    expect(JSON.stringify(req.input)).not.toContain("OLD-TOOL-OUTPUT");
    expect(req.lastUserText()).toBe("and now?");
  });
});

describe("resume of a reference session with a compacted line", () => {
  test("the history is the reference's replacement_history plus what follows; the old tool call is gone", async () => {
    // Written by the reference binary 0.169.0 against the fake server (mid-turn compaction),
    // with its temp paths replaced by placeholders.
    const fixture = readFileSync(path.join(__dirname, "../fixtures/compaction/reference-compacted.jsonl"), "utf8");
    const id = "01a23298-b13f-7cd3-8c36-b3ba5b66e37b";
    const dir = path.join(t.codexHome, "sessions", "2026", "12", "01");
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      path.join(dir, `rollout-2026-12-01T17-13-17-${id}.jsonl`),
      fixture.replaceAll("__CWD__", t.repo).replaceAll("__ROOT__", path.dirname(t.repo)),
    );
    server.enqueue(sse(created("r1"), textMessage("resumed"), completed("r1", UNDER)));
    const r = await runCodex(["exec", "--json", ...LIMIT, "resume", id, "continue please"], { env: t.env, cwd: t.repo });
    expect(r.stderr).not.toContain("ERROR");
    expect(r.code).toBe(0);
    expect(server.requests).toHaveLength(1);
    const req = server.requests[0]!;
    const input = JSON.stringify(req.input);
    expect(input).toContain("SUMMARY-TEXT-XYZ");
    expect(input).toContain("do it");
    expect(input).toContain("final answer");
    expect(input).not.toContain("hello-old-output");
    expect(itemTypes(req)).not.toContain("function_call");
    expect(req.lastUserText()).toBe("continue please");
  });
});
