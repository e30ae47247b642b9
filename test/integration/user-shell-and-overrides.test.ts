// The person's own shell command (`!cmd`) and per-thread setting overrides (/model, /approvals) through the core.
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "vitest";
import type { Thread } from "../../src/core/index.js";
import { startCoreThread, untilTurnEnds, useCoreHome, type CoreHome } from "../support/core-thread.js";
import { sse, type FakeServer } from "../support/fake-responses-server.js";
import { completed, created, functionCall, textMessage } from "../support/sse.js";

let home: CoreHome;
let server: FakeServer;
useCoreHome("user-shell-", (h) => ((home = h), (server = h.server)));

const startThread = (o: { sandboxMode?: string } = {}): Promise<Thread> =>
  startCoreThread(home, { sandboxMode: o.sandboxMode ?? "read-only", approvalPolicy: "never", interactiveApprovals: false });

test("run_user_shell_command runs in the person's shell outside the sandbox, streams, and is recorded for the model", async () => {
  const thread = await startThread();
  const it = thread.events()[Symbol.asyncIterator]();
  // Read-only sandbox for the model; the person's command may still write.
  await thread.submit({ type: "run_user_shell_command", command: "echo from-person > made.txt && cat made.txt" });
  const events = await untilTurnEnds(it);
  expect(events.filter((e) => e.type !== "session_configured").map((e) => e.type)).toEqual([
    "task_started",
    "exec_command_begin",
    "exec_command_output_delta",
    "exec_command_end",
    "task_complete",
  ]);
  const begin = events.find((e) => e.type === "exec_command_begin");
  expect(begin).toMatchObject({ source: "user_shell", argv: ["/bin/bash", "-lc", "echo from-person > made.txt && cat made.txt"], cwd: home.repo });
  expect(events.find((e) => e.type === "exec_command_end")).toMatchObject({ source: "user_shell", exitCode: 0, status: "completed", aggregatedOutput: "from-person\n" });
  expect(readFileSync(path.join(home.repo, "made.txt"), "utf8")).toBe("from-person\n");
  expect(server.requests).toHaveLength(0);

  server.enqueue(sse(created("r1"), textMessage("seen"), completed("r1")));
  await thread.submit({ type: "user_turn", items: [{ type: "text", text: "what did I run?" }] });
  await untilTurnEnds(it);
  const record = server.requests[0]!.input.find((i) => JSON.stringify(i).includes("<user_shell_command>"));
  expect(record).toMatchObject({ type: "message", role: "user" });
  const text = (record as { content: { text: string }[] }).content[0]!.text;
  expect(text).toMatch(
    /^<user_shell_command>\n<command>\necho from-person > made.txt && cat made.txt\n<\/command>\n<result>\nExit code: 0\nDuration: \d+\.\d{4} seconds\nOutput:\nfrom-person\n\n<\/result>\n<\/user_shell_command>$/,
  );
  await thread.close();
});

test("an interrupted shell command ends the task interrupted and records that it was aborted", async () => {
  const thread = await startThread();
  const it = thread.events()[Symbol.asyncIterator]();
  await thread.submit({ type: "run_user_shell_command", command: "echo started; sleep 30" });
  const seen: string[] = [];
  for (;;) {
    const { value } = await it.next();
    seen.push(value.msg.type);
    if (value.msg.type === "exec_command_output_delta") break;
  }
  await thread.submit({ type: "interrupt" });
  const events = await untilTurnEnds(it);
  expect(events.at(-1)).toMatchObject({ type: "turn_aborted", reason: "interrupted" });
  expect(events.find((e) => e.type === "exec_command_end")).toMatchObject({ source: "user_shell", status: "failed", aggregatedOutput: "command aborted by user" });
  expect(JSON.stringify(thread.history())).toContain("command aborted by user");
  await thread.close();
});

test("override_turn_context changes the model and effort of the next requests, and the approval policy of its gate", async () => {
  const thread = await startThread({ sandboxMode: "workspace-write" });
  const it = thread.events()[Symbol.asyncIterator]();
  await thread.submit({ type: "override_turn_context", model: "gpt-5.4", effort: "high" });
  const updated = await it.next();
  expect(updated.value.msg.type === "session_configured" ? (await it.next()).value.msg : updated.value.msg).toEqual({
    type: "turn_context_updated",
    model: "gpt-5.4",
    reasoningEffort: "high",
    approvalPolicy: "never",
    sandboxPolicy: expect.objectContaining({ mode: "workspace-write" }),
  });
  server.enqueue(sse(created("r1"), textMessage("one"), completed("r1")));
  await thread.submit({ type: "user_turn", items: [{ type: "text", text: "hi" }] });
  await untilTurnEnds(it);
  expect(server.requests[0]!.body.model).toBe("gpt-5.4");
  expect(server.requests[0]!.body.reasoning).toMatchObject({ effort: "high" });
  // The turn metadata names what the turn runs with (as the reference 0.169's, observed after turn/start overrides).
  const metadata = (i: number) => JSON.parse(server.requests[i]!.headers["x-codex-turn-metadata"]!);
  expect(metadata(0)).toMatchObject({ model: "gpt-5.4", reasoning_effort: "high", sandbox_mode: "workspace-write" });

  // on-request with an interactive person absent: an escalated command is refused by policy rather than run.
  await thread.submit({ type: "override_turn_context", sandboxPolicy: { mode: "read-only", networkAccess: false } });
  server.enqueue(
    sse(created("r2"), functionCall("c1", "exec_command", { cmd: "touch blocked.txt" }), completed("r2")),
    sse(created("r3"), textMessage("done"), completed("r3")),
  );
  await thread.submit({ type: "user_turn", items: [{ type: "text", text: "write" }] });
  const events = await untilTurnEnds(it);
  expect(events.at(-1)?.type).toBe("task_complete");
  const output = JSON.stringify(server.requests[2]!.input.find((i) => (i as { type: string }).type === "function_call_output"));
  expect(output).toMatch(/Read-only file system|Permission denied|not permitted/i);
  expect(metadata(1)).toMatchObject({ model: "gpt-5.4", reasoning_effort: "high", sandbox_mode: "read-only" });
  await thread.close();
});

test("override_turn_context sent during a turn applies when it ends: cwd, sandbox, summary and service tier of the next turns", async () => {
  const thread = await startThread({ sandboxMode: "workspace-write" });
  const it = thread.events()[Symbol.asyncIterator]();
  const other = path.join(home.root, "other");
  mkdirSync(other);
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  server.enqueue(
    { events: [created("r1"), functionCall("c1", "exec_command", { cmd: "pwd && touch mid.txt" }), completed("r1")], after: held },
    sse(created("r2"), textMessage("one"), completed("r2")),
  );
  await thread.submit({ type: "user_turn", items: [{ type: "text", text: "first" }] });
  await server.waitForRequests(1);
  // The running turn keeps the settings it began with.
  await thread.submit({
    type: "override_turn_context",
    cwd: other,
    sandboxPolicy: { mode: "read-only", networkAccess: false },
    summary: "detailed",
    effort: "low",
    serviceTier: "flex",
  });
  release();
  await untilTurnEnds(it);
  const firstOutput = JSON.stringify(server.requests[1]!.functionCallOutput("c1"));
  expect(firstOutput).toContain(home.repo);
  expect(existsSync(path.join(home.repo, "mid.txt"))).toBe(true);

  server.enqueue(
    sse(created("r3"), functionCall("c2", "exec_command", { cmd: "pwd && touch late.txt" }), completed("r3")),
    sse(created("r4"), textMessage("two"), completed("r4")),
  );
  await thread.submit({ type: "user_turn", items: [{ type: "text", text: "second" }] });
  const events = await untilTurnEnds(it);
  expect(events.find((e) => e.type === "exec_command_begin")).toMatchObject({ cwd: other });
  const secondOutput = JSON.stringify(server.requests[3]!.functionCallOutput("c2"));
  expect(secondOutput).toContain(other);
  expect(secondOutput).toMatch(/Read-only file system|Permission denied|not permitted/i);
  expect(existsSync(path.join(other, "late.txt"))).toBe(false);
  expect(server.requests[2]!.body.reasoning).toMatchObject({ effort: "low", summary: "detailed" });
  expect(server.requests[2]!.body.service_tier).toBe("flex");

  // "none" asks for no summary; a null tier goes back to the default.
  await thread.submit({ type: "override_turn_context", summary: "none", serviceTier: null });
  server.enqueue(sse(created("r5"), textMessage("three"), completed("r5")));
  await thread.submit({ type: "user_turn", items: [{ type: "text", text: "third" }] });
  await untilTurnEnds(it);
  expect(server.requests[4]!.body.reasoning).toEqual({ effort: "low" });
  expect(server.requests[4]!.body).not.toHaveProperty("service_tier");
  await thread.close();
});

test("a turn queued behind a running one keeps the settings it was submitted under; the override applies after it", async () => {
  const thread = await startThread();
  const it = thread.events()[Symbol.asyncIterator]();
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  server.enqueue(
    { events: [created("r1"), textMessage("a"), completed("r1")], after: held },
    sse(created("r2"), textMessage("b"), completed("r2")),
    sse(created("r3"), textMessage("c"), completed("r3")),
  );
  await thread.submit({ type: "user_turn", items: [{ type: "text", text: "A" }] });
  await thread.submit({ type: "user_turn", items: [{ type: "text", text: "B" }] });
  await thread.submit({ type: "override_turn_context", model: "gpt-5.4" });
  await thread.submit({ type: "user_turn", items: [{ type: "text", text: "C" }] });
  await server.waitForRequests(1);
  release();
  for (let i = 0; i < 3; i++) await untilTurnEnds(it);
  expect(server.requests.map((r) => [r.lastUserText(), r.body.model])).toEqual([
    ["A", "gpt-5.5"],
    ["B", "gpt-5.5"],
    ["C", "gpt-5.4"],
  ]);
  await thread.close();
});
