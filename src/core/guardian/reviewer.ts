import type { EventMsg } from "../../protocol/events.js";
import type { ResponseItem, ToolCallItem } from "../../protocol/items.js";
import type { ReviewDecision, SandboxPolicy } from "../../protocol/policy.js";
import type { ApprovalGate, ProposedAction } from "../approval/contract.js";
import type { ApprovalRequestContext, ReviewerAnswer } from "../approval/gate.js";
import type { ExecRunner } from "../exec/contract.js";
import type { ModelClient } from "../model/contract.js";
import { createUnifiedExecTools } from "../tools/handlers/unified-exec-sessions.js";
import { viewImageTool } from "../tools/handlers/view-image.js";
import { createToolRegistry } from "../tools/registry.js";
import { createGuardianSession, GUARDIAN_OUTPUT_SCHEMA, type GuardianSession, type GuardianTurn } from "./guardian-session.js";
import { deniedText, reviewFailedText } from "./verdict.js";

// Smart Approvals: with `approvals_reviewer = "guardian_subagent"` the approval policy still decides when
// an action needs approval, and this reviewer answers instead of a person. It reads the thread's history
// as evidence; its session is the thread's for as long as the thread lives.

export interface GuardianReviewerDeps {
  model: ModelClient;
  parentThreadId: string;
  /**
   * The parent's request identity for a guardian request (headers, client metadata), naming what the guardian's
   * request runs with: its model and effort, and its read-only sandbox.
   */
  identity(settings: { model: string; reasoningEffort: string; sandboxPolicy: SandboxPolicy }): {
    headers: Record<string, string>;
    clientMetadata: Record<string, string>;
  };
  cwd: string;
  exec: ExecRunner;
  env: Record<string, string>;
  spoolDir: string;
  /** A gate that never asks (its commands run read-only). */
  readOnlyGate: ApprovalGate;
  readOnlySandbox: SandboxPolicy;
  /** The reviewed thread's history now. */
  transcript(): readonly ResponseItem[];
}

export interface GuardianReviewer {
  /**
   * The gate's `ask` for one turn: events of each review go out through `emit`. As the reference 0.169, the
   * guardian runs on the model the turn runs with now (`turn`), at low effort, not the thread's first model.
   */
  asker(
    emit: (msg: EventMsg) => void,
    turn: GuardianTurn,
  ): (action: ProposedAction, context: ApprovalRequestContext) => Promise<ReviewDecision | ReviewerAnswer>;
  dispose(): Promise<void>;
}

export function createGuardianReviewer(deps: GuardianReviewerDeps): GuardianReviewer {
  const unified = createUnifiedExecTools({});
  const tools = createToolRegistry([unified.execCommand, unified.writeStdin, viewImageTool]);
  const session: GuardianSession = createGuardianSession({
    model: deps.model,
    parentThreadId: deps.parentThreadId,
    tools,
    buildRequest: (input, registry, turn) => {
      const effort = "low";
      const id = deps.identity({ model: turn.model, reasoningEffort: effort, sandboxPolicy: deps.readOnlySandbox });
      return {
        model: turn.model,
        input: [...input],
        tools: registry.specs(),
        parallelToolCalls: false,
        reasoning: { effort },
        verbosity: "low",
        outputSchema: GUARDIAN_OUTPUT_SCHEMA,
        outputSchemaStrict: false,
        promptCacheKey: `guardian:${deps.parentThreadId}`,
        headers: { ...id.headers, "x-openai-subagent": "guardian", "x-codex-parent-thread-id": deps.parentThreadId },
        clientMetadata: id.clientMetadata,
      };
    },
    toolContext: (call: ToolCallItem, signal: AbortSignal) => ({
      cwd: deps.cwd,
      callId: call.call_id,
      sandboxPolicy: deps.readOnlySandbox,
      approvalPolicy: "never",
      env: deps.env,
      exec: deps.exec,
      approval: deps.readOnlyGate,
      emit: () => {},
      signal,
      spoolDir: deps.spoolDir,
    }),
  });

  return {
    asker: (emit, turn) => async (action, context) => {
      const shown = actionView(action);
      emit({ type: "guardian_review_started", callId: action.callId, action: shown });
      const result = await session.review({
        action,
        ...(context.reason !== undefined ? { reason: context.reason } : {}),
        transcript: deps.transcript(),
        signal: context.signal,
        turn,
      });
      if (result.kind === "aborted") {
        emit({ type: "guardian_review_completed", callId: action.callId, action: shown, status: "aborted" });
        return "abort";
      }
      if (result.kind === "failed") {
        emit({ type: "guardian_review_completed", callId: action.callId, action: shown, status: "failed", rationale: result.problem });
        return { decision: "denied", reason: reviewFailedText(result.problem) };
      }
      const v = result.verdict;
      const allowed = v.outcome === "allow";
      emit({
        type: "guardian_review_completed",
        callId: action.callId,
        action: shown,
        status: allowed ? "approved" : "denied",
        ...(v.risk_level ? { riskLevel: v.risk_level } : {}),
        ...(v.user_authorization ? { userAuthorization: v.user_authorization } : {}),
        ...(v.rationale ? { rationale: v.rationale } : {}),
      });
      return allowed ? "approved" : { decision: "denied", reason: deniedText(v) };
    },
    dispose: () => unified.dispose(),
  };
}

/** What front ends show of the reviewed action. */
function actionView(action: ProposedAction): Record<string, unknown> {
  if (action.kind === "exec") return { type: "command", command: action.argv, cwd: action.cwd };
  if (action.kind === "patch") return { type: "fileChange", files: action.paths, cwd: action.cwd };
  return { type: "mcpToolCall", server: action.server, tool: action.tool, arguments: action.arguments };
}
