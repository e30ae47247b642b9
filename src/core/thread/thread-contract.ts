import type { Event, EventMsg } from "../../protocol/events.js";
import type { ResponseItem, TokenUsage, ToolCallItem, UserInput } from "../../protocol/items.js";
import type { Op } from "../../protocol/ops.js";
import type { AskForApproval, ReviewDecision, SandboxPolicy } from "../../protocol/policy.js";
import type { ApprovalGate, ProposedAction } from "../approval/contract.js";
import type { BackgroundTerminals } from "../exec/background-terminals.js";
import type { ExecRunner } from "../exec/contract.js";
import type { TurnCompleteNotice } from "../hooks/notify.js";
import type { ModelClient } from "../model/contract.js";
import type { RolloutWriter } from "../persistence/contract.js";
import type { ToolRegistry } from "../tools/registry.js";
import type { HistoryPort } from "../turn/history-port.js";
import type { TurnObserver } from "../turn/observer.js";
import type { AskPerson } from "./approval-broker.js";
import type { RequestDefaults } from "./request-builder.js";
import type { SessionStartSource, ThreadObserver } from "./thread-observer.js";

// What a thread is given (ThreadDeps) and what it offers (Thread): thread.ts builds one from the other.

/** What a turn's metadata says it runs with. */
export interface TurnIdentitySettings {
  model: string;
  reasoningEffort?: string;
  sandboxPolicy: SandboxPolicy;
}

export interface ThreadDeps {
  id: string;
  cwd: string;
  approvalPolicy: AskForApproval;
  sandboxPolicy: SandboxPolicy;
  request: RequestDefaults;
  /**
   * Identity of each request: HTTP headers and body client_metadata (thread ids, turn metadata). `current`: the
   * settings the turn runs with (an override_turn_context changes them), which the turn metadata names.
   */
  requestIdentity(turnId: string, current?: TurnIdentitySettings): { headers: Record<string, string>; clientMetadata: Record<string, string> };
  model: ModelClient;
  registry: ToolRegistry;
  exec: ExecRunner;
  /** Builds the gate; `ask` is given only when a person can answer (TUI, app-server). */
  createApprovalGate(
    ask: AskPerson | undefined,
    emit: (msg: EventMsg) => void,
    policies?: {
      approvalPolicy: AskForApproval;
      sandboxPolicy: SandboxPolicy;
      approvalsReviewer?: "user" | "guardian";
      /** The turn's model now (what a guardian reviewing its actions runs on). */
      model?: string;
    },
  ): ApprovalGate;
  interactiveApprovals: boolean;
  /** False when the model's questions (request_user_input) have nobody to reach (a sub-agent): empty answers. */
  askUserInput?: boolean;
  rollout: RolloutWriter | null;
  history: ResponseItem[];
  usage?: TokenUsage;
  childEnv: Record<string, string>;
  spoolDir: string;
  buildUserMessage(items: UserInput[]): Promise<ResponseItem>;
  newTurnId(): string;
  /** Called after a turn completes (the `notify` program). */
  onTurnComplete?(notice: TurnCompleteNotice): void;
  /** Events queued before anything is submitted (session_configured, load warnings). */
  initialEvents?: EventMsg[];
  onClose?(): Promise<void>;
  /** Features that wrap every turn (hooks, compaction...): see turn/observer.ts. */
  observers?: TurnObserver[];
  /** The usable context window (tokens), for the context left in token_count events. */
  contextWindow?: number;
  /** Tokens of the last response before this thread was opened (resume). */
  contextTokens?: number;
  /** Compacts on demand (the `compact` op) through the history port. */
  compactNow?(port: HistoryPort, signal: AbortSignal): Promise<void>;
  /** Unified-exec sessions that outlive their turn: listed/stopped by ops, their unseen ends told to the next turn. */
  backgroundTerminals?: BackgroundTerminals;
  /** Features around the thread's life (SessionStart/UserPromptSubmit/SessionEnd hooks): see thread-observer.ts. */
  threadObservers?: ThreadObserver[];
  /** The person's shell (`$SHELL`), for their `!cmd` commands; /bin/bash when unset. */
  userShell?: string;
  /** How this thread came to be (the SessionStart source). */
  sessionSource?: SessionStartSource;
  /** Mail other agents left for this thread's agent (sub-agents): taken at each step of a turn. */
  takeAgentMail?(): ResponseItem[];
  /** Told when this thread is interrupted (its sub-agents are interrupted with it). */
  onInterrupt?(): void;
  /** Calls of `history` still waiting for approval (a resumed thread): asked again before the next request. */
  pendingCalls?: ToolCallItem[];
}

export interface Thread {
  readonly id: string;
  readonly rolloutPath: string | null;
  submit(op: Op): Promise<string>;
  events(): AsyncIterable<Event>;
  /** The model-visible history so far (a copy). */
  history(): ResponseItem[];
  /**
   * Asks this thread's person on behalf of another thread (a sub-agent): the request appears in this
   * thread's events and is answered with this thread's approval ops. Ends as `abort` with `signal` or close().
   */
  askOnBehalf(action: ProposedAction, context: { reason?: string; signal?: AbortSignal }): Promise<ReviewDecision>;
  /** The id of the user turn running now (steerable), or null. */
  activeTurnId(): string | null;
  /**
   * Call ids whose approval or question (request_user_input) was never answered (the turn ended first, or
   * the process did): they are asked
   * again at the start of the next turn, or at once with the `resume_pending` op.
   */
  pendingApprovals(): string[];
  close(): Promise<void>;
}
