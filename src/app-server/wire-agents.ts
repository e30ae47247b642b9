import { commandDisplay } from "../core/index.js";
import type { EventMsg } from "../protocol/events.js";
import type { AutoReviewNotifications, GuardianApprovalReview, GuardianApprovalReviewAction } from "../protocol/app-server/auto-review.js";
import type { NotificationDef } from "../protocol/app-server/jsonrpc.js";
import { uuidv7 } from "../util/ids.js";
import { ReasoningEffort } from "../protocol/app-server/common.js";
import type { ThreadItem } from "../protocol/app-server/items.js";

// Core's sub-agent and Smart Approvals events as the v2 wire shows them: the `collabAgentToolCall` item (a
// spawn: the `subAgentActivity` item) and the guardian review's action and verdict (item/autoApprovalReview/*).

type CollabItem = Extract<ThreadItem, { type: "collabAgentToolCall" }>;
type CollabEvent = Extract<EventMsg, { type: "collab_tool_call_begin" | "collab_tool_call_end" }>;
type SubAgentActivity = Extract<ThreadItem, { type: "subAgentActivity" }>;
type ReviewStart = Extract<EventMsg, { type: "guardian_review_started" }>;
type ReviewEnd = Extract<EventMsg, { type: "guardian_review_completed" }>;
type ParamsOf<D> = D extends NotificationDef<infer P> ? P : never;

/** Guardian reviews under way, by the reviewed call's id (the review's own id and when it began). */
export type ReviewsUnderWay = Map<string, { reviewId: string; startedAtMs: number }>;
interface At {
  threadId: string;
  turnId: string;
  nowMs: number;
}

/** `item/autoApprovalReview/started`; the review's target is the reviewed call's item (its call id). */
export function reviewStarted(reviews: ReviewsUnderWay, msg: ReviewStart, at: At): ParamsOf<typeof AutoReviewNotifications.autoApprovalReviewStarted> {
  const reviewId = uuidv7();
  reviews.set(msg.callId, { reviewId, startedAtMs: at.nowMs });
  return {
    threadId: at.threadId,
    turnId: at.turnId,
    startedAtMs: at.nowMs,
    reviewId,
    targetItemId: msg.callId,
    review: reviewWire(null),
    action: reviewActionWire(msg.action),
  };
}

/** `item/autoApprovalReview/completed`, with the id and start of the review it ends. */
export function reviewCompleted(reviews: ReviewsUnderWay, msg: ReviewEnd, at: At): ParamsOf<typeof AutoReviewNotifications.autoApprovalReviewCompleted> {
  const begun = reviews.get(msg.callId) ?? { reviewId: uuidv7(), startedAtMs: at.nowMs };
  reviews.delete(msg.callId);
  return {
    threadId: at.threadId,
    turnId: at.turnId,
    startedAtMs: begun.startedAtMs,
    completedAtMs: at.nowMs,
    reviewId: begun.reviewId,
    targetItemId: msg.callId,
    decisionSource: "agent",
    review: reviewWire(msg),
    action: reviewActionWire(msg.action),
  };
}

const TOOLS: Record<CollabEvent["tool"], CollabItem["tool"]> = {
  spawn_agent: "spawnAgent",
  send_input: "sendInput",
  wait: "wait",
  close_agent: "closeAgent",
};

const AGENT_STATUS: Record<string, CollabItem["agentsStates"][string]["status"]> = {
  pending_init: "pendingInit",
  running: "running",
  interrupted: "interrupted",
  completed: "completed",
  errored: "errored",
  shutdown: "shutdown",
  not_found: "notFound",
};

export function collabItem(msg: CollabEvent): CollabItem {
  const ended = msg.type === "collab_tool_call_end";
  const agentsStates: CollabItem["agentsStates"] = {};
  if (ended) {
    for (const [threadId, state] of Object.entries(msg.agentsStates)) {
      agentsStates[threadId] = { status: AGENT_STATUS[state.status] ?? "notFound", message: state.message ?? null };
    }
  }
  return {
    type: "collabAgentToolCall",
    id: msg.callId,
    tool: TOOLS[msg.tool],
    status: ended ? msg.status : "inProgress",
    senderThreadId: msg.senderThreadId,
    receiverThreadIds: msg.receiverThreadIds,
    prompt: msg.prompt,
    model: null,
    reasoningEffort: null,
    agentsStates,
  };
}

const ACTIVITY: Partial<Record<CollabEvent["tool"], SubAgentActivity["kind"]>> = {
  spawn_agent: "started",
  send_input: "interacted",
  close_agent: "interrupted",
};

/**
 * As the reference shows them: a spawn, message or follow-up (or a stop) that reached its agent is a
 * `subAgentActivity` item naming the agent's thread and path; a wait (or a call that failed) is a
 * `collabAgentToolCall` item. Null when the call shows as a collab call.
 */
export function agentActivity(msg: CollabEvent): SubAgentActivity | null {
  const kind = ACTIVITY[msg.tool];
  if (!kind || msg.type !== "collab_tool_call_end" || msg.status !== "completed") return null;
  const agentThreadId = msg.receiverThreadIds[0];
  if (agentThreadId === undefined) return null;
  const agentPath = msg.receiverAgents?.find((a) => a.threadId === agentThreadId)?.path ?? "";
  // As the reference: a spawn shows the model and effort the agent runs with; other activities show none.
  const spawned = kind === "started" ? msg.spawnedWith : undefined;
  return {
    type: "subAgentActivity",
    model: spawned?.model ?? null,
    reasoningEffort: ReasoningEffort.safeParse(spawned?.reasoningEffort).data ?? null,
    id: msg.callId,
    kind,
    agentThreadId,
    agentPath,
  };
}

/** Whether a call's item starts when the call begins (a wait); the others show once they end. */
export function showsAtBegin(msg: CollabEvent): boolean {
  return ACTIVITY[msg.tool] === undefined;
}

const str = (v: unknown): string => (typeof v === "string" ? v : "");
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);

/** Core's view of a reviewed action (guardian/reviewer.ts) as the wire's GuardianApprovalReviewAction. */
export function reviewActionWire(action: Record<string, unknown>): GuardianApprovalReviewAction {
  switch (action["type"]) {
    case "fileChange":
      return { type: "applyPatch", cwd: str(action["cwd"]), files: strings(action["files"]) };
    case "mcpToolCall":
      return { type: "mcpToolCall", server: str(action["server"]), toolName: str(action["tool"]), connectorId: null, connectorName: null, toolTitle: null };
    default: {
      // Quoted as the reference shows it (`/bin/bash -lc 'touch a'`); exec_command runs through unified exec.
      const command = Array.isArray(action["command"]) ? commandDisplay(strings(action["command"])) : str(action["command"]);
      return { type: "command", source: "unifiedExec", command, cwd: str(action["cwd"]) };
    }
  }
}

/**
 * A verdict on the wire. As the reference: a review that failed (no valid answer) declined the action, so it
 * shows denied with no risk level and the problem as rationale.
 */
export function reviewWire(msg: ReviewEnd | null): GuardianApprovalReview {
  if (!msg) return { status: "inProgress", riskLevel: null, userAuthorization: null, rationale: null };
  return {
    status: msg.status === "failed" ? "denied" : msg.status,
    riskLevel: msg.riskLevel ?? null,
    userAuthorization: msg.userAuthorization ?? null,
    rationale: msg.status === "failed" ? `Automatic approval review failed: ${msg.rationale ?? "no answer"}` : (msg.rationale ?? null),
  };
}
