// A resumed root's tree: the agents an earlier run spawned are reachable by path and reopened from their
// journals on first use; as the reference 0.169 shows them (observed), they are not listed until then.
import { expect, test } from "vitest";
import type { Event } from "../../protocol/events.js";
import { AsyncQueue } from "../../util/async-queue.js";
import { createAgentTree, type AgentThreadHandle } from "./agent-tree.js";

function handle(id: string): AgentThreadHandle & { ops: string[] } {
  const queue = new AsyncQueue<Event>();
  const ops: string[] = [];
  return {
    id,
    ops,
    submit: async (op) => (ops.push(op.type), "1"),
    events: () => queue,
    history: () => [],
    close: async () => queue.close(),
  };
}

test("restored agents are not listed until a message reopens them; then listed under their path", async () => {
  const reopened: string[] = [];
  const threads = new Map<string, ReturnType<typeof handle>>();
  const tree = createAgentTree({
    rootThreadId: "root",
    limits: { maxDepth: 2, maxAgents: 4 },
    format: { agentMessageItems: true },
    spawnThread: async () => {
      throw new Error("no spawn in this test");
    },
    resumeThread: async (req) => {
      reopened.push(req.threadId);
      const h = handle(req.threadId);
      threads.set(req.threadId, h);
      return h;
    },
  });
  tree.restore([
    { path: "/root/worker", threadId: "t-worker" },
    { path: "/root/other", threadId: "t-other" },
  ]);
  expect(tree.list()).toEqual([{ path: "/root", threadId: "root", status: "running" }]);
  expect(await tree.followup("/root", "worker", "again")).toBe("/root/worker");
  expect(reopened).toEqual(["t-worker"]);
  expect(threads.get("t-worker")!.ops).toEqual(["agent_turn"]);
  expect(tree.list().map((a) => a.path)).toEqual(["/root", "/root/worker"]);
  // The mail reached the reopened agent's mailbox.
  expect(tree.takeMail("/root/worker")).toHaveLength(1);
  await tree.closeBelow("/root");
});
