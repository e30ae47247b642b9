import path from "node:path";
import { isApprovedDecision, type SandboxPolicy } from "../../../protocol/policy.js";
import { extractApplyPatchInvocation } from "../../apply-patch/index.js";
import { isPersonRefusal, type ProposedAction } from "../../approval/contract.js";
import { ToolError, type ToolContext, type ToolOutput } from "../contract.js";
import { runApplyPatch } from "./apply-patch.js";
import { execEventReporter } from "../../exec/exec-events.js";

/** What a shell-family tool call wants to run, before any approval. */
export interface ShellCallPlan {
  toolName: "exec_command" | "shell_command";
  /** The script the model sent; checked for an `apply_patch` heredoc. */
  script: string;
  argv: string[];
  cwd: string;
  /** `sandbox_permissions: "require_escalated"`. */
  escalate: boolean;
  justification?: string;
}

/** Builds the plan from a shell tool's arguments: `<shell> -lc|-c <script>` in the call's workdir. */
export function planShellCall(
  toolName: ShellCallPlan["toolName"],
  args: { script: string; shell: string; login: boolean; workdir?: string; sandbox_permissions: string; justification?: string },
  ctx: Pick<ToolContext, "cwd">,
): ShellCallPlan {
  return {
    toolName,
    script: args.script,
    argv: [args.shell, args.login ? "-lc" : "-c", args.script],
    cwd: path.resolve(ctx.cwd, args.workdir ?? "."),
    escalate: args.sandbox_permissions === "require_escalated",
    ...(args.justification !== undefined ? { justification: args.justification } : {}),
  };
}

export type ShellGateOutcome =
  | { kind: "run"; sandbox: SandboxPolicy }
  | { kind: "respond"; output: ToolOutput };

export const ESCALATION_UNDER_NEVER =
  "approval policy is Never; reject command — you cannot ask for escalated permissions if the approval policy is Never";

const UNSANDBOXED: SandboxPolicy = { mode: "danger-full-access" };


function declinedText(toolName: string): string {
  return `${toolName} failed: CreateProcess { message: "Rejected(\\"rejected by user\\")" }`;
}

/**
 * Shared front half of `exec_command` and `shell_command`: route `apply_patch` heredocs to the patch
 * engine, refuse escalation under `never`, ask the approval gate, and on a decline emit the
 * begin/end pair (status "declined") the front ends show.
 */
export async function gateShellCall(plan: ShellCallPlan, ctx: ToolContext): Promise<ShellGateOutcome> {
  const patch = extractApplyPatchInvocation(plan.script);
  if (patch !== null) {
    // `cd DIR && apply_patch …` writes relative to DIR (itself relative to the call's workdir); the patch
    // handler still judges every path against the turn's cwd and sandbox.
    const workdir = patch.workdir === undefined ? plan.cwd : path.resolve(plan.cwd, patch.workdir);
    return { kind: "respond", output: await runApplyPatch(patch.patch, ctx, { workdir }) };
  }

  const action: ProposedAction = {
    kind: "exec",
    callId: ctx.callId,
    argv: plan.argv,
    cwd: plan.cwd,
    escalated: plan.escalate,
    ...(plan.justification !== undefined ? { justification: plan.justification } : {}),
  };
  const outcome = await ctx.approval.review(action, { signal: ctx.signal });
  if (outcome.decision === "abort") throw ToolError.abortTurn("command approval aborted");
  if (!isApprovedDecision(outcome.decision)) {
    // A refusal by policy (escalation under `never`, a forbidden rule) tells the model why; a
    // person's "no" is reported the way Codex reports it. A refused escalation request is only an
    // answer to the model (the command itself may still run sandboxed), so it shows no item.
    const byPerson = isPersonRefusal(outcome);
    if (byPerson || outcome.byReviewer === true || !plan.escalate) emitDeclined(plan, ctx);
    return {
      kind: "respond",
      output: { content: byPerson ? declinedText(plan.toolName) : outcome.reason!, success: false },
    };
  }
  return { kind: "run", sandbox: outcome.sandboxed ? ctx.sandboxPolicy : UNSANDBOXED };
}

/**
 * After a sandboxed run that looks denied, under `on-failure`, ask whether to run again outside the
 * sandbox. Returns the policy to re-run with, or undefined to keep the failed result.
 */
export async function retryPolicyAfterDenial(
  plan: ShellCallPlan,
  ctx: ToolContext,
  o: { sandboxDenied: boolean | undefined; sandboxUsed: SandboxPolicy },
): Promise<SandboxPolicy | undefined> {
  // Like Codex, only the policies where a person reviews failures offer the unsandboxed re-run:
  // under on-request the model asks for escalation itself, under never nobody is asked.
  const offersRetry = ctx.approvalPolicy === "on-failure" || ctx.approvalPolicy === "untrusted";
  if (!o.sandboxDenied || !offersRetry || o.sandboxUsed.mode === "danger-full-access") {
    return undefined;
  }
  const { decision } = await ctx.approval.review(
    {
      kind: "exec",
      callId: ctx.callId,
      argv: plan.argv,
      cwd: plan.cwd,
      // Not a model escalation request: the retry is the policy's own question to the person.
      escalated: false,
      retryReason: "command failed; retry without sandbox?",
      ...(plan.justification !== undefined ? { justification: plan.justification } : {}),
    },
    { signal: ctx.signal },
  );
  if (decision === "abort") throw ToolError.abortTurn("command approval aborted");
  return isApprovedDecision(decision) ? UNSANDBOXED : undefined;
}

function emitDeclined(plan: ShellCallPlan, ctx: ToolContext): void {
  const events = execEventReporter({ emit: ctx.emit, callId: ctx.callId, argv: plan.argv, cwd: plan.cwd });
  events.begin();
  events.declined();
}
