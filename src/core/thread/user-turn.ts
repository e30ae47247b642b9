import type { EventMsg } from "../../protocol/events.js";
import type { ResponseItem, ToolCallItem, UserInput } from "../../protocol/items.js";
import type { Op } from "../../protocol/ops.js";
import type { ToolContext } from "../tools/contract.js";
import { runTurn, type TurnOutcome } from "../turn/run-turn.js";
import { inputTooLarge } from "./input-limit.js";
import { buildModelRequest, type RequestDefaults } from "./request-builder.js";
import type { TurnOrigin } from "./thread-observer.js";
import type { ThreadState } from "./thread-state.js";
import { withOverride } from "./turn-settings.js";
import { addUsage } from "./usage.js";

// A thread's model turn: a user prompt, mail from other agents (a sub-agent's task), or calls a turn left
// pending asked again. Its start (session start, prompt seam, approvals, pending calls, items recorded),
// the turn loop (runTurn) and its end (task_complete / turn_failed / turn_aborted, the notify program).

/** What starts a model turn. */
export type ModelTurnInput = Extract<Op, { type: "user_turn" }> | { type: "agent_turn" } | { type: "resume_pending" };

const ORIGIN: Record<ModelTurnInput["type"], TurnOrigin> = { user_turn: "user", agent_turn: "agent", resume_pending: "resume_pending" };

export async function runModelTurn(state: ThreadState, submissionId: string, input: ModelTurnInput, signal: AbortSignal): Promise<void> {
  const { deps, journal, settings, pending, approvals, userInput, life, observer, history, meter, record, queue } = state;
  const emit = state.emitFor(submissionId);
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
  state.steerable = steered;
  emit({ type: "task_started", turnId });
  await journal.append({ type: "turn_context", payload: state.turnContext(turnId) });
  let outcome: TurnOutcome;
  try {
    if (life && !state.sessionStarted) {
      state.sessionStarted = true;
      const source = deps.sessionSource ?? "startup";
      await record(await life.onSessionStart!({ source, rolloutPath: deps.rollout?.path ?? null, emit }));
    }
    const prompt = op.items.flatMap((i) => (i.type === "text" ? [i.text] : [])).join("\n\n");
    // Every turn start goes through the seam (settings updates, hooks' turn state, the turn's span), whatever
    // started it: a sub-agent's mail turn is told a settings change as a prompt would be.
    const verdict = life
      ? await life.beforeTurn!({
          turnId,
          origin: ORIGIN[input.type],
          prompt,
          emit,
          signal,
          ...(op.trace ? { trace: op.trace } : {}),
          settings: { cwd: settings.cwd, approvalPolicy: settings.approvalPolicy, sandboxPolicy: settings.sandboxPolicy, model: settings.request.model },
        })
      : { type: "continue" as const };
    if (verdict.type === "block") {
      // Dropped by a hook (UserPromptSubmit, or SessionStart's stop): nothing recorded, nothing sent.
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
        model: settings.request.model,
      },
    );
    const turn = {
      threadId: deps.id,
      turnId,
      metadata: turnMetadataOf(state.requestIdentity(turnId)),
      // What a sub-agent spawned in this turn inherits unless its spawn names others.
      model: settings.request.model,
      ...(settings.request.reasoning?.effort ? { reasoningEffort: settings.request.reasoning.effort } : {}),
    };
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
    if (input.type === "user_turn") {
      if (mail.length > 0) await record(mail);
      const userItem = await deps.buildUserMessage(op.items);
      await record([...(verdict.before ?? []), userItem, ...(verdict.after ?? [])]);
      emit({
        type: "user_message",
        message: op.items.flatMap((i) => (i.type === "text" ? [i.text] : [])).join("\n\n"),
        images: op.items.flatMap((i) => (i.type === "local_image" ? [i.path] : [])),
      });
    } else {
      // No user message: what changed goes before the mail (an agent turn) or the model's next request.
      await record([...(verdict.before ?? []), ...mail, ...(verdict.after ?? [])]);
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
          identity: state.requestIdentity(turnId),
          history: h,
          outputSchema: op.outputSchema,
        }),
      history: () => history,
      record,
      toolContext,
      keepPending,
      emit,
      onUsage: (last) => {
        state.usage = addUsage(state.usage, last);
        state.lastUsage = last;
        meter.tokens = last.total_tokens || last.input_tokens + last.output_tokens;
        meter.mark = history.length;
        emit(state.tokenCount());
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
      historyPort: state.historyPort({ emit, signal, turnId }),
      ...(deps.takeAgentMail ? { pendingInput: deps.takeAgentMail } : {}),
    });
  } catch (err) {
    outcome =
      err instanceof PendingInterrupted
        ? { status: "interrupted" }
        : { status: "failed", error: { kind: "internal", message: (err as Error).message ?? String(err) } };
  }
  if (outcome.status === "interrupted" && outcome.pending) pending.add(outcome.pending);
  state.steerable = null;
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
