// A failed journal write through a real thread: the person gets a warning naming the rollout and
// the error, later lines keep being written, and the failed ones are written again — memory and
// disk end up holding the same history.
import { expect, test } from "vitest";
import type { ModelClient, ResponseEvent } from "../../src/core/model/contract.js";
import type { RolloutItem, RolloutWriter } from "../../src/core/persistence/contract.js";
import { createThread } from "../../src/core/thread/thread.js";
import { createToolRegistry } from "../../src/core/tools/registry.js";
import type { EventMsg } from "../../src/protocol/events.js";
import type { ResponseItem } from "../../src/protocol/items.js";

const usage = { input_tokens: 1, cached_input_tokens: 0, output_tokens: 1, reasoning_output_tokens: 0, total_tokens: 2 };

function answering(texts: string[]): ModelClient {
  let n = 0;
  return {
    async *stream(): AsyncIterable<ResponseEvent> {
      const text = texts[n++] ?? "extra";
      yield { type: "created", responseId: `r${n}` };
      yield { type: "output_item_done", item: { type: "message", role: "assistant", content: [{ type: "output_text", text }] } };
      yield { type: "completed", responseId: `r${n}`, usage };
    },
  };
}

/** A rollout writer whose `failAt`-th append fails (disk full), like the file writer it fails what is queued behind. */
function failingOnce(failAt: number) {
  const lines: RolloutItem[] = [];
  let appends = 0;
  const writer: RolloutWriter = {
    path: "/home/u/.codex/sessions/2026/12/01/rollout-x.jsonl",
    async append(item) {
      appends++;
      await Promise.resolve();
      if (appends === failAt) throw new Error("ENOSPC: no space left on device, write");
      lines.push(item);
    },
    close: async () => {},
  };
  return { writer, lines };
}

test("one failed append is reported, retried, and loses nothing; later turns keep journaling", async () => {
  // Append 2 of the first turn is the user's message (1 is turn_context).
  const { writer, lines } = failingOnce(2);
  const thread = createThread({
    id: "t1",
    cwd: "/w",
    approvalPolicy: "never",
    sandboxPolicy: { mode: "read-only" } as never,
    request: { model: "m", parallelToolCalls: false },
    requestIdentity: () => ({ headers: {}, clientMetadata: {} }),
    model: answering(["first answer", "second answer"]),
    registry: createToolRegistry([]),
    exec: {} as never,
    createApprovalGate: () => ({}) as never,
    interactiveApprovals: false,
    rollout: writer,
    history: [],
    childEnv: {},
    spoolDir: "/tmp",
    buildUserMessage: async (items) => ({ type: "message", role: "user", content: items.map((i) => ({ type: "input_text", text: (i as { text: string }).text })) }),
    newTurnId: () => "turn",
  });
  const events: EventMsg[] = [];
  const ends = async () => {
    for await (const ev of thread.events()) {
      events.push(ev.msg);
      if (ev.msg.type === "task_complete" || ev.msg.type === "turn_failed") return;
    }
  };
  await thread.submit({ type: "user_turn", items: [{ type: "text", text: "one" }] });
  await ends();
  await thread.submit({ type: "user_turn", items: [{ type: "text", text: "two" }] });
  await ends();
  await thread.close();

  const warnings = events.filter((m): m is Extract<EventMsg, { type: "warning" }> => m.type === "warning");
  expect(warnings).toHaveLength(1);
  expect(warnings[0]!.message).toContain("failed to write session journal /home/u/.codex/sessions/2026/12/01/rollout-x.jsonl");
  expect(warnings[0]!.message).toContain("ENOSPC: no space left on device");
  const journaled = lines.filter((l) => l.type === "response_item").map((l) => l.payload as ResponseItem);
  expect(journaled).toEqual(thread.history());
  expect(lines.filter((l) => l.type === "event_msg" && (l.payload as EventMsg).type === "task_complete")).toHaveLength(2);
});
