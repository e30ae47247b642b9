import type { Event, EventMsg } from "../../protocol/events.js";
import { emptyUsage, type ResponseItem, type TokenUsage, type ToolCallItem, type UserInput } from "../../protocol/items.js";
import type { Op } from "../../protocol/ops.js";
import type { AskForApproval, ReviewDecision, SandboxPolicy } from "../../protocol/policy.js";
import type { ProposedAction } from "../approval/contract.js";
import { AsyncQueue } from "../../util/async-queue.js";
import type { ApprovalGate } from "../approval/contract.js";
import type { BackgroundTerminals } from "../exec/background-terminals.js";
import type { ExecRunner } from "../exec/contract.js";
import type { ModelClient } from "../model/contract.js";
import type { RolloutWriter, TurnContextLine } from "../persistence/contract.js";
import type { ToolContext } from "../tools/contract.js";
import type { ToolRegistry } from "../tools/registry.js";
import { contextLeftPercent } from "../compaction/threshold.js";
import { ModelError } from "../model/contract.js";
import type { HistoryPort } from "../turn/history-port.js";
import { composeObservers, type TurnObserver } from "../turn/observer.js";
import { runTurn, type TurnOutcome } from "../turn/run-turn.js";
import type { TurnCompleteNotice } from "../hooks/notify.js";
import { createApprovalBroker, type AskPerson } from "./approval-broker.js";
import { inputTooLarge } from "./input-limit.js";
import { createUserInputBroker } from "./user-input-broker.js";
import { userTurnStarts } from "./turn-starts.js";
import { createThreadHistoryPort, meteredTokens, type ContextMeter } from "./history-port.js";
import { createJournal } from "./journal.js";
import { createPendingCalls } from "./pending-calls.js";
import { buildModelRequest, type RequestDefaults } from "./request-builder.js";
import { addUsage } from "./usage.js";
import { runUserShellCommand } from "./user-shell-command.js";
import { withOverride, type TurnSettings } from "./turn-settings.js";
import { composeThreadObservers, type SessionStartSource, type ThreadObserver } from "./thread-observer.js";

export type { AskPerson } from "./approval-broker.js";
export type { RequestDefaults } from "./request-builder.js";

export interface ThreadDeps {
  id: string;
  cwd: string;
  approvalPolicy: AskForApproval;
  sandboxPolicy: SandboxPolicy;
  request: RequestDefaults;
  /** Identity of each request: HTTP headers and body client_metadata (thread ids, turn metadata). */
  requestIdentity(turnId: string): { headers: Record<string, string>; clientMetadata: Record<string, string> };
  model: ModelClient;
  registry: ToolRegistry;
  exec: ExecRunner;
  /** Builds the gate; `ask` is given only when a person can answer (TUI, app-server). */
  createApprovalGate(
    ask: AskPerson | undefined,
    emit: (msg: EventMsg) => void,
    policies?: { approvalPolicy: AskForApproval; sandboxPolicy: SandboxPolicy; approvalsReviewer?: "user" | "guardian" },
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

/**
 * A thread: a queue of submissions (one turn at a time) and a stream of events. The turn loop
 * itself is runTurn; the thread only wires it to its journal (journal.ts), its approvals
 * (approval-broker.ts), its request builder (request-builder.ts) and its observers.
 */
export function createThread(deps: ThreadDeps): Thread {
  const queue = new AsyncQueue<Event>();
  const history: ResponseItem[] = [...deps.history];
  let usage: TokenUsage = deps.usage ?? emptyUsage();
  let submissionCounter = 0;
  let current: { controller: AbortController } | null = null;
  // The running user turn and the input steered into it (taken before its next model request).
  let steerable: { turnId: string; pending: UserInput[][] } | null = null;
  let turnChain: Promise<void> = Promise.resolve();
  let closing: Promise<void> | null = null;
  const approvals = createApprovalBroker();
  // Asks relayed from sub-agents: not tied to this thread's turns (a turn's end must not abort them).
  const relayed = createApprovalBroker();
  // The model's questions (request_user_input) waiting for the person.
  const userInput = createUserInputBroker();
  const pending = createPendingCalls(deps.pendingCalls);
  const journal = createJournal({
    writer: deps.rollout,
    warn: (message) => queue.push({ id: "0", msg: { type: "warning", message } }),
  });
  const observer = deps.observers && deps.observers.length > 0 ? composeObservers(deps.observers) : undefined;
  const meter: ContextMeter = { tokens: deps.contextTokens ?? 0, mark: history.length };
  // What override_turn_context changes for the next turns (TUI /model, /approvals).
  const settings: TurnSettings = { approvalPolicy: deps.approvalPolicy, sandboxPolicy: deps.sandboxPolicy, request: deps.request, cwd: deps.cwd };
  let lastUsage: TokenUsage = emptyUsage();

  const tokenCount = (): EventMsg => {
    const msg: EventMsg = { type: "token_count", total: usage, last: lastUsage };
    if (deps.contextWindow === undefined) return msg;
    const used = meteredTokens(meter, history);
    return { ...msg, contextWindow: deps.contextWindow, contextLeftPercent: contextLeftPercent(used, deps.contextWindow) };
  };

  const turnContext = (turnId: string): TurnContextLine => ({
    turn_id: turnId,
    cwd: settings.cwd,
    approval_policy: settings.approvalPolicy,
    sandbox_policy: settings.sandboxPolicy,
    model: settings.request.model,
    effort: settings.request.reasoning?.effort,
    summary: settings.request.reasoning?.summary,
  });

  const historyPort = (o: { emit: (msg: EventMsg) => void; signal: AbortSignal; turnId: string }): HistoryPort =>
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
          identity: deps.requestIdentity(o.turnId),
          history: input,
        }),
      signal: o.signal,
      emit: o.emit,
      onUsage: (u) => (usage = addUsage(usage, u)),
      onReplaced: () => {
        // As the reference: the last usage becomes the new history's estimate (resume reads it back).
        lastUsage = { ...emptyUsage(), total_tokens: meter.tokens };
        o.emit(tokenCount());
      },
      turnId: o.turnId,
      turnContext: turnContext(o.turnId),
    });
  for (const msg of deps.initialEvents ?? []) queue.push({ id: "0", msg });
  const life = deps.threadObservers && deps.threadObservers.length > 0 ? composeThreadObservers(deps.threadObservers) : undefined;
  let sessionStarted = false;

  const emitFor = (submissionId: string) => (msg: EventMsg) => {
    queue.push({ id: submissionId, msg });
    if (JOURNALED_EVENTS.has(msg.type)) void journal.append({ type: "event_msg", payload: journalForm(msg) });
  };

  async function record(items: ResponseItem[]): Promise<void> {
    for (const item of items) {
      history.push(item);
      await journal.append({ type: "response_item", payload: item });
    }
  }

  async function runUserTurn(
    submissionId: string,
    input: Extract<Op, { type: "user_turn" }> | { type: "agent_turn" } | { type: "resume_pending" },
    signal: AbortSignal,
  ) {
    const emit = emitFor(submissionId);
    // A turn that only asks again what was pending, when something is.
    if (input.type === "resume_pending" && pending.ids().length === 0) return;
    // Mail for this agent; an agent turn whose mail an earlier turn already read has nothing to do.
    const mail = input.type === "resume_pending" ? [] : (deps.takeAgentMail?.() ?? []);
    if (input.type === "agent_turn" && mail.length === 0) return;
    const op: Extract<Op, { type: "user_turn" }> = input.type === "user_turn" ? input : { type: "user_turn", items: [] };
    const turnId = op.turnId ?? deps.newTurnId();
    const tooLarge = inputTooLarge(op.items);
    if (tooLarge) {
      // Refused before anything is sent or journaled: the turn exists only as its two events.
      queue.push({ id: submissionId, msg: { type: "task_started", turnId } });
      queue.push({ id: submissionId, msg: { type: "turn_failed", turnId, error: tooLarge } });
      return;
    }
    // Steerable from its start: input steered in before the first request goes with it.
    const steered: { turnId: string; pending: UserInput[][] } = { turnId, pending: [] };
    steerable = steered;
    emit({ type: "task_started", turnId });
    await journal.append({ type: "turn_context", payload: turnContext(turnId) });
    let outcome: TurnOutcome;
    try {
      if (life && !sessionStarted) {
        sessionStarted = true;
        const source = deps.sessionSource ?? "startup";
        await record(await life.onSessionStart!({ source, rolloutPath: deps.rollout?.path ?? null, emit }));
      }
      const prompt = op.items.flatMap((i) => (i.type === "text" ? [i.text] : [])).join("\n\n");
      const verdict =
        life && input.type === "user_turn"
          ? await life.beforeUserPrompt!({
              turnId,
              prompt,
              emit,
              signal,
              ...(op.trace ? { trace: op.trace } : {}),
              settings: { cwd: settings.cwd, approvalPolicy: settings.approvalPolicy, sandboxPolicy: settings.sandboxPolicy, model: settings.request.model },
            })
          : { type: "continue" as const };
      if (verdict.type === "block") {
        // Dropped by a UserPromptSubmit hook: nothing recorded, nothing sent.
        await journal.flush();
        emit({ type: "task_complete", turnId, lastAgentMessage: null });
        return;
      }
      const journalRequest = (request: EventMsg): Promise<void> => journal.append({ type: "event_msg", payload: request });
      const gate = deps.createApprovalGate(
        deps.interactiveApprovals ? approvals.asker(emit, { journal: journalRequest }) : undefined,
        emit,
        {
          approvalPolicy: settings.approvalPolicy,
          sandboxPolicy: settings.sandboxPolicy,
          ...(settings.approvalsReviewer ? { approvalsReviewer: settings.approvalsReviewer } : {}),
        },
      );
      const turn = { threadId: deps.id, turnId, metadata: turnMetadataOf(deps.requestIdentity(turnId)) };
      const askUser =
        deps.interactiveApprovals && deps.askUserInput !== false ? userInput.asker(emit, turnId, { journal: journalRequest }) : undefined;
      const toolContext = (call: ToolCallItem): ToolContext => ({
        cwd: settings.cwd,
        callId: call.call_id,
        ...(typeof call.id === "string" ? { itemId: call.id } : {}),
        sandboxPolicy: settings.sandboxPolicy,
        approvalPolicy: settings.approvalPolicy,
        env: deps.childEnv,
        exec: deps.exec,
        approval: gate,
        emit,
        signal,
        spoolDir: deps.spoolDir,
        turn,
        ...(askUser ? { askUser: (questions, o) => askUser({ callId: call.call_id, questions, isBlocking: o.isBlocking }, o.signal) } : {}),
      });
      // A call whose approval or question ended without the person's answer stays pending (asked again).
      const keepPending = (call: ToolCallItem): boolean => {
        const approval = approvals.takeUnanswered(call.call_id);
        const question = userInput.takeUnanswered(call.call_id);
        return approval || question;
      };
      // Calls whose approval an earlier turn (or process) left unanswered are asked again first, so
      // their outputs come right after them and before anything this turn adds.
      const settled = await pending.settle({
        registry: deps.registry,
        toolContext,
        signal,
        parallel: false,
        keepPending,
        record,
        ...(observer ? { observer } : {}),
      });
      if (settled === "interrupted") throw new PendingInterrupted();
      const ended = deps.backgroundTerminals?.takeExitNotices() ?? [];
      if (ended.length > 0) {
        await record([{ type: "message", role: "developer", content: [{ type: "input_text", text: ended.join("\n") }] }]);
      }
      if (mail.length > 0) await record(mail);
      if (input.type === "user_turn") {
        const userItem = await deps.buildUserMessage(op.items);
        await record([...(verdict.before ?? []), userItem, ...(verdict.after ?? [])]);
        emit({
          type: "user_message",
          message: op.items.flatMap((i) => (i.type === "text" ? [i.text] : [])).join("\n\n"),
          images: op.items.flatMap((i) => (i.type === "local_image" ? [i.path] : [])),
        });
      }
      // This turn's own service tier (app-server serviceTierForTurn) over the thread's.
      const turnRequest = (): RequestDefaults =>
        op.serviceTier === undefined ? settings.request : withOverride(settings, { type: "override_turn_context", serviceTier: op.serviceTier }).request;
      outcome = await runTurn({
        model: deps.model,
        registry: deps.registry,
        buildRequest: (h) =>
          buildModelRequest({
            threadId: deps.id,
            defaults: turnRequest(),
            tools: deps.registry.specs(),
            identity: deps.requestIdentity(turnId),
            history: h,
            outputSchema: op.outputSchema,
          }),
        history: () => history,
        record,
        toolContext,
        keepPending,
        emit,
        onUsage: (last) => {
          usage = addUsage(usage, last);
          lastUsage = last;
          meter.tokens = last.total_tokens || last.input_tokens + last.output_tokens;
          meter.mark = history.length;
          emit(tokenCount());
        },
        signal,
        parallelToolCalls: settings.request.parallelToolCalls,
        hasSteeredInput: () => steered.pending.length > 0,
        takeSteeredInput: async () => {
          const batches = steered.pending.splice(0);
          const items: ResponseItem[] = [];
          for (const batch of batches) {
            items.push(await deps.buildUserMessage(batch));
            emit({ type: "user_message", message: textOf(batch), images: batch.flatMap((i) => (i.type === "local_image" ? [i.path] : [])) });
          }
          return items;
        },
        ...(observer ? { observer } : {}),
        historyPort: historyPort({ emit, signal, turnId }),
        ...(deps.takeAgentMail ? { pendingInput: deps.takeAgentMail } : {}),
      });
    } catch (err) {
      outcome =
        err instanceof PendingInterrupted
          ? { status: "interrupted" }
          : { status: "failed", error: { kind: "internal", message: (err as Error).message ?? String(err) } };
    }
    if (outcome.status === "interrupted" && outcome.pending) pending.add(outcome.pending);
    steerable = null;
    approvals.abortAll();
    userInput.abortAll();
    await journal.flush();
    if (outcome.status === "completed") {
      emit({ type: "task_complete", turnId, lastAgentMessage: outcome.lastAgentMessage });
      deps.onTurnComplete?.({
        threadId: deps.id,
        turnId,
        cwd: settings.cwd,
        inputMessages: op.items.flatMap((i) => (i.type === "text" ? [i.text] : [])),
        lastAssistantMessage: outcome.lastAgentMessage,
      });
    } else if (outcome.status === "failed") {
      emit({ type: "turn_failed", turnId, error: outcome.error });
    } else {
      emit({ type: "turn_aborted", turnId, reason: "interrupted" });
    }
    await journal.flush();
  }

  async function runCompaction(submissionId: string, signal: AbortSignal): Promise<void> {
    const emit = emitFor(submissionId);
    const turnId = deps.newTurnId();
    emit({ type: "task_started", turnId });
    try {
      if (!deps.compactNow) throw new Error("compaction is not available in this thread");
      // The history is about to be rewritten: calls still waiting for approval are answered "aborted" first.
      await pending.abandon(record);
      await deps.compactNow(historyPort({ emit, signal, turnId }), signal);
      emit({ type: "task_complete", turnId, lastAgentMessage: null });
    } catch (err) {
      if (signal.aborted) emit({ type: "turn_aborted", turnId, reason: "interrupted" });
      else if (err instanceof ModelError) emit({ type: "turn_failed", turnId, error: err.error });
      else emit({ type: "turn_failed", turnId, error: { kind: "internal", message: (err as Error).message ?? String(err) } });
    }
    await journal.flush();
  }

  async function runShellCommand(submissionId: string, command: string, signal: AbortSignal): Promise<void> {
    const emit = emitFor(submissionId);
    const turnId = deps.newTurnId();
    emit({ type: "task_started", turnId });
    const { aborted } = await runUserShellCommand({
      command,
      cwd: settings.cwd,
      env: deps.childEnv,
      shell: deps.userShell ?? "/bin/bash",
      exec: deps.exec,
      emit,
      record,
      signal,
      callId: `user-shell-${turnId}`,
    });
    await journal.flush();
    emit(aborted ? { type: "turn_aborted", turnId, reason: "interrupted" } : { type: "task_complete", turnId, lastAgentMessage: null });
  }

  /** Drops the last `numTurns` user turns (from their user message on); journaled as a replacement history. */
  async function rollback(submissionId: string, numTurns: number): Promise<void> {
    const starts = userTurnStarts(history);
    if (numTurns < 1 || numTurns > starts.length) {
      queue.push({ id: submissionId, msg: { type: "thread_rolled_back", numTurns: 0, error: `cannot roll back ${numTurns} of ${starts.length} turns` } });
      return;
    }
    const cut = starts[starts.length - numTurns]!;
    history.splice(cut);
    pending.retain(history);
    meter.mark = Math.min(meter.mark, history.length);
    await journal.append({ type: "compacted", payload: { message: "", replacement_history: [...history] } });
    // Also as an event, so what lists a thread's turns from its rollout leaves the dropped ones out.
    const msg: EventMsg = { type: "thread_rolled_back", numTurns };
    await journal.append({ type: "event_msg", payload: msg });
    await journal.flush();
    queue.push({ id: submissionId, msg });
  }

  function applyOverride(submissionId: string, op: Extract<Op, { type: "override_turn_context" }>): void {
    Object.assign(settings, withOverride(settings, op));
    queue.push({
      id: submissionId,
      msg: {
        type: "turn_context_updated",
        model: settings.request.model,
        reasoningEffort: settings.request.reasoning?.effort ?? null,
        approvalPolicy: settings.approvalPolicy,
        sandboxPolicy: settings.sandboxPolicy,
      },
    });
  }

  // Tasks submitted and not yet ended (running or queued behind the running one).
  let tasksUnderWay = 0;
  const enqueueTask = (run: (signal: AbortSignal) => Promise<void>): void => {
    const controller = new AbortController();
    tasksUnderWay++;
    const done = turnChain.then(async () => {
      if (closing) return;
      current = { controller };
      try {
        await run(controller.signal);
      } finally {
        current = null;
      }
    });
    turnChain = done.catch(() => {}).finally(() => tasksUnderWay--);
  };

  const thread: Thread = {
    id: deps.id,
    rolloutPath: deps.rollout?.path ?? null,
    history: () => [...history],
    activeTurnId: () => steerable?.turnId ?? null,
    pendingApprovals: () => pending.ids(),
    events: () => queue,
    askOnBehalf: (action, context) =>
      closing ? Promise.resolve("abort" as const) : relayed.asker((msg) => queue.push({ id: "0", msg }))(action, context),
    async submit(op) {
      const submissionId = String(++submissionCounter);
      switch (op.type) {
        case "user_turn": {
          if (closing) break;
          enqueueTask((signal) => runUserTurn(submissionId, op, signal));
          break;
        }
        case "agent_turn":
        case "resume_pending": {
          if (closing) break;
          enqueueTask((signal) => runUserTurn(submissionId, op, signal));
          break;
        }
        case "compact": {
          if (closing) break;
          enqueueTask((signal) => runCompaction(submissionId, signal));
          break;
        }
        case "run_user_shell_command": {
          if (closing) break;
          enqueueTask((signal) => runShellCommand(submissionId, op.command, signal));
          break;
        }
        case "override_turn_context": {
          // Settings of the next turns: a running (or queued) turn keeps its own; the change applies after it.
          if (tasksUnderWay > 0) enqueueTask(async () => applyOverride(submissionId, op));
          else applyOverride(submissionId, op);
          break;
        }
        case "interrupt":
          current?.controller.abort();
          deps.onInterrupt?.();
          break;
        case "steer":
          // Taken before the turn's next model request; a turn that already ended ignores it.
          if (steerable && steerable.turnId === op.expectedTurnId) steerable.pending.push(op.items);
          break;
        case "rollback": {
          if (closing) break;
          enqueueTask(() => rollback(submissionId, op.numTurns));
          break;
        }
        case "exec_approval":
        case "patch_approval":
        case "mcp_tool_approval":
          if (approvals.answer(op.callId, op.decision)) {
            // Journaled before the call runs: a crash from here on does not ask the person again on resume.
            void journal.append({ type: "event_msg", payload: { type: "approval_answered", callId: op.callId, decision: op.decision } });
          } else relayed.answer(op.callId, op.decision);
          break;
        case "user_input_answer":
          // An answer to a question no longer asked (the turn ended) is dropped. A delivered one is journaled
          // (without the answers: they reach the journal as the call's output): a crash from here on does
          // not ask the person again on resume.
          if (userInput.answer(op.callId, op.response)) {
            void journal.append({ type: "event_msg", payload: { type: "user_input_answered", callId: op.callId } });
          }
          break;
        case "user_input_cancel":
          // The person's "stop": an answer, journaled as one (a resumed thread does not ask again).
          if (userInput.answer(op.callId, "cancelled")) {
            void journal.append({ type: "event_msg", payload: { type: "user_input_answered", callId: op.callId } });
          }
          break;
        case "list_background_terminals":
          queue.push({ id: submissionId, msg: { type: "background_terminals", terminals: deps.backgroundTerminals?.list() ?? [] } });
          break;
        case "clean_background_terminals": {
          const stopped = deps.backgroundTerminals ? await deps.backgroundTerminals.clean() : 0;
          queue.push({ id: submissionId, msg: { type: "background_terminals_cleaned", stopped } });
          break;
        }
        case "shutdown":
          void thread.close();
          break;
      }
      return submissionId;
    },
    close() {
      closing ??= (async () => {
        // A pending approval ends as abort with the turn's signal; the turn then ends interrupted.
        current?.controller.abort();
        approvals.abortAll();
        relayed.abortAll();
        userInput.abortAll();
        await turnChain;
        if (life) await life.onSessionEnd!({ emit: (msg) => queue.push({ id: "0", msg }) }).catch(() => {});
        await deps.onClose?.();
        await journal.close();
        queue.push({ id: "0", msg: { type: "shutdown_complete" } });
        queue.close();
      })();
      return closing;
    },
  };
  return thread;
}

/** The turn was interrupted while it asked again for a call pending from before: nothing else ran. */
class PendingInterrupted extends Error {}

const textOf = (items: UserInput[]): string => items.flatMap((i) => (i.type === "text" ? [i.text] : [])).join("\n\n");

/** The turn-metadata object the request headers carry (tool calls send it on, e.g. in MCP `_meta`). */
function turnMetadataOf(identity: { headers: Record<string, string> }): Record<string, unknown> | undefined {
  const raw = identity.headers["x-codex-turn-metadata"];
  if (!raw) return undefined;
  try {
    return JSON.parse(raw) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** Token counts are journaled in Codex's shape so either implementation can resume the other's threads. */
function journalForm(msg: EventMsg): EventMsg {
  if (msg.type !== "token_count") return msg;
  const info = {
    total_token_usage: msg.total,
    last_token_usage: msg.last,
    ...(msg.contextWindow !== undefined ? { model_context_window: msg.contextWindow } : {}),
  };
  return { type: "token_count", info } as unknown as EventMsg;
}
