import { createTaskChain } from "./task-chain.js";
import type { Thread, ThreadDeps } from "./thread-contract.js";
import { createThreadState } from "./thread-state.js";
import { applyOverride, rollback, runCompaction, runShellCommand } from "./thread-tasks.js";
import { runModelTurn } from "./user-turn.js";

export type { AskPerson } from "./approval-broker.js";
export type { RequestDefaults } from "./request-builder.js";
export type { Thread, ThreadDeps } from "./thread-contract.js";

/**
 * A thread: a queue of submissions (one task at a time: task-chain.ts) and a stream of events. Its shared
 * state is thread-state.ts; a model turn is user-turn.ts (the loop itself is runTurn), the other tasks
 * thread-tasks.ts. Here each op is dispatched: queued as a task, or answered at once (approvals, steering,
 * interrupt), and the thread closes.
 */
export function createThread(deps: ThreadDeps): Thread {
  const state = createThreadState(deps);
  const { queue, approvals, relayed, userInput, pending, journal, life } = state;
  let submissionCounter = 0;
  let closing: Promise<void> | null = null;
  const tasks = createTaskChain({ closing: () => closing !== null });

  const thread: Thread = {
    id: deps.id,
    rolloutPath: deps.rollout?.path ?? null,
    history: () => [...state.history],
    activeTurnId: () => state.steerable?.turnId ?? null,
    pendingApprovals: () => pending.ids(),
    events: () => queue,
    askOnBehalf: (action, context) =>
      closing ? Promise.resolve("abort" as const) : relayed.asker((msg) => queue.push({ id: "0", msg }))(action, context),
    async submit(op) {
      const submissionId = String(++submissionCounter);
      switch (op.type) {
        case "user_turn":
        case "agent_turn":
        case "resume_pending": {
          if (closing) break;
          tasks.enqueue((signal) => runModelTurn(state, submissionId, op, signal));
          break;
        }
        case "compact": {
          if (closing) break;
          tasks.enqueue((signal) => runCompaction(state, submissionId, signal));
          break;
        }
        case "run_user_shell_command": {
          if (closing) break;
          tasks.enqueue((signal) => runShellCommand(state, submissionId, op.command, signal));
          break;
        }
        case "override_turn_context": {
          // Settings of the next turns: a running (or queued) turn keeps its own; the change applies after it.
          if (tasks.underWay() > 0) tasks.enqueue(async () => applyOverride(state, submissionId, op));
          else applyOverride(state, submissionId, op);
          break;
        }
        case "interrupt":
          tasks.abortCurrent();
          deps.onInterrupt?.();
          break;
        case "steer":
          // Taken before the turn's next model request; a turn that already ended ignores it.
          if (state.steerable && state.steerable.turnId === op.expectedTurnId) state.steerable.pending.push(op.items);
          break;
        case "rollback": {
          if (closing) break;
          tasks.enqueue(() => rollback(state, submissionId, op.numTurns));
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
        tasks.abortCurrent();
        approvals.abortAll();
        relayed.abortAll();
        userInput.abortAll();
        await tasks.drained();
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
