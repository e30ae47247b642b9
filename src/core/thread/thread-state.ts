import type { Event, EventMsg } from "../../protocol/events.js";
import { emptyUsage, type ResponseItem, type TokenUsage, type UserInput } from "../../protocol/items.js";
import { AsyncQueue } from "../../util/async-queue.js";
import { contextLeftPercent } from "../compaction/threshold.js";
import type { TurnContextLine } from "../persistence/contract.js";
import type { HistoryPort } from "../turn/history-port.js";
import { composeObservers, type TurnObserver } from "../turn/observer.js";
import { createApprovalBroker, type ApprovalBroker } from "./approval-broker.js";
import { createThreadHistoryPort, meteredTokens, type ContextMeter } from "./history-port.js";
import { createJournal, type Journal } from "./journal.js";
import { createPendingCalls, type PendingCalls } from "./pending-calls.js";
import { buildModelRequest } from "./request-builder.js";
import type { ThreadDeps } from "./thread-contract.js";
import { composeThreadObservers, type ThreadObserver } from "./thread-observer.js";
import type { TurnSettings } from "./turn-settings.js";
import { addUsage } from "./usage.js";
import { createUserInputBroker, type UserInputBroker } from "./user-input-broker.js";

// What a thread's tasks share: its event queue, its model-visible history and journal, its settings for the
// next turns, its usage counters, its brokers (approvals, questions) and pending calls, and its observers.
// One per thread (createThreadState); the tasks (user-turn.ts, thread-tasks.ts) read and update it.

export interface ThreadState {
  readonly deps: ThreadDeps;
  readonly queue: AsyncQueue<Event>;
  readonly history: ResponseItem[];
  usage: TokenUsage;
  lastUsage: TokenUsage;
  readonly meter: ContextMeter;
  /** What override_turn_context changes for the next turns (TUI /model, /approvals). */
  readonly settings: TurnSettings;
  readonly journal: Journal;
  readonly approvals: ApprovalBroker;
  /** Asks relayed from sub-agents: not tied to this thread's turns (a turn's end must not abort them). */
  readonly relayed: ApprovalBroker;
  /** The model's questions (request_user_input) waiting for the person. */
  readonly userInput: UserInputBroker;
  readonly pending: PendingCalls;
  readonly observer: TurnObserver | undefined;
  readonly life: ThreadObserver | undefined;
  sessionStarted: boolean;
  /** The running user turn and the input steered into it (taken before its next model request). */
  steerable: { turnId: string; pending: UserInput[][] } | null;
  /** Queues an event of `submissionId`, journaling the kinds worth keeping. */
  emitFor(submissionId: string): (msg: EventMsg) => void;
  /** Adds items to the history and journals them. */
  record(items: ResponseItem[]): Promise<void>;
  tokenCount(): EventMsg;
  turnContext(turnId: string): TurnContextLine;
  /** A request's identity for `turnId`, naming the model, effort and sandbox the turn runs with now. */
  requestIdentity(turnId: string): ReturnType<ThreadDeps["requestIdentity"]>;
  /** The history as compaction sees it (a request with no tools offered). */
  historyPort(o: { emit: (msg: EventMsg) => void; signal: AbortSignal; turnId: string }): HistoryPort;
}

// Event types that are worth keeping in the journal (the rest are UI-only streaming noise).
const JOURNALED_EVENTS = new Set<EventMsg["type"]>([
  "user_message",
  "agent_message",
  "agent_reasoning",
  "exec_command_end",
  "patch_apply_end",
  "plan_update",
  "token_count",
  "task_started",
  "task_complete",
  "turn_failed",
  "turn_aborted",
  "mcp_tool_call_end",
  "web_search_end",
  "context_compacted",
  "hook_started",
  "hook_completed",
  "collab_tool_call_end",
  "guardian_review_completed",
  // request_user_input is journaled by its asker before it is emitted (user-input-broker.ts).
]);

export function createThreadState(deps: ThreadDeps): ThreadState {
  const queue = new AsyncQueue<Event>();
  const history: ResponseItem[] = [...deps.history];
  const journal = createJournal({
    writer: deps.rollout,
    warn: (message) => queue.push({ id: "0", msg: { type: "warning", message } }),
  });
  const meter: ContextMeter = { tokens: deps.contextTokens ?? 0, mark: history.length };
  const settings: TurnSettings = { approvalPolicy: deps.approvalPolicy, sandboxPolicy: deps.sandboxPolicy, request: deps.request, cwd: deps.cwd };

  const state: ThreadState = {
    deps,
    queue,
    history,
    usage: deps.usage ?? emptyUsage(),
    lastUsage: emptyUsage(),
    meter,
    settings,
    journal,
    approvals: createApprovalBroker(),
    relayed: createApprovalBroker(),
    userInput: createUserInputBroker(),
    pending: createPendingCalls(deps.pendingCalls),
    observer: deps.observers && deps.observers.length > 0 ? composeObservers(deps.observers) : undefined,
    life: deps.threadObservers && deps.threadObservers.length > 0 ? composeThreadObservers(deps.threadObservers) : undefined,
    sessionStarted: false,
    steerable: null,
    emitFor: (submissionId) => (msg) => {
      queue.push({ id: submissionId, msg });
      if (JOURNALED_EVENTS.has(msg.type)) void journal.append({ type: "event_msg", payload: msg });
    },
    async record(items) {
      for (const item of items) {
        history.push(item);
        await journal.append({ type: "response_item", payload: item });
      }
    },
    tokenCount() {
      const msg: EventMsg = { type: "token_count", total: state.usage, last: state.lastUsage };
      if (deps.contextWindow === undefined) return msg;
      const used = meteredTokens(meter, history);
      return { ...msg, contextWindow: deps.contextWindow, contextLeftPercent: contextLeftPercent(used, deps.contextWindow) };
    },
    requestIdentity: (turnId) =>
      deps.requestIdentity(turnId, {
        model: settings.request.model,
        ...(settings.request.reasoning?.effort ? { reasoningEffort: settings.request.reasoning.effort } : {}),
        sandboxPolicy: settings.sandboxPolicy,
      }),
    turnContext: (turnId) => ({
      turn_id: turnId,
      cwd: settings.cwd,
      approval_policy: settings.approvalPolicy,
      sandbox_policy: settings.sandboxPolicy,
      model: settings.request.model,
      effort: settings.request.reasoning?.effort,
      summary: settings.request.reasoning?.summary,
    }),
    historyPort: (o) =>
      createThreadHistoryPort({
        history,
        meter,
        journal,
        model: deps.model,
        buildRequest: (input) =>
          buildModelRequest({
            threadId: deps.id,
            // As the reference: no tools offered, so no parallel calls either.
            defaults: { ...settings.request, parallelToolCalls: false },
            tools: [],
            identity: state.requestIdentity(o.turnId),
            history: input,
          }),
        signal: o.signal,
        emit: o.emit,
        onUsage: (u) => (state.usage = addUsage(state.usage, u)),
        onReplaced: () => {
          // As the reference: the last usage becomes the new history's estimate (resume reads it back).
          state.lastUsage = { ...emptyUsage(), total_tokens: meter.tokens };
          o.emit(state.tokenCount());
        },
        turnId: o.turnId,
        turnContext: state.turnContext(o.turnId),
      }),
  };
  for (const msg of deps.initialEvents ?? []) queue.push({ id: "0", msg });
  return state;
}
