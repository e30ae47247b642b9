// spawn_agent's model and effort: a child starts from its spawner's turn (as the reference derives a child's
// config from the spawning turn), and what the call names replaces either one.
import { expect, test } from "vitest";
import type { Event, EventMsg } from "../../protocol/events.js";
import { AsyncQueue } from "../../util/async-queue.js";
import type { FunctionTool, ToolContext } from "../tools/contract.js";
import { inertToolContext } from "../tools/inert-tool-context.js";
import { createAgentTree, type SpawnChildRequest } from "./agent-tree.js";
import { createCollabTools } from "./collab-tools.js";

function ctx(events: EventMsg[], turn: { model?: string; reasoningEffort?: string }): ToolContext {
  return inertToolContext(events, { callId: `call_${events.length}`, turn: { threadId: "root", turnId: "tu_1", ...turn } });
}

test("a spawn without model or effort gets the spawner's turn's; named ones win; config's only for what neither gives", async () => {
  const spawned: SpawnChildRequest[] = [];
  const tree = createAgentTree({
    rootThreadId: "root",
    limits: { maxDepth: 2, maxAgents: 8 },
    format: { agentMessageItems: true },
    spawnThread: async (req) => {
      spawned.push(req);
      const queue = new AsyncQueue<Event>();
      return { id: `t-${spawned.length}`, submit: async () => "1", events: () => queue, history: () => [], close: async () => queue.close() };
    },
    resumeThread: async () => {
      throw new Error("no resume in this test");
    },
  });
  const tools = createCollabTools({
    tree,
    self: { path: "/root", threadId: "root" },
    canSpawn: true,
    // The runtime's rule: config's model and effort for what is not asked.
    childSettings: (asked) => ({ model: asked.model ?? "config-model", reasoningEffort: asked.reasoningEffort ?? "medium" }),
  });
  const spawn = tools.find((t) => t.name === "collaboration__spawn_agent") as FunctionTool<Record<string, string>>;
  const events: EventMsg[] = [];
  const call = (task: string, extra: Record<string, string>, turn: { model?: string; reasoningEffort?: string }) =>
    spawn.handle({ task_name: task, message: "x", fork_turns: "none", ...extra }, ctx(events, turn));

  await call("a", {}, { model: "turn-model", reasoningEffort: "low" });
  await call("b", { model: "named-model", reasoning_effort: "high" }, { model: "turn-model", reasoningEffort: "low" });
  await call("c", { reasoning_effort: "high" }, { model: "turn-model", reasoningEffort: "low" });
  await call("d", {}, { model: "turn-model" });
  await call("e", {}, {});

  expect(spawned.map((r) => [r.path, r.model, r.reasoningEffort])).toEqual([
    ["/root/a", "turn-model", "low"],
    ["/root/b", "named-model", "high"],
    ["/root/c", "turn-model", "high"],
    ["/root/d", "turn-model", "medium"],
    ["/root/e", "config-model", "medium"],
  ]);
  // The spawn shows what the child runs with.
  const shown = events.flatMap((m) => (m.type === "collab_tool_call_end" ? [m.spawnedWith] : []));
  expect(shown).toEqual(spawned.map((r) => ({ model: r.model, reasoningEffort: r.reasoningEffort })));
  await tree.closeBelow("/root");
});
