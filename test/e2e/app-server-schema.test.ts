// Our generated schema: written from the method table, TypeScript that compiles, names the reference knows,
// and a checker that does refuse a wrong message (the e2e tests rely on it).
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "vitest";
import { CODEX_BIN, REPO_ROOT } from "../support/codex-env.js";
import { schemaCheckers, schemaProblems } from "../support/app-server-schema.js";

const generate = (kind: string) => {
  const out = mkdtempSync(path.join(os.tmpdir(), `codex-as-${kind}-`));
  const r = spawnSync(process.execPath, [CODEX_BIN, "app-server", kind, "--out", out], { encoding: "utf8" });
  expect(r.status, r.stderr).toBe(0);
  return out;
};

test("generate-json-schema writes the envelopes and one file per type; method names are the reference's", () => {
  const out = generate("generate-json-schema");
  const client = JSON.parse(readFileSync(path.join(out, "ClientRequest.json"), "utf8"));
  const methods: string[] = client.oneOf.map((v: { properties: { method: { enum: string[] } } }) => v.properties.method.enum[0]);
  expect(methods).toEqual(expect.arrayContaining(["initialize", "thread/start", "thread/resume", "thread/fork", "thread/list", "turn/start", "turn/steer", "turn/interrupt", "thread/revert"]));
  expect(existsSync(path.join(out, "v2", "ThreadStartResponse.json"))).toBe(true);
  const notifications = JSON.parse(readFileSync(path.join(out, "ServerNotification.json"), "utf8"));
  const names: string[] = notifications.oneOf.map((v: { properties: { method: { enum: string[] } } }) => v.properties.method.enum[0]);
  const checkers = schemaCheckers();
  const reference = checkers.find((c) => c.set.label === "reference");
  if (!reference) return console.warn("reference binary absent: method names not compared");
  const refClient = JSON.parse(readFileSync(path.join(reference.set.dir, "ClientRequest.json"), "utf8"));
  const refMethods = new Set(refClient.oneOf.map((v: { properties: { method: { enum: string[] } } }) => v.properties.method.enum[0]));
  expect(methods.filter((m) => !refMethods.has(m))).toEqual([]);
  const refNotes = JSON.parse(readFileSync(path.join(reference.set.dir, "ServerNotification.json"), "utf8"));
  const refNames = new Set(refNotes.oneOf.map((v: { properties: { method: { enum: string[] } } }) => v.properties.method.enum[0]));
  expect(names.filter((m) => !refNames.has(m))).toEqual([]);
});

test("generate-ts writes TypeScript that type-checks", () => {
  const out = generate("generate-ts");
  const files = [...readdirSync(path.join(out, "v2")).map((f) => path.join(out, "v2", f)), path.join(out, "ClientRequest.ts")];
  expect(files.length).toBeGreaterThan(40);
  const tsc = spawnSync(process.execPath, [path.join(REPO_ROOT, "node_modules", "typescript", "bin", "tsc"), "--noEmit", "--strict", "--skipLibCheck", ...files], { encoding: "utf8" });
  expect(tsc.stdout + tsc.stderr).toBe("");
});

test("the message checker refuses what the schema does not allow", () => {
  const bad = [{ method: "turn/completed", params: { threadId: "t", turn: { id: 1 } } }, { id: 3, result: { thread: {} } }];
  const problems = schemaProblems(bad, [{ id: 3, method: "thread/start", params: {} }]);
  expect(problems.length).toBe(2 * schemaCheckers().length);
});

test("every kind of notification the mapper makes validates (hooks, MCP, web search, plan, diff, compaction, retries)", async () => {
  const { mapEvent, newMapperState } = await import("../../src/app-server/event-mapper.js");
  const s = newMapperState({ threadId: "th", keepTurns: false });
  const run = { id: "PreToolUse:0:/h.json", eventName: "PreToolUse", scope: "user" as const, sourcePath: "/h.json", displayOrder: 0, command: "x", turnId: "t1", startedAt: 1_700_000_000_000, entries: [] };
  const events = [
    { type: "task_started", turnId: "t1" },
    { type: "hook_started", run: { ...run, status: "running" } },
    { type: "hook_completed", run: { ...run, status: "blocked", durationMs: 12, entries: [{ kind: "feedback", text: "no" }] } },
    { type: "stream_error", message: "Reconnecting... 1/2 (x)", attempt: 1, maxAttempts: 2 },
    { type: "plan_update", explanation: "why", plan: [{ step: "a", status: "in_progress" }, { step: "b", status: "pending" }] },
    { type: "mcp_tool_call_begin", callId: "m1", server: "srv", tool: "t", arguments: { a: 1 } },
    { type: "mcp_tool_call_end", callId: "m1", server: "srv", tool: "t", arguments: { a: 1 }, result: { content: [{ type: "text", text: "r" }] } },
    { type: "web_search_end", callId: "ws1", query: "q", action: { type: "search", query: "q" } },
    { type: "patch_apply_begin", callId: "p1", changes: [{ path: "/w/a", kind: "update", unifiedDiff: "@@" }] },
    { type: "patch_apply_end", callId: "p1", changes: [{ path: "/w/a", kind: "update" }], success: true, diff: "diff --git a/a b/a\n", output: "" },
    { type: "exec_command_begin", callId: "c1", command: "ls", argv: ["ls"], cwd: "/w" },
    { type: "exec_command_output_delta", callId: "c1", stream: "stdout", chunk: "a\n" },
    { type: "exec_command_end", callId: "c1", command: "ls", exitCode: 0, aggregatedOutput: "a\n", status: "completed", durationMs: 5 },
    { type: "view_image", callId: "v1", path: "/w/i.png" },
    { type: "context_compacted", trigger: "auto", tokensBefore: 10, tokensAfter: 2 },
    { type: "warning", message: "careful" },
    { type: "turn_aborted", turnId: "t1", reason: "interrupted" },
  ];
  const messages = events.flatMap((e, i) =>
    mapEvent(s, e as never, 1_000_000 + i).flatMap((o) => (o.kind === "notify" ? [{ method: o.def.method, params: o.params }] : [])),
  );
  expect(new Set(messages.map((m) => m.method))).toEqual(
    new Set(["thread/status/changed", "turn/started", "hook/started", "hook/completed", "error", "turn/plan/updated", "item/started", "item/completed", "turn/diff/updated", "item/commandExecution/outputDelta", "thread/compacted", "warning", "turn/completed"]),
  );
  expect(schemaProblems(messages, [])).toEqual([]);
});
