// exec --json's collaboration items, as the reference 0.169 shows them with multi_agent_v2 (observed against the
// fake server): a wait is a `collab_tool_call` item; a spawn, message, follow-up or interrupt is no item, and no
// item names a spawned agent's model or effort.
import { expect, test } from "vitest";
import type { EventMsg } from "../protocol/events.js";
import { ExecJsonMapper } from "./jsonl-mapper.js";

const base = { senderThreadId: "root", receiverThreadIds: [] as string[], prompt: null };

test("only a wait is a collab_tool_call item; a spawn (with its model and effort) shows none", () => {
  const m = new ExecJsonMapper();
  const spawnedWith = { model: "gpt-5.5", reasoningEffort: "high" };
  const spawn: EventMsg[] = [
    { type: "collab_tool_call_begin", callId: "s1", tool: "spawn_agent", ...base, prompt: "compute", spawnedWith },
    { type: "collab_tool_call_end", callId: "s1", tool: "spawn_agent", ...base, prompt: "compute", receiverThreadIds: ["kid"], agentsStates: { kid: { status: "running" } }, status: "completed", spawnedWith },
    { type: "collab_tool_call_begin", callId: "m1", tool: "send_input", ...base, prompt: "note" },
    { type: "collab_tool_call_end", callId: "m1", tool: "send_input", ...base, prompt: "note", agentsStates: {}, status: "completed" },
  ];
  expect(spawn.flatMap((e) => m.map(e))).toEqual([]);
  const wait = [
    ...m.map({ type: "collab_tool_call_begin", callId: "w1", tool: "wait", ...base }),
    ...m.map({ type: "collab_tool_call_end", callId: "w1", tool: "wait", ...base, agentsStates: {}, status: "completed" }),
  ];
  const item = { id: "item_0", type: "collab_tool_call", tool: "wait", sender_thread_id: "root", receiver_thread_ids: [], prompt: null, agents_states: {} };
  expect(wait).toEqual([
    { type: "item.started", item: { ...item, status: "in_progress" } },
    { type: "item.completed", item: { ...item, status: "completed" } },
  ]);
});
