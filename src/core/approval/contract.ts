import type { FileChangeSummary } from "../../protocol/events.js";
import type { ReviewDecision } from "../../protocol/policy.js";

export type ProposedAction =
  | {
      kind: "exec";
      callId: string;
      argv: string[];
      cwd: string;
      /** Model asked to run outside the sandbox (`sandbox_permissions: require_escalated`). */
      escalated: boolean;
      justification?: string;
      /** Set when asking to re-run after a sandbox denial (on-failure). */
      retryReason?: string;
    }
  | {
      kind: "patch";
      callId: string;
      paths: string[];
      cwd: string;
      justification?: string;
      /** What the patch would do, per file (path, kind, move target, unified diff), for the person asked. */
      changes?: FileChangeSummary[];
    }
  | {
      kind: "mcp";
      callId: string;
      /** The configured server name and the tool's own name on the wire. */
      server: string;
      tool: string;
      /** The name the model called (`mcp__server__tool`): what PermissionRequest hooks match. */
      qualifiedName: string;
      arguments: Record<string, unknown>;
      /** The tool's MCP annotations (`readOnlyHint`, `destructiveHint`, `openWorldHint`) as the server declared them. */
      annotations?: McpToolHints;
      /** `[mcp_servers.S.tools.T] approval_mode`, else the server's `default_tools_approval_mode` (default `auto`). */
      approvalMode: McpToolApprovalMode;
      /** The tool's description, for the person asked. */
      description?: string;
    };

/** How a configured MCP tool is approved: by its annotations, always asked, asked unless read-only, or never asked. */
export type McpToolApprovalMode = "auto" | "prompt" | "writes" | "approve";

export interface McpToolHints {
  readOnlyHint?: boolean;
  destructiveHint?: boolean;
  openWorldHint?: boolean;
}

/** The gate's full answer: the decision, where an approved command runs, and why a refusal happened. */
export interface ApprovalOutcome {
  decision: ReviewDecision;
  /** Whether an approved action runs inside the sandbox (false: escalation approved, allow rule...). */
  sandboxed: boolean;
  /** For refusals: the text for the model (policy reason, or "rejected by user"). */
  reason?: string;
  /** The refusal came from the reviewer that answered in a person's place (the guardian), with its own reason. */
  byReviewer?: boolean;
}

/** Asks a person (through events) or answers by policy. Exec answers by policy alone. */
export interface ApprovalGate {
  decide(action: ProposedAction, options: { signal: AbortSignal }): Promise<ReviewDecision>;
  review(action: ProposedAction, options: { signal: AbortSignal }): Promise<ApprovalOutcome>;
}

/** The reason the gate gives when a person said no (the model then sees Codex's "rejected by user" text). */
export const REJECTED_BY_USER = "rejected by user";

/** True when a refusal came from a person rather than from the policy (whose reason goes to the model). */
export function isPersonRefusal(outcome: ApprovalOutcome): boolean {
  return outcome.reason === undefined || outcome.reason === REJECTED_BY_USER;
}
