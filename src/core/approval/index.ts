export type { ApprovalGate, ProposedAction } from "./contract.js";
export type { Assessment } from "./assessment.js";
export { assess, escalationRejectedReason, type AssessOptions, type SessionApprovals } from "./assess.js";
export { isKnownSafeCommand, isSafeArgv } from "./known-safe.js";
export { isDangerousArgv } from "./dangerous.js";
export { parseCommand, parseShellScript, type ParsedCommand, type PlainCommand } from "./command-parse.js";
export { assessPatch } from "./patch-safety.js";
export { mcpApprovalDecision, mcpApprovalElicitation, type McpApprovalElicitation, type McpToolApprovalRequest } from "./mcp-elicitation.js";
export {
  createApprovalGate,
  createSessionApprovals,
  type ApprovalGateDeps,
  type SessionApprovalMemory,
  type ReviewerAnswer,
  type ApprovalRequestContext,
  type FullApprovalGate,
  type ReviewOptions,
  type ReviewOutcome,
  type SessionApprovalState,
} from "./gate.js";
export * from "./exec-policy/index.js";
export { shlexJoin, shlexSplit } from "./shlex.js";
