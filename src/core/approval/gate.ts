import path from "node:path";
import { isApprovedDecision, type AskForApproval, type ReviewDecision, type SandboxPolicy } from "../../protocol/policy.js";
import { assess } from "./assess.js";
import type { Assessment } from "./assessment.js";
import { parseCommand } from "./command-parse.js";
import { REJECTED_BY_USER, type ApprovalGate, type ApprovalOutcome, type ProposedAction } from "./contract.js";
import { appendAllowPrefixRule } from "./exec-policy/amend.js";
import { withRules } from "./exec-policy/evaluate.js";
import { EMPTY_EXEC_POLICY, type ExecPolicy } from "./exec-policy/types.js";
import { MCP_REFUSED_UNDER_NEVER, mcpSessionKey } from "./mcp-safety.js";

// The ApprovalGate: decide by policy first (assess), and only for an "ask" verdict reach a person
// through `ask`. Without `ask` (headless `codex exec`) an ask becomes `denied`: exec never waits
// on stdin. Session approvals and remembered rules live in this gate instance, not in a global.

/** What the asker learns besides the action itself. */
export interface ApprovalRequestContext {
  signal: AbortSignal;
  /** Why approval is needed (rule justification, model justification, sandbox denial). */
  reason?: string;
  /** The argv prefix an "approve and remember" would allow. */
  proposedPrefix?: string[];
}

export interface ReviewOutcome extends ApprovalOutcome {
  /** The policy verdict the outcome came from. */
  assessment: Assessment;
}

export interface ReviewOptions {
  signal: AbortSignal;
  /** Per-turn overrides (e.g. after `/approvals`); default to the gate's deps. */
  policy?: AskForApproval;
  sandbox?: SandboxPolicy;
}

export interface ApprovalGateDeps {
  policy: AskForApproval;
  sandbox: SandboxPolicy;
  rules?: ExecPolicy;
  /** Needed by rememberRule: rules are appended to `$CODEX_HOME/rules/default.rules`. */
  codexHome?: string;
  /**
   * Who answers an "ask" verdict: a person (the thread's broker) or a reviewer (the guardian), which may
   * say why it refused: that reason is what the model reads.
   */
  ask?: (action: ProposedAction, context: ApprovalRequestContext) => Promise<ReviewDecision | ReviewerAnswer>;
  /**
   * "Allow and don't ask me again" for an MCP tool (the person answered `approved_execpolicy_amendment` to an
   * `mcp` action in auto mode): persists `approval_mode = "approve"`; the session remembers it regardless.
   */
  rememberMcpTool?: (server: string, tool: string) => Promise<unknown>;
  /** PermissionRequest hooks: consulted when the policy says ask, before (and instead of) a person. */
  permissionHook?: (action: ProposedAction) => Promise<{ behavior: "allow" | "deny"; message?: string } | undefined>;
  /**
   * Rules in force, shared beyond this gate: the runtime keeps one for all its threads, so a rule remembered
   * in one turn (or by a sub-agent) applies to every later turn and every agent of the tree. Wins over `rules`.
   */
  sharedRules?: { current: ExecPolicy };
  /** What "approve for this session" covered so far, kept by the thread across its turns. */
  session?: SessionApprovalMemory;
}

/** A thread's session approvals: argv prefixes (after unwrapping) and absolute patch paths. */
export interface SessionApprovalMemory {
  commands: string[][];
  patchPaths: Set<string>;
  /** MCP tools approved for the session, as `server/tool`. */
  mcpTools: Set<string>;
}

export function createSessionApprovals(): SessionApprovalMemory {
  return { commands: [], patchPaths: new Set<string>(), mcpTools: new Set<string>() };
}

/** A reviewer's answer with its own explanation of a refusal. */
export interface ReviewerAnswer {
  decision: ReviewDecision;
  reason?: string;
}

export interface SessionApprovalState {
  commands: string[][];
  patchPaths: string[];
  /** MCP tools approved for the session, as `server/tool`. */
  mcpTools: string[];
}

export interface FullApprovalGate extends ApprovalGate {
  decide(action: ProposedAction, options: ReviewOptions): Promise<ReviewDecision>;
  /** Like decide(), plus whether to sandbox and why a refusal happened. */
  review(action: ProposedAction, options: ReviewOptions): Promise<ReviewOutcome>;
  /** What has been approved for this session (argv prefixes after unwrapping, patch paths). */
  approvedForSession(): SessionApprovalState;
  /** Appends an allow rule to `$CODEX_HOME/rules/default.rules` and applies it at once. */
  rememberRule(argvPrefix: readonly string[]): Promise<void>;
  /** The exec policy currently in force, including remembered rules. */
  rules(): ExecPolicy;
}

const DENIED_BY_POLICY = "approval required, but no one is available to approve (headless exec); command not run";
const MCP_NO_ONE_TO_ASK = "MCP tool call requires approval, but no one is available to approve it";

export function createApprovalGate(deps: ApprovalGateDeps): FullApprovalGate {
  const shared = deps.sharedRules ?? { current: deps.rules ?? EMPTY_EXEC_POLICY };
  const {
    commands: sessionCommands,
    patchPaths: sessionPatchPaths,
    mcpTools: sessionMcpTools,
  } = deps.session ?? createSessionApprovals();

  const recordSessionApproval = (action: ProposedAction): void => {
    if (action.kind === "patch") {
      for (const p of action.paths) sessionPatchPaths.add(path.resolve(action.cwd, p));
      return;
    }
    if (action.kind === "mcp") {
      const key = mcpSessionKey(action);
      if (key !== undefined) sessionMcpTools.add(key);
      return;
    }
    // The canonical prefix is the parsed argv (after unwrapping `bash -lc`), not the raw string,
    // so a later `bash -lc "npm test"` and `["npm", "test"]` are the same approval.
    for (const command of parseCommand(action.argv).commands) {
      const known = sessionCommands.some((c) => c.length === command.argv.length && c.every((t, i) => t === command.argv[i]));
      if (!known) sessionCommands.push([...command.argv]);
    }
  };

  const review = async (action: ProposedAction, options: ReviewOptions): Promise<ReviewOutcome> => {
    const policy = options.policy ?? deps.policy;
    const assessment = assess(action, policy, options.sandbox ?? deps.sandbox, {
      rules: shared.current,
      sessionApproved: { commands: sessionCommands, patchPaths: sessionPatchPaths, mcpTools: sessionMcpTools },
    });
    if (assessment.kind === "auto") return { decision: "approved", sandboxed: assessment.sandboxed, assessment };
    if (assessment.kind === "reject") {
      return { decision: "denied", sandboxed: true, reason: assessment.reason, assessment };
    }
    const hooked = deps.permissionHook ? await deps.permissionHook(action) : undefined;
    if (hooked?.behavior === "deny") {
      return { decision: "denied", sandboxed: true, reason: hooked.message ?? "denied by a PermissionRequest hook", assessment };
    }
    if (hooked?.behavior === "allow") {
      return { decision: "approved", sandboxed: runsSandboxedOnceApproved(action, options.sandbox ?? deps.sandbox), assessment };
    }
    // Only an MCP call reaches here under `never` (its hooks run first, as in the reference); nobody is asked.
    if (policy === "never") return { decision: "denied", sandboxed: true, reason: MCP_REFUSED_UNDER_NEVER, assessment };
    if (deps.ask === undefined) {
      return { decision: "denied", sandboxed: true, reason: action.kind === "mcp" ? MCP_NO_ONE_TO_ASK : DENIED_BY_POLICY, assessment };
    }
    if (options.signal.aborted) return { decision: "abort", sandboxed: true, assessment };
    const answer = await deps.ask(action, {
      signal: options.signal,
      ...(assessment.reason !== undefined ? { reason: assessment.reason } : {}),
      ...(assessment.proposedPrefix !== undefined ? { proposedPrefix: assessment.proposedPrefix } : {}),
    });
    const asked = typeof answer === "string" ? answer : answer.decision;
    const answerReason = typeof answer === "string" ? undefined : answer.reason;
    // Remembered answers exist for MCP tools in auto mode only (prompt and writes always ask), as the reference.
    const decision = action.kind === "mcp" && action.approvalMode !== "auto" && isApprovedDecision(asked) ? "approved" : asked;
    if (decision === "approved_for_session") recordSessionApproval(action);
    if (decision === "approved_execpolicy_amendment" && action.kind === "mcp") {
      recordSessionApproval(action);
      await deps.rememberMcpTool?.(action.server, action.tool)?.catch(() => undefined);
    }
    if (decision === "approved_execpolicy_amendment" && action.kind === "exec") {
      const prefix = assessment.proposedPrefix ?? parseCommand(action.argv).commands[0]?.argv;
      if (prefix && prefix.length > 0) await rememberRule(prefix);
    }
    const approved = isApprovedDecision(decision);
    return {
      decision,
      sandboxed: approved ? runsSandboxedOnceApproved(action, options.sandbox ?? deps.sandbox) : true,
      ...(approved ? {} : { reason: answerReason ?? (decision === "abort" ? "aborted by user" : REJECTED_BY_USER) }),
      ...(!approved && answerReason !== undefined ? { byReviewer: true } : {}),
      assessment,
    };
  };

  async function rememberRule(argvPrefix: readonly string[]): Promise<void> {
    if (deps.codexHome === undefined) throw new Error("rememberRule needs codexHome to locate rules/default.rules");
    const rule = await appendAllowPrefixRule(deps.codexHome, argvPrefix);
    shared.current = withRules(shared.current, [rule]);
  }

  return {
    review,
    async decide(action, options) {
      return (await review(action, options)).decision;
    },
    approvedForSession() {
      return {
        commands: sessionCommands.map((c) => [...c]),
        patchPaths: [...sessionPatchPaths],
        mcpTools: [...sessionMcpTools].map((k) => k.replace("\u0000", "/")),
      };
    },
    rememberRule,
    rules: () => shared.current,
  };
}

/**
 * Where an action runs once a person (or a PermissionRequest hook) approved it as asked: escalations and
 * retries after a sandbox denial leave the sandbox; everything else stays in it unless there is none.
 */
function runsSandboxedOnceApproved(action: ProposedAction, sandbox: SandboxPolicy): boolean {
  return sandbox.mode !== "danger-full-access" && !(action.kind === "exec" && (action.escalated || action.retryReason !== undefined));
}
