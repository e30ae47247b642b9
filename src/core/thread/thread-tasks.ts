import type { EventMsg } from "../../protocol/events.js";
import type { Op } from "../../protocol/ops.js";
import { ModelError } from "../model/contract.js";
import type { ThreadState } from "./thread-state.js";
import { userTurnStarts } from "./turn-starts.js";
import { withOverride } from "./turn-settings.js";
import { runUserShellCommand } from "./user-shell-command.js";

// A thread's tasks other than a model turn: a manual compaction, the person's `!cmd`, a rollback, and a
// settings change for the next turns. Each runs in the thread's task order (thread.ts) on its state.

export async function runCompaction(state: ThreadState, submissionId: string, signal: AbortSignal): Promise<void> {
  const { deps, pending, journal, record } = state;
  const emit = state.emitFor(submissionId);
  const turnId = deps.newTurnId();
  emit({ type: "task_started", turnId });
  try {
    if (!deps.compactNow) throw new Error("compaction is not available in this thread");
    // The history is about to be rewritten: calls still waiting for approval are answered "aborted" first.
    await pending.abandon(record);
    await deps.compactNow(state.historyPort({ emit, signal, turnId }), signal);
    emit({ type: "task_complete", turnId, lastAgentMessage: null });
  } catch (err) {
    if (signal.aborted) emit({ type: "turn_aborted", turnId, reason: "interrupted" });
    else if (err instanceof ModelError) emit({ type: "turn_failed", turnId, error: err.error });
    else emit({ type: "turn_failed", turnId, error: { kind: "internal", message: (err as Error).message ?? String(err) } });
  }
  await journal.flush();
}

export async function runShellCommand(state: ThreadState, submissionId: string, command: string, signal: AbortSignal): Promise<void> {
  const { deps, journal, record, settings } = state;
  const emit = state.emitFor(submissionId);
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
export async function rollback(state: ThreadState, submissionId: string, numTurns: number): Promise<void> {
  const { history, queue, pending, meter, journal } = state;
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

export function applyOverride(state: ThreadState, submissionId: string, op: Extract<Op, { type: "override_turn_context" }>): void {
  const { settings, queue } = state;
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
