import type { AskForApproval, ReviewDecision, SandboxPolicy } from "./policy.js";
import type { UserInput } from "./items.js";
import type { UserInputResponse } from "./user-input.js";

// Operations a front end submits to a thread.
export type Op =
  | {
      type: "user_turn";
      items: UserInput[];
      /** JSON Schema the final message must follow (`--output-schema`). */
      outputSchema?: unknown;
      /** The turn's id, when the front end must know it before the turn starts (app-server turn/start). */
      turnId?: string;
      /** W3C trace context of the caller (app-server request param): the parent of this turn's span. */
      trace?: { traceparent: string; tracestate?: string };
      /** This turn's service tier only (app-server `serviceTierForTurn`); null: the default tier. */
      serviceTier?: string | null;
    }
  /** More input for the running turn (app-server turn/steer): the model sees it at its next request. */
  | { type: "steer"; items: UserInput[]; expectedTurnId: string }
  /** Drop the last `numTurns` user turns from the history (app-server thread/revert); answered by `thread_rolled_back`. */
  | { type: "rollback"; numTurns: number }
  | { type: "interrupt" }
  /** Compact the history now (TUI /compact, app-server thread/compact/start); runs like a turn. */
  | { type: "compact" }
  | { type: "exec_approval"; callId: string; decision: ReviewDecision }
  | { type: "patch_approval"; callId: string; decision: ReviewDecision }
  | { type: "mcp_tool_approval"; callId: string; decision: ReviewDecision }
  /** The person's answers to a `request_user_input` event (same callId). */
  | { type: "user_input_answer"; callId: string; response: UserInputResponse }
  /** Answered by a `background_terminals` event. */
  | { type: "list_background_terminals" }
  /** Stop every background terminal of the thread; answered by `background_terminals_cleaned`. */
  | { type: "clean_background_terminals" }
  /** A command the person typed (`!cmd`): runs like a turn, in their shell outside the sandbox; recorded for the model. */
  | { type: "run_user_shell_command"; command: string }
  /** Settings of the next turns (TUI /model, /approvals); fields left out stay as they are. */
  | {
      type: "override_turn_context";
      model?: string;
      effort?: string;
      approvalPolicy?: AskForApproval;
      sandboxPolicy?: SandboxPolicy;
      /** Who answers approvals from now on: the person, or the guardian reviewer (Smart Approvals). */
      approvalsReviewer?: "user" | "guardian";
      /** The working directory of the next turns (absolute; app-server turn/start `cwd`). */
      cwd?: string;
      /** The reasoning summary the next requests ask for ("none" asks for none). */
      summary?: string;
      /** The service tier of the next requests; null goes back to the default. */
      serviceTier?: string | null;
    }
  /**
   * Another agent left mail for this thread's agent (sub-agents): run a turn whose input is that mail.
   * Queued behind a running turn; a turn with no mail left by then does not run.
   */
  | { type: "agent_turn" }
  /**
   * Asks again, at once, for the tool calls whose approval was never answered (a resumed thread; see
   * Thread.pendingApprovals): a turn that runs them (approved) or reports the refusal, then lets the model
   * go on. Nothing happens when nothing is pending.
   */
  | { type: "resume_pending" }
  | { type: "shutdown" };
