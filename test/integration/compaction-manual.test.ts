// Manual compaction through the core: the `compact` op runs like a turn, replaces the history with
// the summary, journals a `compacted` line, and the next turn starts from the summary.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "vitest";
import type { Thread } from "../../src/core/index.js";
import { startCoreThread, untilTurnEnds, useCoreHome, type CoreHome } from "../support/core-thread.js";
import { sse, type FakeServer } from "../support/fake-responses-server.js";
import { completed, created, functionCall, textMessage } from "../support/sse.js";

let home: CoreHome;
let server: FakeServer;
useCoreHome("compact-", (h) => ((home = h), (server = h.server)));

const startThread = (): Promise<Thread> =>
  startCoreThread(home, { sandboxMode: "danger-full-access", approvalPolicy: "never", interactiveApprovals: false });

test("the compact op summarizes now, replaces the history and the next turn starts from the summary", async () => {
  const thread = await startThread();
  const it = thread.events()[Symbol.asyncIterator]();
  server.enqueue(
    sse(created("r1"), functionCall("call_1", "exec_command", { cmd: "echo TOOL-RESULT" }), completed("r1")),
    sse(created("r2"), textMessage("first done"), completed("r2")),
  );
  await thread.submit({ type: "user_turn", items: [{ type: "text", text: "do a thing" }] });
  expect((await untilTurnEnds(it)).at(-1)?.type).toBe("task_complete");

  server.enqueue(sse(created("r3"), textMessage("MANUAL-SUMMARY"), completed("r3")));
  await thread.submit({ type: "compact" });
  const events = await untilTurnEnds(it);
  expect(events.map((e) => e.type)).toContain("task_started");
  expect(events.at(-1)?.type).toBe("task_complete");
  const compacted = events.find((e) => e.type === "context_compacted");
  expect(compacted).toMatchObject({ type: "context_compacted", trigger: "manual" });
  if (compacted?.type !== "context_compacted") throw new Error("no context_compacted event");
  expect(compacted.tokensAfter).toBeLessThan(compacted.tokensBefore);
  const tokenCount = events.find((e) => e.type === "token_count");
  expect(tokenCount).toMatchObject({ contextWindow: expect.any(Number), contextLeftPercent: expect.any(Number) });

  const summaryRequest = server.requests[2]!;
  expect(summaryRequest.body.tools).toEqual([]);
  expect(JSON.stringify(summaryRequest.input)).toContain("TOOL-RESULT");
  const history = JSON.stringify(thread.history());
  expect(history).toContain("MANUAL-SUMMARY");
  expect(history).not.toContain("TOOL-RESULT");
  expect(history).toContain("do a thing");

  server.enqueue(sse(created("r4"), textMessage("next"), completed("r4")));
  await thread.submit({ type: "user_turn", items: [{ type: "text", text: "go on" }] });
  expect((await untilTurnEnds(it)).at(-1)?.type).toBe("task_complete");
  const next = JSON.stringify(server.requests[3]!.input);
  expect(next).toContain("MANUAL-SUMMARY");
  expect(next).not.toContain("call_1");
  await thread.close();

  const rollout = readFileSync(thread.rolloutPath!, "utf8").trim().split("\n").map((l) => JSON.parse(l));
  const line = rollout.find((l) => l.type === "compacted");
  expect(line.payload.message).toContain("MANUAL-SUMMARY");
  expect(Array.isArray(line.payload.replacement_history)).toBe(true);
  expect(readdirSync(path.dirname(thread.rolloutPath!))).toHaveLength(1);
});
