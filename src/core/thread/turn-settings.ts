import type { Op } from "../../protocol/ops.js";
import type { AskForApproval, SandboxPolicy } from "../../protocol/policy.js";
import type { RequestDefaults } from "./request-builder.js";

// A thread's settings for its next turns, and how an override_turn_context op changes them (TUI /model and
// /approvals, app-server turn/start overrides). Pure: the thread decides when the change applies.

export interface TurnSettings {
  approvalPolicy: AskForApproval;
  sandboxPolicy: SandboxPolicy;
  request: RequestDefaults;
  approvalsReviewer?: "user" | "guardian";
  cwd: string;
}

/** The settings after `op`; fields the op leaves out stay. */
export function withOverride(s: TurnSettings, op: Extract<Op, { type: "override_turn_context" }>): TurnSettings {
  const next: TurnSettings = { ...s, request: { ...s.request } };
  if (op.approvalPolicy) next.approvalPolicy = op.approvalPolicy;
  if (op.sandboxPolicy) next.sandboxPolicy = op.sandboxPolicy;
  if (op.approvalsReviewer) next.approvalsReviewer = op.approvalsReviewer;
  if (op.cwd !== undefined) next.cwd = op.cwd;
  if (op.model !== undefined) next.request.model = op.model;
  if (op.effort !== undefined || op.summary !== undefined) {
    const reasoning = { ...next.request.reasoning };
    if (op.effort !== undefined) reasoning.effort = op.effort;
    // As the reference: a "none" summary sends no summary field.
    if (op.summary === "none") delete reasoning.summary;
    else if (op.summary !== undefined) reasoning.summary = op.summary;
    next.request.reasoning = reasoning;
  }
  if (op.serviceTier === null) delete next.request.serviceTier;
  else if (op.serviceTier !== undefined) next.request.serviceTier = op.serviceTier;
  return next;
}
