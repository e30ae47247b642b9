import type { EventMsg } from "../../protocol/events.js";
import type { ReviewDecision } from "../../protocol/policy.js";
import type { ProposedAction } from "../approval/contract.js";

/** What the gate tells the person's side besides the action (see ApprovalRequestContext). */
export interface AskContext {
  reason?: string;
  /** The argv prefix an "approve and remember" would save as an allow rule. */
  proposedPrefix?: string[];
  /** The turn's signal: an interrupt or shutdown ends the pending ask as `abort`. */
  signal?: AbortSignal;
}

/** Reaches a person for one approval; `reason` is the policy's explanation (rule justification...). */
export type AskPerson = (action: ProposedAction, context: AskContext) => Promise<ReviewDecision>;

/**
 * The thread's pending approvals: an ask becomes an `exec_approval_request`,
 * `apply_patch_approval_request` or `mcp_tool_call_approval_request` event, and waits for the matching
 * `exec_approval` / `patch_approval` / `mcp_tool_approval` op — or for the turn's signal, which ends it as `abort`, so an interrupt or a
 * shutdown never hangs on a person who walked away.
 */
export interface ApprovalBroker {
  /**
   * The asker for one turn, emitting its requests through `emit`. `journal`, when given, is awaited with
   * each request before it is emitted, so a request a person may see is already on disk (a crash keeps it).
   */
  asker(emit: (msg: EventMsg) => void, o?: { journal?(request: EventMsg): Promise<void> }): AskPerson;
  /** Delivers a person's answer; false when nothing is pending under `callId`. */
  answer(callId: string, decision: ReviewDecision): boolean;
  /** Ends every pending ask as `abort` (turn end, shutdown). */
  abortAll(): void;
  /** How many asks are waiting for a person. */
  pending(): number;
  /**
   * True (once) when the ask for `callId` ended without a person's answer (the turn's signal, abortAll):
   * the call is still to be asked. An answer of `abort` (the person cancelled) is an answer.
   */
  takeUnanswered(callId: string): boolean;
}

export function createApprovalBroker(): ApprovalBroker {
  const waiting = new Map<string, (decision: ReviewDecision, unanswered?: boolean) => void>();
  const unanswered = new Set<string>();

  const asker =
    (emit: (msg: EventMsg) => void, o: { journal?(request: EventMsg): Promise<void> } = {}): AskPerson =>
    (action, context) =>
      new Promise<ReviewDecision>((resolve) => {
        const signal = context.signal;
        if (signal?.aborted) {
          resolve("abort");
          return;
        }
        let settled = false;
        const onAbort = (): void => settle("abort", true);
        const settle = (decision: ReviewDecision, byNobody = false): void => {
          if (settled) return;
          settled = true;
          if (waiting.get(action.callId) === settle) waiting.delete(action.callId);
          if (byNobody) unanswered.add(action.callId);
          signal?.removeEventListener("abort", onAbort);
          resolve(decision);
        };
        waiting.set(action.callId, settle);
        signal?.addEventListener("abort", onAbort, { once: true });
        const request = requestEvent(action, context.reason, context.proposedPrefix);
        const journaled = o.journal ? o.journal(request).catch(() => undefined) : undefined;
        if (!journaled) return emit(request);
        void journaled.then(() => {
          if (!settled) emit(request);
        });
      });

  return {
    asker,
    answer(callId, decision) {
      const settle = waiting.get(callId);
      if (!settle) return false;
      settle(decision);
      return true;
    },
    abortAll() {
      for (const settle of [...waiting.values()]) settle("abort", true);
    },
    pending: () => waiting.size,
    takeUnanswered: (callId) => unanswered.delete(callId),
  };
}

function requestEvent(action: ProposedAction, reason: string | undefined, prefix: string[] | undefined): EventMsg {
  if (action.kind === "exec") {
    const why = reason ?? action.justification ?? action.retryReason;
    return {
      type: "exec_approval_request",
      callId: action.callId,
      command: action.argv,
      cwd: action.cwd,
      ...(why !== undefined ? { reason: why } : {}),
      ...(prefix !== undefined ? { proposedPrefix: prefix } : {}),
    };
  }
  if (action.kind === "mcp") return mcpApprovalRequest(action, reason);
  const why = reason ?? action.justification;
  return {
    type: "apply_patch_approval_request",
    callId: action.callId,
    // Per file: path, kind, move source and unified diff — what the person is asked to accept.
    changes: action.changes ?? [],
    ...(why !== undefined ? { reason: why } : {}),
  };
}

function mcpApprovalRequest(action: Extract<ProposedAction, { kind: "mcp" }>, reason: string | undefined): EventMsg {
  return {
    type: "mcp_tool_call_approval_request",
    callId: action.callId,
    server: action.server,
    tool: action.tool,
    arguments: action.arguments,
    message: `Allow the ${action.server} MCP server to run tool "${action.tool}"?`,
    ...(action.annotations !== undefined ? { annotations: action.annotations } : {}),
    ...(action.description ? { toolDescription: action.description } : {}),
    ...(action.approvalMode === "auto" ? { persist: ["session" as const, "always" as const] } : {}),
    ...(reason !== undefined ? { reason } : {}),
  };
}
