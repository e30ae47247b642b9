import { parse as shellQuoteParse } from "shell-quote";
import type { AskForApproval, SandboxPolicy } from "../../protocol/policy.js";
import type { Assessment } from "./assessment.js";
import { parseCommand, shellWrapperScript, type PlainCommand } from "./command-parse.js";
import type { ProposedAction } from "./contract.js";
import { isDangerousArgv } from "./dangerous.js";
import { evaluate, strictest } from "./exec-policy/evaluate.js";
import { EMPTY_EXEC_POLICY, type ExecPolicy, type RuleDecision, type RuleMatch } from "./exec-policy/types.js";
import { isKnownSafePlainCommand } from "./known-safe.js";
import { assessMcp } from "./mcp-safety.js";
import { assessPatch } from "./patch-safety.js";
import { shlexJoin } from "./shlex.js";

// The one place that decides, from policy alone, whether an action runs, asks or is refused.
// Pure: the same inputs always give the same answer, for every front end.
//
// Exec decision order (mirrors Codex):
//  1. escalation (`require_escalated`) is only possible under on-request; elsewhere it is refused;
//  2. a re-run after a sandbox denial asks (never: refused) unless approved for the session;
//  3. each plain command is judged by the exec-policy rules, or by the fallback heuristics when
//     no rule matches; the strictest verdict wins;
//  4. forbidden → refuse; prompt → ask (never: refuse; session-approved: run);
//     allow → run, outside the sandbox only when every command matched an allow rule.

export interface SessionApprovals {
  /** argv prefixes approved "for this session". */
  commands?: readonly (readonly string[])[];
  /** Absolute paths a patch was approved for, for this session. */
  patchPaths?: ReadonlySet<string>;
  /** MCP tools approved "for this session" (mcp-safety.ts mcpSessionKey). */
  mcpTools?: ReadonlySet<string>;
}

export interface AssessOptions {
  rules?: ExecPolicy;
  sessionApproved?: SessionApprovals;
}

const POLICY_NAMES: Record<AskForApproval, string> = {
  untrusted: "UnlessTrusted",
  "on-failure": "OnFailure",
  "on-request": "OnRequest",
  never: "Never",
};
const PROMPT_UNDER_NEVER = "approval required by policy, but AskForApproval is set to Never";
/** Too broad to offer as a remembered prefix: allowing them would allow anything. */
const BANNED_PREFIXES = new Set(["python", "python3", "bash", "sh", "zsh", "node", "env", "sudo", "git", "perl", "ruby"]);

type ExecAction = Extract<ProposedAction, { kind: "exec" }>;

export function escalationRejectedReason(policy: AskForApproval): string {
  const name = POLICY_NAMES[policy];
  return `approval policy is ${name}; reject command — you cannot ask for escalated permissions if the approval policy is ${name}`;
}

function startsWith(argv: readonly string[], prefix: readonly string[]): boolean {
  return prefix.length > 0 && prefix.length <= argv.length && prefix.every((t, i) => argv[i] === t);
}

export function isSessionApproved(commands: readonly PlainCommand[], approved: readonly (readonly string[])[] = []): boolean {
  return commands.every((c) => approved.some((prefix) => startsWith(c.argv, prefix)));
}

/** Best effort for scripts we cannot parse: any literal forced `rm` in them. */
function scriptLooksDangerous(argv: readonly string[]): boolean {
  const script = shellWrapperScript(argv);
  if (script === undefined) return false;
  let tokens: ReturnType<typeof shellQuoteParse>;
  try {
    tokens = shellQuoteParse(script.replace(/[`()]/g, " ; "));
  } catch {
    return false;
  }
  let current: string[] = [];
  for (const t of [...tokens, { op: ";" } as const]) {
    if (typeof t === "string") {
      current.push(t);
      continue;
    }
    if (isDangerousArgv(current)) return true;
    current = [];
  }
  return false;
}

/** Codex's verdict for a command no rule matched. */
function fallbackDecision(
  command: PlainCommand,
  context: { policy: AskForApproval; sandbox: SandboxPolicy; escalated: boolean; parsed: boolean },
): RuleDecision {
  const { policy, sandbox, escalated } = context;
  if (context.parsed && policy === "untrusted" && isKnownSafePlainCommand(command)) return "allow";
  const dangerous = isDangerousArgv(command.argv) || (!context.parsed && scriptLooksDangerous(command.argv));
  if (dangerous) return policy === "never" ? "forbidden" : "prompt";
  switch (policy) {
    case "never":
    case "on-failure":
      return "allow";
    case "untrusted":
      return "prompt";
    case "on-request":
      return sandbox.mode === "danger-full-access" || !escalated ? "allow" : "prompt";
  }
}

function mostSpecific(matches: readonly RuleMatch[], decision: RuleDecision): RuleMatch["prefixRuleMatch"] | undefined {
  let best: RuleMatch["prefixRuleMatch"] | undefined;
  for (const { prefixRuleMatch: m } of matches) {
    if (m.decision !== decision) continue;
    if (best === undefined || m.matchedPrefix.length > best.matchedPrefix.length) best = m;
  }
  return best;
}

function proposedPrefixFor(argv: readonly string[] | undefined): { proposedPrefix?: string[] } {
  if (argv === undefined || argv.length === 0) return {};
  if (argv.length === 1 && BANNED_PREFIXES.has(argv[0] as string)) return {};
  return { proposedPrefix: [...argv] };
}

function assessExec(action: ExecAction, policy: AskForApproval, sandbox: SandboxPolicy, options: AssessOptions): Assessment {
  const fullAccess = sandbox.mode === "danger-full-access";
  if (action.escalated && policy !== "on-request") {
    return { kind: "reject", reason: escalationRejectedReason(policy) };
  }
  const parsed = parseCommand(action.argv);
  const sessionOk = isSessionApproved(parsed.commands, options.sessionApproved?.commands);

  if (action.retryReason !== undefined) {
    if (policy === "never") {
      return { kind: "reject", reason: `${action.retryReason} (approval policy is never; not retrying without the sandbox)` };
    }
    if (sessionOk) return { kind: "auto", sandboxed: false };
    return { kind: "ask", reason: action.retryReason, ...proposedPrefixFor(parsed.commands[0]?.argv) };
  }

  const rules = options.rules ?? EMPTY_EXEC_POLICY;
  const decisions: RuleDecision[] = [];
  const matched: RuleMatch[] = [];
  let everyCommandAllowedByRule = true;
  let firstHeuristicPrompt: string[] | undefined;
  for (const command of parsed.commands) {
    const evaluation = evaluate(rules, command.argv);
    if (evaluation.decision !== undefined) {
      decisions.push(evaluation.decision);
      matched.push(...evaluation.matchedRules);
      everyCommandAllowedByRule &&= evaluation.matchedRules.some((m) => m.prefixRuleMatch.decision === "allow");
      continue;
    }
    everyCommandAllowedByRule = false;
    const verdict = fallbackDecision(command, { policy, sandbox, escalated: action.escalated, parsed: parsed.parsed });
    if (verdict === "prompt" && firstHeuristicPrompt === undefined) firstHeuristicPrompt = command.argv;
    decisions.push(verdict);
  }

  const rendered = shlexJoin(action.argv);
  const decision = strictest(decisions) ?? "allow";
  if (decision === "forbidden") {
    const rule = mostSpecific(matched, "forbidden");
    if (rule === undefined) return { kind: "reject", reason: `\`${rendered}\` rejected: blocked by policy` };
    const why = rule.justification ?? `policy forbids commands starting with \`${shlexJoin(rule.matchedPrefix)}\``;
    return { kind: "reject", reason: `\`${rendered}\` rejected: ${why}` };
  }
  if (decision === "prompt") {
    if (policy === "never") return { kind: "reject", reason: PROMPT_UNDER_NEVER };
    if (sessionOk) return { kind: "auto", sandboxed: !fullAccess && !action.escalated };
    const rule = mostSpecific(matched, "prompt");
    if (rule !== undefined) {
      const why = rule.justification !== undefined ? `: ${rule.justification}` : " by policy";
      return { kind: "ask", reason: `\`${rendered}\` requires approval${why}` };
    }
    return {
      kind: "ask",
      ...(action.justification !== undefined ? { reason: action.justification } : {}),
      ...proposedPrefixFor(firstHeuristicPrompt),
    };
  }
  return { kind: "auto", sandboxed: !fullAccess && !everyCommandAllowedByRule };
}

export function assess(
  action: ProposedAction,
  policy: AskForApproval,
  sandbox: SandboxPolicy,
  options: AssessOptions = {},
): Assessment {
  if (action.kind === "patch") {
    const approved = options.sessionApproved?.patchPaths;
    return assessPatch(action, policy, sandbox, approved !== undefined ? { sessionApprovedPaths: approved } : {});
  }
  if (action.kind === "mcp") {
    const approved = options.sessionApproved?.mcpTools;
    return assessMcp(action, policy, sandbox, approved !== undefined ? { sessionApprovedTools: approved } : {});
  }
  return assessExec(action, policy, sandbox, options);
}
