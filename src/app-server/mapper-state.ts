import type { EventMsg } from "../protocol/events.js";
import type { ThreadItem } from "../protocol/app-server/items.js";
import type { NotificationDef } from "../protocol/app-server/jsonrpc.js";
import { Notifications as N } from "../protocol/app-server/notifications.js";
import type { Turn, TurnError } from "../protocol/app-server/turn.js";
import type { ReviewsUnderWay } from "./wire-agents.js";

// The mapper's state for one thread (the turn under way, its open items) and the helpers every part of the
// mapper uses on it for one event: start and complete items, end the open text, end the turn.

export type Out =
  | { kind: "notify"; def: NotificationDef<any>; params: unknown }
  | { kind: "approveCommand"; callId: string; turnId: string; command: string; cwd: string; reason: string | null; proposedPrefix: string[] | null }
  | { kind: "approvePatch"; callId: string; turnId: string; reason: string | null }
  | { kind: "approveMcp"; turnId: string; request: Extract<EventMsg, { type: "mcp_tool_call_approval_request" }> }
  | { kind: "askUserInput"; request: Extract<EventMsg, { type: "request_user_input" }> };

export interface TurnState {
  id: string;
  startedAtMs: number;
  /** Every item of the turn, completed ones in order (thread/read's `full` view). */
  items: ThreadItem[];
  diff: string;
  /** The turn that led to this one (a sub-agent's turn: its root thread's turn); itself when absent. */
  rootTurnId?: string;
}

export interface MapperState {
  threadId: string;
  turn: TurnState | null;
  /** Turns ended so far (kept only when `keepTurns`). */
  turns: Turn[];
  keepTurns: boolean;
  open: Map<string, ThreadItem>;
  agentMessageId: string | null;
  reasoningId: string | null;
  nextItem: number;
  contextWindow: number | null;
  /** Reasoning items completed when the answer began streaming, whose `agent_reasoning` is still to come. */
  reasoningClosedEarly: number;
  /** Guardian reviews under way, by the reviewed call's id. */
  reviews: ReviewsUnderWay;
  /** Open items whose call is still waiting for the client's approval: an interrupt leaves them open (they are
   *  asked again when the thread resumes), as the reference sends no item/completed for them. */
  asking: Set<string>;
  /** A sub-agent's mapper: the root thread's turn its next turn is attributed to. */
  rootTurnId?: () => string | null;
}

export function newMapperState(o: { threadId: string; keepTurns: boolean }): MapperState {
  return { threadId: o.threadId, turn: null, turns: [], keepTurns: o.keepTurns, open: new Map(), agentMessageId: null, reasoningId: null, nextItem: 0, contextWindow: null, reasoningClosedEarly: 0, reviews: new Map(), asking: new Set() };
}

const seconds = (ms: number) => Math.floor(ms / 1000);

export function turnWire(t: TurnState, o: { status: Turn["status"]; error: TurnError | null; endedAtMs: number | null; view: "summary" | "full" | "notLoaded" }): Turn {
  const items = o.view === "full" ? t.items : o.view === "summary" ? t.items.filter((i) => i.type === "agentMessage") : [];
  return {
    id: t.id,
    rootTurnId: t.rootTurnId ?? t.id,
    items,
    itemsView: o.view === "summary" && items.length === 0 ? "notLoaded" : o.view,
    status: o.status,
    error: o.error,
    startedAt: seconds(t.startedAtMs),
    completedAt: o.endedAtMs === null ? null : seconds(o.endedAtMs),
    durationMs: o.endedAtMs === null ? null : o.endedAtMs - t.startedAtMs,
  };
}

/** What mapping one event may do: the state, the outputs so far and the item/turn helpers over them. */
export interface MapCtx {
  s: MapperState;
  out: Out[];
  nowMs: number;
  threadId: string;
  /** The running turn's id when the event arrived ("" outside a turn). */
  turnId: string;
  notify<P>(def: NotificationDef<P>, params: P): void;
  newId(prefix: string): string;
  start(item: ThreadItem): void;
  complete(item: ThreadItem): void;
  finishOpenText(): void;
  endTurn(status: Turn["status"], error: TurnError | null): void;
}

export function mapCtx(s: MapperState, nowMs: number): MapCtx {
  const out: Out[] = [];
  const threadId = s.threadId;
  const notify = <P>(def: NotificationDef<P>, params: P) => out.push({ kind: "notify", def, params });
  const turnId = s.turn?.id ?? "";
  const newId = (prefix: string) => `${prefix}_${s.turn?.id ?? "0"}_${++s.nextItem}`;
  const start = (item: ThreadItem) => {
    const begun = { ...item, startedAtMs: nowMs, completedAtMs: null } as ThreadItem;
    s.open.set(item.id, begun);
    notify(N.itemStarted, { item: { ...begun }, threadId, turnId, startedAtMs: nowMs });
  };
  const complete = (item: ThreadItem) => {
    if (!s.open.has(item.id)) start(item);
    const startedAtMs = (s.open.get(item.id) as { startedAtMs?: number | null } | undefined)?.startedAtMs ?? nowMs;
    s.open.delete(item.id);
    s.asking.delete(item.id);
    const done = { ...item, startedAtMs, completedAtMs: nowMs } as ThreadItem;
    s.turn?.items.push(done);
    notify(N.itemCompleted, { item: done, threadId, turnId, contentTokenCount: null, completedAtMs: nowMs });
  };
  const finishOpenText = () => {
    if (s.agentMessageId) {
      const item = s.open.get(s.agentMessageId);
      if (item) complete(item);
      s.agentMessageId = null;
    }
    if (s.reasoningId) {
      const item = s.open.get(s.reasoningId);
      if (item) complete(item);
      s.reasoningId = null;
    }
  };
  const endTurn = (status: Turn["status"], error: TurnError | null) => {
    if (!s.turn) return;
    finishOpenText();
    for (const item of s.open.values()) {
      if (status === "interrupted" && s.asking.has(item.id)) continue;
      complete({ ...item, ...("status" in item ? { status: "failed" } : {}) } as ThreadItem);
    }
    s.open.clear();
    s.asking.clear();
    notify(N.threadStatusChanged, { threadId, status: { type: "idle" } });
    notify(N.turnCompleted, { threadId, turn: turnWire(s.turn, { status, error, endedAtMs: nowMs, view: "summary" }) });
    if (s.keepTurns) s.turns.push(turnWire(s.turn, { status, error, endedAtMs: nowMs, view: "full" }));
    s.turn = null;
  };
  return { s, out, nowMs, threadId, turnId, notify, newId, start, complete, finishOpenText, endTurn };
}

