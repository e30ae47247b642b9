import type { EventMsg } from "../../protocol/events.js";
import type { UserInputResponse } from "../../protocol/user-input.js";
import { splitFinishedBlocks } from "../markdown/split-blocks.js";
import { displayCommand } from "./command-display.js";
import { questionsCell } from "./question-cell.js";
import type { ApprovalRequest, Cell, NewCell, OverlayState, TuiState } from "./types.js";

// The one place view state changes: (state, core event | UI action) -> state. Pure; time comes in the action.

export type UiAction =
  | { type: "core"; msg: EventMsg; now: number }
  /** The person submitted an op that runs like a turn (user_turn, compact): the footer shows Working. */
  | { type: "turn_submitted"; now: number }
  | { type: "push_cell"; cell: NewCell }
  | { type: "approval_answered"; callId: string }
  /** The person answered the model's questions (the answers go into a history cell). */
  | { type: "user_input_answered"; callId: string; response: UserInputResponse }
  | { type: "open_overlay"; overlay: OverlayState }
  | { type: "close_overlay"; id?: string }
  | { type: "hint"; text: string | null }
  /** The history cells up to this id are in the terminal's scrollback now: the state keeps only their count. */
  | { type: "scrollback_written"; throughId: number };

/** Output kept per command cell (the tail); the cell says how many lines there were. */
const EXEC_OUTPUT_KEEP = 16 * 1024;

export function reduce(state: TuiState, action: UiAction): TuiState {
  switch (action.type) {
    case "core":
      return reduceEvent(state, action.msg, action.now);
    case "turn_submitted":
      return { ...state, turn: state.turn ?? { startedAt: action.now, turnId: null }, status: null, hint: null };
    case "push_cell":
      return appendHistory(state, action.cell);
    case "approval_answered":
      return { ...state, approvals: state.approvals.filter((a) => a.callId !== action.callId) };
    case "user_input_answered": {
      const prompt = state.userInputs.find((u) => u.callId === action.callId);
      const next = { ...state, userInputs: state.userInputs.filter((u) => u.callId !== action.callId) };
      return prompt ? appendHistory(next, questionsCell(prompt, action.response)) : next;
    }
    case "open_overlay":
      return { ...state, overlay: action.overlay };
    case "close_overlay":
      return action.id === undefined || state.overlay?.id === action.id ? { ...state, overlay: null } : state;
    case "hint":
      return { ...state, hint: action.text };
    case "scrollback_written":
      return scrollbackWritten(state, action.throughId);
  }
}

function scrollbackWritten(state: TuiState, throughId: number): TuiState {
  const written = state.history.filter((c) => c.id <= throughId);
  if (written.length === 0) return state;
  const s = state.scrollback;
  return {
    ...state,
    history: state.history.filter((c) => c.id > throughId),
    scrollback: {
      cells: s.cells + written.length,
      userMessages: s.userMessages + written.filter((c) => c.kind === "user").length,
      writes: s.writes + 1,
    },
  };
}

function number(state: TuiState, cell: NewCell): [Cell, TuiState] {
  return [{ ...cell, id: state.nextId } as Cell, { ...state, nextId: state.nextId + 1 }];
}

function appendHistory(state: TuiState, cell: NewCell): TuiState {
  const [numbered, next] = number(state, cell);
  return { ...next, history: [...next.history, numbered] };
}

function addLive(state: TuiState, cell: NewCell): TuiState {
  const [numbered, next] = number(state, cell);
  return { ...next, live: [...next.live, numbered] };
}

function findLive<K extends Cell["kind"]>(state: TuiState, kind: K, match: (c: Extract<Cell, { kind: K }>) => boolean) {
  return state.live.find((c): c is Extract<Cell, { kind: K }> => c.kind === kind && match(c as Extract<Cell, { kind: K }>));
}

function replaceLive(state: TuiState, cell: Cell): TuiState {
  return { ...state, live: state.live.map((c) => (c.id === cell.id ? cell : c)) };
}

/** Moves a live cell (updated) into the history. */
function finishLive(state: TuiState, cell: Cell): TuiState {
  return { ...state, live: state.live.filter((c) => c.id !== cell.id), history: [...state.history, cell] };
}

/** The streaming answer: finished Markdown blocks go to the history, the open block stays live. */
function streamAssistant(state: TuiState, delta: string): TuiState {
  const open = findLive(state, "assistant", () => true);
  const text = (open?.text ?? "") + delta;
  const continuation = open?.continuation ?? false;
  let next = open ? state : addLive(state, { kind: "assistant", text: "", streaming: true, continuation: false });
  const cell = findLive(next, "assistant", () => true)!;
  const { done, rest } = splitFinishedBlocks(text);
  if (done === "") return replaceLive(next, { ...cell, text });
  next = { ...next, live: next.live.filter((c) => c.id !== cell.id) };
  next = appendHistory(next, { kind: "assistant", text: done, streaming: false, continuation });
  return addLive(next, { kind: "assistant", text: rest, streaming: true, continuation: true });
}

function finishAssistant(state: TuiState, message: string): TuiState {
  const open = findLive(state, "assistant", () => true);
  if (!open) return message === "" ? state : appendHistory(state, { kind: "assistant", text: message, streaming: false, continuation: false, final: true });
  // The streamed text is what the person saw; the final message wins for the part still open only when no
  // delta arrived (a non-streaming provider).
  const text = open.text === "" && !open.continuation ? message : open.text;
  const without = { ...state, live: state.live.filter((c) => c.id !== open.id) };
  return text.trim() === "" ? without : appendHistory(without, { kind: "assistant", text, streaming: false, continuation: open.continuation, final: true });
}

/** Ends whatever is still live when the turn ends (a cut-off answer, commands whose end never came). */
function settleLive(state: TuiState): TuiState {
  let next = state;
  for (const cell of state.live) {
    if (cell.kind === "assistant") next = finishAssistant(next, "");
    else if (cell.kind === "exec") next = finishLive(next, { ...cell, status: "background" });
    else if (cell.kind === "mcp" || cell.kind === "collab") next = finishLive(next, { ...cell, status: "failed" });
    else if (cell.kind === "guardian") next = finishLive(next, { ...cell, status: "aborted" });
    else if (cell.kind === "patch") next = finishLive(next, { ...cell, status: "failed" });
    else if (cell.kind === "reasoning") next = finishLive(next, cell);
    else next = finishLive(next, cell);
  }
  return next;
}

function endTurn(state: TuiState): TuiState {
  // Questions still open when the turn ended stay in the history as interrupted.
  const settled = state.userInputs.reduce((next, prompt) => appendHistory(next, questionsCell(prompt, null)), settleLive(state));
  return { ...settled, turn: null, status: null, approvals: [], userInputs: [] };
}

function keepTail(text: string): string {
  return text.length > EXEC_OUTPUT_KEEP ? text.slice(text.length - EXEC_OUTPUT_KEEP) : text;
}

function reduceEvent(state: TuiState, msg: EventMsg, now: number): TuiState {
  switch (msg.type) {
    case "session_configured": {
      const session = {
        threadId: msg.threadId,
        model: msg.model,
        effort: msg.reasoningEffort,
        cwd: msg.cwd,
        approval: msg.approvalPolicy,
        sandbox: msg.sandboxPolicy,
        rolloutPath: msg.rolloutPath,
      };
      const next = { ...state, session };
      return appendHistory(next, {
        kind: "session",
        version: state.version,
        model: msg.model,
        cwd: msg.cwd,
        effort: msg.reasoningEffort,
        approval: msg.approvalPolicy,
        sandbox: msg.sandboxPolicy,
        threadId: msg.threadId,
      });
    }
    case "turn_context_updated":
      return state.session
        ? { ...state, session: { ...state.session, model: msg.model, effort: msg.reasoningEffort, approval: msg.approvalPolicy, sandbox: msg.sandboxPolicy } }
        : state;
    case "task_started":
      return { ...state, turn: { startedAt: state.turn?.startedAt ?? now, turnId: msg.turnId } };
    case "user_message":
      return appendHistory(state, { kind: "user", text: msg.message, images: msg.images });
    case "agent_message_delta":
      return streamAssistant(state, msg.delta);
    case "agent_message":
      return finishAssistant(state, msg.message);
    case "agent_reasoning_delta": {
      const open = findLive(state, "reasoning", () => true);
      return open ? replaceLive(state, { ...open, text: open.text + msg.delta }) : addLive(state, { kind: "reasoning", text: msg.delta });
    }
    case "agent_reasoning": {
      const open = findLive(state, "reasoning", () => true);
      if (open) return finishLive(state, { ...open, text: msg.text || open.text });
      return msg.text.trim() === "" ? state : appendHistory(state, { kind: "reasoning", text: msg.text });
    }
    case "exec_command_begin":
      return addLive(state, {
        kind: "exec",
        callId: msg.callId,
        command: msg.argv.length > 0 ? displayCommand(msg.argv) : msg.command,
        output: "",
        status: "running",
        exitCode: null,
        durationMs: null,
        startedAt: now,
      });
    case "exec_command_output_delta": {
      const cell = findLive(state, "exec", (c) => c.callId === msg.callId);
      return cell ? replaceLive(state, { ...cell, output: keepTail(cell.output + msg.chunk) }) : state;
    }
    case "exec_command_end": {
      const cell = findLive(state, "exec", (c) => c.callId === msg.callId);
      const ended = {
        output: keepTail(msg.aggregatedOutput),
        status: msg.status,
        exitCode: msg.exitCode,
        durationMs: msg.durationMs,
      } as const;
      if (cell) return finishLive(state, { ...cell, ...ended });
      return appendHistory(state, { kind: "exec", callId: msg.callId, command: msg.command, startedAt: now, ...ended });
    }
    case "patch_apply_begin":
      return addLive(state, { kind: "patch", callId: msg.callId, changes: msg.changes, status: "applying", diff: "", output: "" });
    case "patch_apply_end": {
      const cell = findLive(state, "patch", (c) => c.callId === msg.callId);
      const ended = { changes: msg.changes, status: msg.success ? "applied" : "failed", diff: msg.diff, output: msg.output } as const;
      if (cell) return finishLive(state, { ...cell, ...ended });
      return appendHistory(state, { kind: "patch", callId: msg.callId, ...ended });
    }
    case "plan_update":
      return appendHistory(state, { kind: "plan", plan: msg.plan, ...(msg.explanation ? { explanation: msg.explanation } : {}) });
    case "mcp_tool_call_begin":
      return addLive(state, { kind: "mcp", callId: msg.callId, server: msg.server, tool: msg.tool, args: msg.arguments, status: "running", result: "" });
    case "mcp_tool_call_end": {
      const failed = msg.error !== undefined || msg.isError === true;
      const result = msg.error ?? mcpResultText(msg.result?.content ?? []);
      const cell = findLive(state, "mcp", (c) => c.callId === msg.callId);
      const ended = { status: failed ? "failed" : "completed", result } as const;
      if (cell) return finishLive(state, { ...cell, ...ended });
      return appendHistory(state, { kind: "mcp", callId: msg.callId, server: msg.server, tool: msg.tool, args: msg.arguments, ...ended });
    }
    case "web_search_begin":
      return addLive(state, { kind: "web_search", callId: msg.callId, query: null });
    case "web_search_end": {
      const cell = findLive(state, "web_search", (c) => c.callId === msg.callId);
      if (cell) return finishLive(state, { ...cell, query: msg.query });
      return appendHistory(state, { kind: "web_search", callId: msg.callId, query: msg.query });
    }
    case "collab_tool_call_begin":
      return addLive(state, {
        kind: "collab",
        callId: msg.callId,
        tool: msg.tool,
        prompt: msg.prompt,
        receivers: msg.receiverThreadIds,
        status: "running",
        states: {},
      });
    case "collab_tool_call_end": {
      const cell = findLive(state, "collab", (c) => c.callId === msg.callId);
      const ended = { receivers: msg.receiverThreadIds, status: msg.status, states: msg.agentsStates } as const;
      if (cell) return finishLive(state, { ...cell, ...ended });
      return appendHistory(state, { kind: "collab", callId: msg.callId, tool: msg.tool, prompt: msg.prompt, ...ended });
    }
    case "guardian_review_started":
      return addLive(state, { kind: "guardian", callId: msg.callId, status: "running" });
    case "guardian_review_completed": {
      const cell = findLive(state, "guardian", (c) => c.callId === msg.callId);
      const ended = {
        status: msg.status,
        ...(msg.riskLevel !== undefined ? { riskLevel: msg.riskLevel } : {}),
        ...(msg.rationale !== undefined ? { rationale: msg.rationale } : {}),
      };
      if (cell) return finishLive(state, { ...cell, ...ended });
      return appendHistory(state, { kind: "guardian", callId: msg.callId, ...ended });
    }
    case "hook_started":
      return addLive(state, { kind: "hook", run: msg.run });
    case "hook_completed": {
      const cell = findLive(state, "hook", (c) => c.run.id === msg.run.id && c.run.status === "running");
      if (cell) return finishLive(state, { ...cell, run: msg.run });
      return appendHistory(state, { kind: "hook", run: msg.run });
    }
    case "exec_approval_request":
      return queueApproval(state, {
        kind: "exec",
        callId: msg.callId,
        command: msg.command,
        cwd: msg.cwd,
        ...(msg.reason !== undefined ? { reason: msg.reason } : {}),
        ...(msg.proposedPrefix !== undefined ? { proposedPrefix: msg.proposedPrefix } : {}),
      });
    case "apply_patch_approval_request":
      return queueApproval(state, { kind: "patch", callId: msg.callId, changes: msg.changes, ...(msg.reason !== undefined ? { reason: msg.reason } : {}) });
    case "mcp_tool_call_approval_request":
      return queueApproval(state, {
        kind: "mcp",
        callId: msg.callId,
        server: msg.server,
        tool: msg.tool,
        arguments: msg.arguments,
        message: msg.message,
        persist: msg.persist ?? [],
        ...(msg.reason !== undefined ? { reason: msg.reason } : {}),
      });
    case "request_user_input":
      if (state.userInputs.some((u) => u.callId === msg.callId)) return state;
      return { ...state, userInputs: [...state.userInputs, { callId: msg.callId, questions: msg.questions }] };
    case "dynamic_tool_call_begin":
      return addLive(state, { kind: "mcp", callId: msg.callId, server: msg.namespace ?? "client", tool: msg.tool, args: msg.arguments, status: "running", result: "" });
    case "dynamic_tool_call_end": {
      const cell = findLive(state, "mcp", (c) => c.callId === msg.callId);
      const result = msg.error ?? (msg.contentItems ?? []).map((c) => (c.type === "inputText" ? c.text : `<${c.type}>`)).join("\n");
      const ended = { status: msg.success ? "completed" : "failed", result } as const;
      if (cell) return finishLive(state, { ...cell, ...ended });
      return appendHistory(state, { kind: "mcp", callId: msg.callId, server: msg.namespace ?? "client", tool: msg.tool, args: msg.arguments, ...ended });
    }
    case "thread_rolled_back":
      return appendHistory(state, {
        kind: "info",
        lines: [msg.error ?? `Rolled back ${msg.numTurns} turn${msg.numTurns === 1 ? "" : "s"}.`],
      });
    case "token_count":
      return {
        ...state,
        tokensUsed: msg.total.total_tokens || msg.total.input_tokens + msg.total.output_tokens,
        contextLeftPercent: msg.contextLeftPercent ?? state.contextLeftPercent,
      };
    case "context_compacted":
      return appendHistory(state, { kind: "compacted", trigger: msg.trigger, tokensBefore: msg.tokensBefore, tokensAfter: msg.tokensAfter });
    case "stream_error":
      return { ...state, status: msg.message };
    case "background_event":
      return { ...state, status: msg.message };
    case "warning":
      return appendHistory(state, { kind: "warning", message: msg.message });
    case "task_complete":
      return endTurn(state);
    case "turn_failed":
      return appendHistory(endTurn(state), { kind: "error", message: msg.error.message, errorKind: msg.error.kind });
    case "turn_aborted":
      return msg.reason === "interrupted"
        ? appendHistory(endTurn(state), {
            kind: "error",
            message: "Conversation interrupted - tell the model what to do differently.",
            errorKind: "interrupted",
          })
        : endTurn(state);
    case "background_terminals":
      return { ...state, backgroundTerminals: msg.terminals.filter((t) => t.running).length };
    case "background_terminals_cleaned":
      return { ...state, backgroundTerminals: 0 };
    case "view_image":
    case "raw_response_item":
    case "shutdown_complete":
      return state;
    default:
      // Events this screen does not show yet (sub-agent and guardian events from main).
      return state;
  }
}

function queueApproval(state: TuiState, request: ApprovalRequest): TuiState {
  if (state.approvals.some((a) => a.callId === request.callId)) return state;
  return { ...state, approvals: [...state.approvals, request] };
}

function mcpResultText(content: unknown[]): string {
  return content
    .map((c) => {
      const part = c as { type?: string; text?: string };
      return part.type === "text" && typeof part.text === "string" ? part.text : `<${part.type ?? "content"}>`;
    })
    .join("\n");
}
