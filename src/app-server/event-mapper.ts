import type { EventMsg } from "../protocol/events.js";
import type { ThreadItem } from "../protocol/app-server/items.js";
import { Notifications as N } from "../protocol/app-server/notifications.js";
import { mapCtx, turnWire, type MapperState, type Out } from "./mapper-state.js";
import { mapMessageEvent } from "./mapper-messages.js";
import { mapToolEvent } from "./mapper-tools.js";
import { hookRunWire, turnErrorWire, usageWire } from "./wire-convert.js";

// The pure mapper: one core event (plus the thread's mapping state) → the v2 notifications it stands for,
// and the approvals to ask. It holds no I/O; thread-session.ts sends what it returns. Replaying a rollout's
// journaled events through it rebuilds the thread's turns (thread/read, resume). Text events are mapped in
// mapper-messages.ts, tool events in mapper-tools.ts; the turn's life, usage, errors and hooks here.

export { newMapperState, turnWire, type MapperState, type Out, type TurnState } from "./mapper-state.js";

export function mapEvent(s: MapperState, msg: EventMsg, nowMs: number): Out[] {
  const c = mapCtx(s, nowMs);
  if (mapMessageEvent(c, msg) || mapToolEvent(c, msg)) return c.out;
  const { out, threadId, turnId, notify, newId, complete, endTurn } = c;
  switch (msg.type) {
    case "task_started": {
      // A sub-agent's turn is attributed to its root thread's turn.
      const rootTurnId = s.rootTurnId?.();
      s.turn = { id: msg.turnId, startedAtMs: nowMs, items: [], diff: "", ...(rootTurnId ? { rootTurnId } : {}) };
      s.open.clear();
      s.reviews.clear();
      s.reasoningClosedEarly = 0;
      notify(N.threadStatusChanged, { threadId, status: { type: "active", activeFlags: [] } });
      notify(N.turnStarted, { threadId, turn: turnWire(s.turn, { status: "inProgress", error: null, endedAtMs: null, view: "notLoaded" }) });
      break;
    }
    case "context_compacted":
      if (!s.turn) break;
      complete({ type: "contextCompaction", id: newId("compact") });
      notify(N.threadCompacted, { threadId, turnId });
      break;
    case "token_count":
      if (msg.contextWindow !== undefined) s.contextWindow = msg.contextWindow;
      if (!s.turn) break;
      notify(N.threadTokenUsageUpdated, {
        threadId,
        turnId,
        tokenUsage: { total: usageWire(msg.total), last: usageWire(msg.last), modelContextWindow: s.contextWindow },
      });
      break;
    case "stream_error":
      if (!s.turn) break;
      notify(N.error, {
        error: { message: msg.message, codexErrorInfo: { responseStreamDisconnected: { httpStatusCode: null } }, additionalDetails: null },
        willRetry: true,
        threadId,
        turnId,
      });
      break;
    case "warning":
      notify(N.warning, { threadId, message: msg.message });
      break;
    case "hook_started":
      notify(N.hookStarted, { threadId, turnId: msg.run.turnId, run: hookRunWire(msg.run) });
      break;
    case "hook_completed":
      notify(N.hookCompleted, { threadId, turnId: msg.run.turnId, run: hookRunWire(msg.run) });
      break;
    case "task_complete":
      endTurn("completed", null);
      break;
    case "turn_failed": {
      const error = turnErrorWire(msg.error);
      if (s.turn) notify(N.error, { error, willRetry: false, threadId, turnId });
      endTurn("failed", error);
      break;
    }
    case "turn_aborted":
      endTurn("interrupted", null);
      break;
    case "thread_rolled_back": {
      // Replaying a rollout: the last user turns were dropped from the thread.
      let left = msg.numTurns;
      for (let i = s.turns.length - 1; i >= 0 && left > 0; i--) {
        const isUserTurn = s.turns[i]!.items.some((item) => item.type === "userMessage");
        s.turns.splice(i, 1);
        if (isUserTurn) left--;
      }
      break;
    }
    default:
      break;
  }
  return out;
}

/** A patch the person declined: core reports no apply for it, so its open item ends `declined` here. */
export function declinePatch(s: MapperState, callId: string, nowMs: number): Out[] {
  const item = s.open.get(callId);
  if (!item || item.type !== "fileChange" || !s.turn) return [];
  s.open.delete(callId);
  const done = { ...item, status: "declined" as const, completedAtMs: nowMs };
  s.turn.items.push(done);
  return [{ kind: "notify", def: N.itemCompleted, params: { item: done, threadId: s.threadId, turnId: s.turn.id, contentTokenCount: null, completedAtMs: nowMs } }];
}

/** A sub-agent's turn completed: its parent's running turn shows that as a `subAgentActivity` (as the reference). */
export function subAgentCompleted(s: MapperState, o: { agentThreadId: string; agentPath: string; turnId: string }, nowMs: number): Out[] {
  if (!s.turn) return [];
  const c = mapCtx(s, nowMs);
  const item = { type: "subAgentActivity", model: null, reasoningEffort: null, id: `subagent-completed-${o.turnId}`, kind: "completed", agentThreadId: o.agentThreadId, agentPath: o.agentPath };
  c.complete(item as ThreadItem);
  return c.out;
}
