import type { EventMsg } from "../../protocol/events.js";
import type { UserInputQuestion, UserInputResponse } from "../../protocol/user-input.js";

/** One question round: the tool's call, its questions, and whether the turn cannot go on without it. */
export interface UserInputAsk {
  callId: string;
  questions: UserInputQuestion[];
  isBlocking: boolean;
}

/**
 * Reaches the person; "cancelled" when the person stopped the turn from the question (an answer); null when
 * the ask ended unanswered (the turn's signal: interrupt, shutdown).
 */
export type AskUser = (ask: UserInputAsk, signal: AbortSignal) => Promise<UserInputResponse | "cancelled" | null>;

/**
 * The thread's pending questions: an ask becomes a `request_user_input` event and waits for the
 * `user_input_answer` op with its callId — or for the turn's signal, which ends it unanswered, so an
 * interrupt never hangs on a person who walked away. A question that ended unanswered is remembered
 * (takeUnanswered) so its call stays pending and is asked again, as an unanswered approval is.
 */
export interface UserInputBroker {
  /**
   * The asker for one turn. `journal`, when given, is awaited with each request before it is emitted, so a
   * question a person may see is already on disk (a crash keeps it, and a resumed thread asks again).
   */
  asker(emit: (msg: EventMsg) => void, turnId: string, o?: { journal?(request: EventMsg): Promise<void> }): AskUser;
  /** Delivers the person's answers (or their "cancelled"); false when nothing waits under `callId`. */
  answer(callId: string, response: UserInputResponse | "cancelled"): boolean;
  /** Ends every pending ask unanswered (turn end, shutdown). */
  abortAll(): void;
  pending(): number;
  /** True (once) when the ask for `callId` ended without the person's answer: the call is still to be asked. */
  takeUnanswered(callId: string): boolean;
}

export function createUserInputBroker(): UserInputBroker {
  const waiting = new Map<string, (response: UserInputResponse | "cancelled" | null) => void>();
  const unanswered = new Set<string>();
  return {
    asker: (emit, turnId, o = {}) => (ask, signal) =>
      new Promise((resolve) => {
        if (signal.aborted) {
          unanswered.add(ask.callId);
          return resolve(null);
        }
        let settled = false;
        const onAbort = (): void => settle(null);
        const settle = (response: UserInputResponse | "cancelled" | null): void => {
          if (settled) return;
          settled = true;
          if (waiting.get(ask.callId) === settle) waiting.delete(ask.callId);
          if (response === null) unanswered.add(ask.callId);
          signal.removeEventListener("abort", onAbort);
          resolve(response);
        };
        waiting.set(ask.callId, settle);
        signal.addEventListener("abort", onAbort, { once: true });
        const request: EventMsg = { type: "request_user_input", callId: ask.callId, turnId, questions: ask.questions, isBlocking: ask.isBlocking };
        const journaled = o.journal ? o.journal(request).catch(() => undefined) : undefined;
        if (!journaled) return emit(request);
        void journaled.then(() => {
          if (!settled) emit(request);
        });
      }),
    answer(callId, response) {
      const settle = waiting.get(callId);
      if (!settle) return false;
      settle(response);
      return true;
    },
    abortAll() {
      for (const settle of [...waiting.values()]) settle(null);
    },
    pending: () => waiting.size,
    takeUnanswered: (callId) => unanswered.delete(callId),
  };
}
