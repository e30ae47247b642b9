import type { FileChangeSummary, HookRunSummary, PlanItem, TurnErrorKind } from "../../protocol/events.js";
import type { AskForApproval, SandboxPolicy } from "../../protocol/policy.js";
import type { UserInputQuestion } from "../../protocol/user-input.js";

// The TUI's view state: what the screen shows, derived only by reducer.ts from core events and UI actions.
// Finished cells (`history`) go to the terminal's scrollback once (ink <Static>); `live` cells re-render.

export type Cell =
  | { kind: "session"; id: number; version: string; model: string; cwd: string; effort: string | null; approval: AskForApproval; sandbox: SandboxPolicy; threadId: string }
  | { kind: "user"; id: number; text: string; images: string[] }
  /** Assistant Markdown. A long answer arrives in several cells: finished blocks are committed while the rest streams. */
  | { kind: "assistant"; id: number; text: string; streaming: boolean; continuation: boolean; /** The answer's last block. */ final?: boolean }
  | { kind: "reasoning"; id: number; text: string }
  | {
      kind: "exec";
      id: number;
      callId: string;
      command: string;
      /** Last lines of output (all of it once finished, capped). */
      output: string;
      /** `background`: the turn ended with the process still running (a unified-exec session lives on). */
      status: "running" | "completed" | "failed" | "declined" | "background";
      exitCode: number | null;
      durationMs: number | null;
      startedAt: number;
    }
  | { kind: "patch"; id: number; callId: string; changes: FileChangeSummary[]; status: "applying" | "applied" | "failed"; diff: string; output: string }
  | { kind: "plan"; id: number; explanation?: string; plan: PlanItem[] }
  | { kind: "mcp"; id: number; callId: string; server: string; tool: string; args: unknown; status: "running" | "completed" | "failed"; result: string }
  | { kind: "hook"; id: number; run: HookRunSummary }
  | { kind: "web_search"; id: number; callId: string; query: string | null }
  /** A sub-agent call (spawn, message, wait, close) and, once ended, each agent's state. */
  | {
      kind: "collab";
      id: number;
      callId: string;
      tool: "spawn_agent" | "send_input" | "wait" | "close_agent";
      prompt: string | null;
      receivers: string[];
      status: "running" | "completed" | "failed";
      states: Record<string, { status: string; message?: string }>;
    }
  /** Smart Approvals: the guardian reviewing an action instead of the person. */
  | { kind: "guardian"; id: number; callId: string; status: "running" | "approved" | "denied" | "failed" | "aborted"; riskLevel?: string; rationale?: string }
  | { kind: "compacted"; id: number; trigger: "manual" | "auto"; tokensBefore: number; tokensAfter: number }
  | { kind: "warning"; id: number; message: string }
  | { kind: "error"; id: number; message: string; errorKind: TurnErrorKind | "interrupted" }
  /** The model's questions (request_user_input) and the person's answers; `interrupted`: the turn ended first. */
  | { kind: "questions"; id: number; interrupted: boolean; items: Array<{ question: string; answers: Array<{ text: string; note: boolean }> }> }
  /** Anything a command or the front end wants to say (slash command output, notices). */
  | { kind: "info"; id: number; title?: string; lines: string[] };

export type CellKind = Cell["kind"];
/** A cell before the reducer numbered it (what slash commands push). */
export type NewCell = Cell extends infer C ? (C extends Cell ? Omit<C, "id"> : never) : never;

export type ApprovalRequest =
  | { kind: "exec"; callId: string; command: string[]; cwd: string; reason?: string; proposedPrefix?: string[] }
  | { kind: "patch"; callId: string; changes: FileChangeSummary[]; reason?: string }
  | { kind: "mcp"; callId: string; server: string; tool: string; arguments: Record<string, unknown>; message: string; persist: Array<"session" | "always">; reason?: string };

/** The model's questions (request_user_input) waiting for the person; answered all at once. */
export interface UserInputPrompt {
  callId: string;
  questions: UserInputQuestion[];
}

/**
 * An overlay takes the keyboard above the composer (approval, pickers, popups of slash commands).
 * `id` names it; the app asks the registered renderer for it (see src/tui/slash/registry.ts).
 */
export interface OverlayState {
  id: string;
  /** Free data for the overlay's renderer. */
  props: Record<string, unknown>;
}

export interface SessionInfo {
  threadId: string;
  model: string;
  effort: string | null;
  cwd: string;
  approval: AskForApproval;
  sandbox: SandboxPolicy;
  rolloutPath: string | null;
}

export interface TuiState {
  nextId: number;
  /**
   * Finished cells not yet written to the terminal's scrollback, oldest first (ink <Static> prints each once;
   * the app then drops them with `scrollback_written`, so a long session does not keep every cell in memory).
   */
  history: Cell[];
  /** What has gone to the scrollback already: counts only (the terminal holds the text). */
  scrollback: ScrollbackSummary;
  /** Cells still changing (streaming answer, running commands, hooks, MCP calls). */
  live: Cell[];
  session: SessionInfo | null;
  /** The running turn (a submitted op that has not ended yet). */
  turn: { startedAt: number; turnId: string | null } | null;
  /** Status line under the live region (background_event / stream_error). */
  status: string | null;
  contextLeftPercent: number | null;
  tokensUsed: number;
  backgroundTerminals: number;
  /** Pending approvals, first is shown; parallel requests queue. */
  approvals: ApprovalRequest[];
  /** The model's pending questions, first is shown (after any approval). */
  userInputs: UserInputPrompt[];
  overlay: OverlayState | null;
  /** Text the composer shows a hint for ("Press Ctrl+C again to quit"). */
  hint: string | null;
  version: string;
}

export interface ScrollbackSummary {
  /** Cells written. */
  cells: number;
  /** Of them, the person's messages (a session with none is not worth resuming). */
  userMessages: number;
  /** Counts the writes: the <Static> that prints `history` starts afresh at each. */
  writes: number;
}

export function initialState(o: { version: string }): TuiState {
  return {
    nextId: 1,
    history: [],
    scrollback: { cells: 0, userMessages: 0, writes: 0 },
    live: [],
    session: null,
    turn: null,
    status: null,
    contextLeftPercent: null,
    tokensUsed: 0,
    backgroundTerminals: 0,
    approvals: [],
    userInputs: [],
    overlay: null,
    hint: null,
    version: o.version,
  };
}
