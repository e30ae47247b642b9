import type { AskForApproval, SandboxPolicy } from "../../protocol/policy.js";
import type { Assessment } from "./assessment.js";
import type { McpToolApprovalMode, McpToolHints, ProposedAction } from "./contract.js";

// Whether an MCP tool call runs without asking, as Codex 0.169 decides it: `approve` never asks; approval
// policy `never` with full access never asks; otherwise the tool's approval mode and annotations decide
// (auto: a destructive tool asks, a read-only one does not, and one that declares neither asks unless it is
// also marked closed-world and non-destructive); a tool approved for the session (auto mode) runs.
// An ask under approval policy `never` is refused — after PermissionRequest hooks had their say (gate.ts).

export const MCP_REFUSED_UNDER_NEVER = "MCP tool call requires approval, but approval policy is never";

type McpAction = Extract<ProposedAction, { kind: "mcp" }>;

/** Codex's reading of the annotations in `auto` mode. */
export function annotationsRequireApproval(hints: McpToolHints | undefined): boolean {
  if (hints?.destructiveHint === true) return true;
  if (hints?.readOnlyHint === true) return false;
  return (hints?.destructiveHint ?? true) || (hints?.openWorldHint ?? true);
}

export function mcpModeRequiresApproval(hints: McpToolHints | undefined, mode: McpToolApprovalMode): boolean {
  switch (mode) {
    case "auto":
      return annotationsRequireApproval(hints);
    case "prompt":
      return true;
    case "writes":
      return hints?.readOnlyHint !== true;
    case "approve":
      return false;
  }
}

/** The key an "approved for this session" answer is remembered under (auto mode only, as the reference). */
export function mcpSessionKey(action: Pick<McpAction, "server" | "tool" | "approvalMode">): string | undefined {
  return action.approvalMode === "auto" ? `${action.server}\u0000${action.tool}` : undefined;
}

export function assessMcp(
  action: McpAction,
  policy: AskForApproval,
  sandbox: SandboxPolicy,
  options: { sessionApprovedTools?: ReadonlySet<string> } = {},
): Assessment {
  // MCP servers are not sandboxed by us: `sandboxed` only matters to commands and patches.
  const run: Assessment = { kind: "auto", sandboxed: sandbox.mode !== "danger-full-access" };
  if (action.approvalMode === "approve") return run;
  if (policy === "never" && sandbox.mode === "danger-full-access") return run;
  if (!mcpModeRequiresApproval(action.annotations, action.approvalMode)) return run;
  const key = mcpSessionKey(action);
  if (key !== undefined && options.sessionApprovedTools?.has(key)) return run;
  return { kind: "ask" };
}
