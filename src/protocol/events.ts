import type { AskForApproval, ReviewDecision, SandboxPolicy } from "./policy.js";
import type { ResponseItem, TokenUsage } from "./items.js";
import type { UserInputQuestion } from "./user-input.js";

// Events a thread emits. Front ends (exec JSONL, human exec, TUI, app-server) map these; core never
// formats for a front end. Every turn ends with exactly one of task_complete, turn_failed, turn_aborted.

export type TurnErrorKind =
  | "unauthorized"
  | "quota_exceeded"
  | "usage_not_included"
  | "rate_limited"
  | "context_window_exceeded"
  | "invalid_request"
  | "server_error"
  | "network"
  | "stream_disconnected"
  | "idle_timeout"
  /** The turn's text inputs exceed the bound (1,048,576 characters); nothing was sent. */
  | "input_too_large"
  | "internal";

export interface TurnError {
  kind: TurnErrorKind;
  message: string;
  httpStatus?: number;
  retryAfterMs?: number;
}

export interface FileChangeSummary {
  /** Absolute path. For a move, the destination. */
  path: string;
  kind: "add" | "delete" | "update";
  movedFrom?: string;
  /** This file's unified diff (for approvals and UIs: what the person is asked to accept). */
  unifiedDiff?: string;
}

export interface PlanItem {
  step: string;
  status: "pending" | "in_progress" | "completed";
}

/** One run of one hook handler (hook_started / hook_completed). */
export interface HookRunSummary {
  /** `<event>:<displayOrder>:<source path>` (the Stop continuation's hook_run_id). */
  id: string;
  eventName: string;
  scope: "user" | "project";
  sourcePath: string;
  displayOrder: number;
  command: string;
  statusMessage?: string;
  status: "running" | "completed" | "blocked" | "failed" | "stopped";
  turnId: string | null;
  /** Epoch milliseconds. */
  startedAt: number;
  durationMs?: number;
  entries: Array<{ kind: "warning" | "feedback" | "error" | "context" | "stop"; text: string }>;
}

export type EventMsg =
  | {
      type: "session_configured";
      threadId: string;
      model: string;
      modelProvider: string;
      cwd: string;
      approvalPolicy: AskForApproval;
      sandboxPolicy: SandboxPolicy;
      reasoningEffort: string | null;
      reasoningSummary: string | null;
      rolloutPath: string | null;
    }
  /** The settings of the next turns after an override_turn_context op (/model, /approvals). */
  | { type: "turn_context_updated"; model: string; reasoningEffort: string | null; approvalPolicy: AskForApproval; sandboxPolicy: SandboxPolicy }
  | { type: "task_started"; turnId: string }
  | { type: "user_message"; message: string; images: string[] }
  | { type: "agent_message_delta"; delta: string }
  | { type: "agent_message"; message: string; itemId?: string }
  | { type: "agent_reasoning_delta"; delta: string }
  | { type: "agent_reasoning"; text: string }
  | {
      type: "exec_command_begin";
      callId: string;
      /** Display form, e.g. `/bin/bash -lc 'ls'`. */
      command: string;
      argv: string[];
      cwd: string;
      /** Set for a command the person typed (`!cmd`): it ran outside the sandbox, in their shell. */
      source?: "user_shell";
    }
  | { type: "exec_command_output_delta"; callId: string; stream: "stdout" | "stderr"; chunk: string }
  | {
      type: "exec_command_end";
      callId: string;
      command: string;
      exitCode: number | null;
      aggregatedOutput: string;
      status: "completed" | "failed" | "declined";
      durationMs: number;
      source?: "user_shell";
      /** The command as run and where (the rollout's CommandExecution item keeps them). */
      argv?: string[];
      cwd?: string;
    }
  | { type: "patch_apply_begin"; callId: string; changes: FileChangeSummary[] }
  | {
      type: "patch_apply_end";
      callId: string;
      changes: FileChangeSummary[];
      success: boolean;
      /** Unified diff of what was applied (empty on failure). */
      diff: string;
      output: string;
    }
  | { type: "plan_update"; explanation?: string; plan: PlanItem[] }
  | { type: "mcp_tool_call_begin"; callId: string; server: string; tool: string; arguments: unknown; /** The tool's annotation, when it has one. */ readOnlyHint?: boolean }
  | {
      type: "mcp_tool_call_end";
      callId: string;
      server: string;
      tool: string;
      arguments: unknown;
      result?: { content: unknown[]; structured_content?: unknown };
      error?: string;
      /** The server answered with `isError: true` (the result is kept; the call counts as failed). */
      isError?: boolean;
    }
  /** A client-defined (dynamic) tool was called; the front end that declared it is asked to run it. */
  | { type: "dynamic_tool_call_begin"; callId: string; namespace: string | null; tool: string; arguments: unknown }
  | {
      type: "dynamic_tool_call_end";
      callId: string;
      namespace: string | null;
      tool: string;
      arguments: unknown;
      /** The client's answer (null when it failed to answer: `error` says why). */
      contentItems: Array<{ type: "inputText"; text: string } | { type: "inputImage"; imageUrl: string } | { type: "inputAudio"; audioUrl: string }> | null;
      success: boolean;
      durationMs: number;
      error?: string;
    }
  | { type: "web_search_begin"; callId: string }
  | { type: "web_search_end"; callId: string; query: string; action: Record<string, unknown> }
  | { type: "view_image"; callId: string; path: string }
  | {
      type: "exec_approval_request";
      callId: string;
      command: string[];
      cwd: string;
      reason?: string;
      /** The argv prefix an "approve and remember" (approved_execpolicy_amendment) would allow from now on. */
      proposedPrefix?: string[];
    }
  | { type: "apply_patch_approval_request"; callId: string; changes: FileChangeSummary[]; reason?: string }
  /**
   * Journal only (never streamed): a person answered the approval request of `callId`, so a resumed thread
   * does not ask again even if the call's output never made it to disk (a crash while the call ran).
   */
  | { type: "approval_answered"; callId: string; decision: ReviewDecision }
  /**
   * Journal only (never streamed): a person answered the `request_user_input` question of `callId`, so a
   * resumed thread does not ask again even if the call's output never made it to disk (a crash right after).
   */
  | { type: "user_input_answered"; callId: string }
  /**
   * An MCP tool call waits for a person (answer with the `mcp_tool_approval` op, same callId). `message` is
   * the reference's question. `persist` lists what may be remembered (approval mode auto): "session" is
   * answered `approved_for_session`, "always" (don't ask again: config.toml) `approved_execpolicy_amendment`.
   */
  | {
      type: "mcp_tool_call_approval_request";
      callId: string;
      server: string;
      tool: string;
      arguments: Record<string, unknown>;
      message: string;
      annotations?: { readOnlyHint?: boolean; destructiveHint?: boolean; openWorldHint?: boolean };
      toolDescription?: string;
      persist?: Array<"session" | "always">;
      reason?: string;
    }
  /**
   * Thread-wide running totals, and the last request's usage; `contextWindow` (the usable window)
   * and `contextLeftPercent` (how much of it is free) when the model's window is known.
   */
  | { type: "token_count"; total: TokenUsage; last: TokenUsage; contextWindow?: number; contextLeftPercent?: number }
  /** The history was compacted (a summary replaced it); estimated tokens before and after. */
  | { type: "context_compacted"; trigger: "manual" | "auto"; tokensBefore: number; tokensAfter: number }
  /** A retry notice (`Reconnecting... k/N (reason)`); not fatal by itself. */
  | { type: "stream_error"; message: string; attempt: number; maxAttempts: number }
  /** Non-fatal warning for the user. */
  | { type: "warning"; message: string }
  /** Status for long waits (human front ends show it; JSONL does not). */
  | { type: "background_event"; message: string }
  | { type: "task_complete"; turnId: string; lastAgentMessage: string | null }
  | { type: "turn_failed"; turnId: string; error: TurnError }
  | { type: "turn_aborted"; turnId: string; reason: "interrupted" | "replaced" }
  | { type: "raw_response_item"; item: ResponseItem }
  /** Answer to `list_background_terminals` (the TUI's /ps, app-server thread/backgroundTerminals/list). */
  | { type: "background_terminals"; terminals: BackgroundTerminal[] }
  /** Answer to `clean_background_terminals` (/stop, /clean, thread/backgroundTerminals/clean): how many were stopped. */
  | { type: "background_terminals_cleaned"; stopped: number }
  /** Answer to `rollback`: how many user turns were dropped (0 and a message when it could not). */
  | { type: "thread_rolled_back"; numTurns: number; error?: string }
  | { type: "hook_started"; run: HookRunSummary }
  | { type: "hook_completed"; run: HookRunSummary }
  /** A collaboration (sub-agent) call: exec JSONL `collab_tool_call`. */
  | {
      type: "collab_tool_call_begin";
      callId: string;
      tool: CollabToolKind;
      senderThreadId: string;
      receiverThreadIds: string[];
      prompt: string | null;
      /** A spawn: the model and reasoning effort the new agent runs with (null effort: the model has none). */
      spawnedWith?: SpawnedAgentSettings;
    }
  | {
      type: "collab_tool_call_end";
      callId: string;
      tool: CollabToolKind;
      senderThreadId: string;
      receiverThreadIds: string[];
      prompt: string | null;
      /** By thread id: each receiver's status after the call (and its answer or error). */
      agentsStates: Record<string, { status: string; message?: string }>;
      status: "completed" | "failed";
      /** Path of each receiver (journaled: a resumed root finds the agents it spawned). */
      receiverAgents?: Array<{ threadId: string; path: string }>;
      /** As in the begin event (journaled: a resumed thread's items show them again). */
      spawnedWith?: SpawnedAgentSettings;
    }
  /** Smart Approvals: the guardian reviews an action instead of a person (app-server item/autoApprovalReview/*). */
  | { type: "guardian_review_started"; callId: string; action: Record<string, unknown> }
  | {
      type: "guardian_review_completed";
      callId: string;
      action: Record<string, unknown>;
      status: "approved" | "denied" | "failed" | "aborted";
      riskLevel?: "low" | "medium" | "high" | "critical";
      userAuthorization?: "unknown" | "low" | "medium" | "high";
      rationale?: string;
    }
  /**
   * The model asks the person questions (`request_user_input`); answer with the `user_input_answer` op (same
   * callId). `isBlocking`: the turn cannot go on without the answer (Plan mode). Ends unanswered with the turn.
   */
  | { type: "request_user_input"; callId: string; turnId: string; questions: UserInputQuestion[]; isBlocking: boolean }
  | { type: "shutdown_complete" };

/** How exec JSONL names collaboration calls (send_message and followup_task are both `send_input`). */
export type CollabToolKind = "spawn_agent" | "send_input" | "wait" | "close_agent";

/** What a spawned agent runs with: its model (the one asked for, or the spawner's default) and reasoning effort. */
export interface SpawnedAgentSettings {
  model: string;
  reasoningEffort: string | null;
}

/** A unified-exec session that outlived the call that started it. */
export interface BackgroundTerminal {
  /** The session id the model polls it by. */
  id: number;
  command: string;
  cwd: string;
  /** The call that started it (the app-server item id). */
  callId?: string;
  tty: boolean;
  pid: number | null;
  startedAtMs: number;
  /** Null while it runs (and when it ended by a signal). */
  exitCode: number | null;
  running: boolean;
}

export interface Event {
  /** Id of the submission (operation) that caused the event. */
  id: string;
  msg: EventMsg;
}
