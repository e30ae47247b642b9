import type { SubAgentEvent } from "../core/index.js";
import { Notifications as N } from "../protocol/app-server/notifications.js";
import { mapEvent, newMapperState, subAgentCompleted, type MapperState, type Out } from "./event-mapper.js";

// The sub-agents' own streams, as the reference app-server sends them (0.169 with multi_agent_v2, observed):
// each child thread's status, turn/started (rootTurnId: the root thread's turn), items, token usage and
// turn/completed carry the child's threadId and go to the root thread's subscribers; when a child's turn
// completes, its parent's running turn shows a `subAgentActivity` item of kind `completed`.

export interface ChildStreams {
  /** One event of a sub-agent of this root thread. */
  onEvent(e: SubAgentEvent): void;
}

export function createChildStreams(o: {
  /** The root thread's mapper (the parent of its direct children). */
  root: MapperState;
  /** The root thread's turn a child's turn starting now is attributed to. */
  rootTurnId(): string | null;
  /** Sends a mapper output to the root thread's subscribers (child approvals are asked through the root already). */
  send(out: Out): void;
}): ChildStreams {
  const children = new Map<string, MapperState>();
  const mapperOf = (threadId: string): MapperState | undefined => (threadId === o.root.threadId ? o.root : children.get(threadId));

  return {
    onEvent(e) {
      let s = children.get(e.threadId);
      if (!s) {
        s = { ...newMapperState({ threadId: e.threadId, keepTurns: false }), rootTurnId: o.rootTurnId };
        children.set(e.threadId, s);
      }
      const now = Date.now();
      const msg = e.msg;
      // A new agent's thread is idle until its first mail starts a turn.
      if (msg.type === "session_configured") o.send({ kind: "notify", def: N.threadStatusChanged, params: { threadId: e.threadId, status: { type: "idle" } } });
      const turnId = s.turn?.id;
      for (const out of mapEvent(s, msg, now)) if (out.kind === "notify") o.send(out);
      if (msg.type === "task_complete" && turnId) {
        const parent = mapperOf(e.parentThreadId);
        if (parent) for (const out of subAgentCompleted(parent, { agentThreadId: e.threadId, agentPath: e.agentPath, turnId }, now)) o.send(out);
      }
      if (msg.type === "shutdown_complete") children.delete(e.threadId);
    },
  };
}
