import type { EventMsg } from "../../protocol/events.js";
import type { UserInputQuestion, UserInputResponse } from "../../protocol/user-input.js";

/** One question round: the tool's call, its questions, and whether the turn cannot go on without it. */
export interface UserInputAsk {
  callId: string;
  questions: UserInputQuestion[];
  isBlocking: boolean;
}

/** Reaches the person; null when the ask ended unanswered (the turn's signal: interrupt, shutdown). */
export type AskUser = (ask: UserInputAsk, signal: AbortSignal) => Promise<UserInputResponse | null>;

/**
 * The thread's pending questions: an ask becomes a `request_user_input` event and waits for the
 * `user_input_answer` op with its callId — or for the turn's signal, which ends it unanswered, so an
 * interrupt never hangs on a person who walked away.
 */
export interface UserInputBroker {
  asker(emit: (msg: EventMsg) => void, turnId: string): AskUser;
  /** Delivers the person's answers; false when nothing waits under `callId`. */
  answer(callId: string, response: UserInputResponse): boolean;
  /** Ends every pending ask unanswered (turn end, shutdown). */
  abortAll(): void;
  pending(): number;
}

export function createUserInputBroker(): UserInputBroker {
  const waiting = new Map<string, (response: UserInputResponse | null) => void>();
  return {
    asker: (emit, turnId) => (ask, signal) =>
      new Promise((resolve) => {
        if (signal.aborted) return resolve(null);
        const onAbort = (): void => settle(null);
        const settle = (response: UserInputResponse | null): void => {
          if (waiting.get(ask.callId) === settle) waiting.delete(ask.callId);
          signal.removeEventListener("abort", onAbort);
          resolve(response);
        };
        waiting.set(ask.callId, settle);
        signal.addEventListener("abort", onAbort, { once: true });
        emit({ type: "request_user_input", callId: ask.callId, turnId, questions: ask.questions, isBlocking: ask.isBlocking });
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
  };
}
