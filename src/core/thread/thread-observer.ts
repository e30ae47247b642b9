import type { EventMsg } from "../../protocol/events.js";
import type { ResponseItem } from "../../protocol/items.js";
import type { AskForApproval, SandboxPolicy } from "../../protocol/policy.js";

// The seams of a thread's life, beside the turn's (turn/observer.ts): the session starting (fresh, resumed,
// forked, after /clear or a compaction), each turn's start before its input is recorded (a person's prompt,
// another agent's mail, calls asked again), and the session ending. Hooks (SessionStart, UserPromptSubmit, SessionEnd) are a thread observer; a thread gets
// its observers through ThreadDeps.threadObservers, wired once in runtime.ts.

export type SessionStartSource = "startup" | "resume" | "fork" | "clear" | "compact";

/**
 * What started a turn: a person's prompt (`user_turn`), mail from another agent (a sub-agent's task or a
 * message: `agent_turn`), or calls an earlier turn left waiting for approval asked again (`resume_pending`).
 */
export type TurnOrigin = "user" | "agent" | "resume_pending";

/** The settings a turn runs with that the model is told about (override_turn_context changes them). */
export interface PromptSettings {
  cwd: string;
  approvalPolicy: AskForApproval;
  sandboxPolicy: SandboxPolicy;
  model: string;
}

export type PromptVerdict =
  /**
   * Record the turn's input; `before` goes right before it (context updates: before the user message, or
   * before the mail of an agent turn), `after` right after it (e.g. a developer message).
   */
  | { type: "continue"; before?: ResponseItem[]; after?: ResponseItem[] }
  /** Drop the turn's input: nothing is recorded or sent, and the turn ends. */
  | { type: "block"; reason: string };

export interface ThreadObserver {
  /** Before the first turn of the thread: items returned are added to the history. */
  onSessionStart?(o: { source: SessionStartSource; rolloutPath: string | null; emit(msg: EventMsg): void }): Promise<ResponseItem[]>;
  /** At the start of every turn (whatever its origin), before its input is recorded. */
  beforeTurn?(o: {
    turnId: string;
    origin: TurnOrigin;
    /** The person's text ("" for a turn no person started). */
    prompt: string;
    emit(msg: EventMsg): void;
    signal: AbortSignal;
    /** The caller's trace context for this turn (the `user_turn` op's `trace`), parent of the turn span. */
    trace?: { traceparent: string; tracestate?: string };
    /** The settings this turn runs with. */
    settings?: PromptSettings;
  }): Promise<PromptVerdict>;
  /** When the thread closes, after its last turn. */
  onSessionEnd?(o: { emit(msg: EventMsg): void }): Promise<void>;
}

/** One observer calling each of `observers` in order (the first block wins; `before` and `after` items add up). */
export function composeThreadObservers(observers: readonly ThreadObserver[]): ThreadObserver {
  return {
    async onSessionStart(o) {
      const items: ResponseItem[] = [];
      for (const ob of observers) items.push(...((await ob.onSessionStart?.(o)) ?? []));
      return items;
    },
    async beforeTurn(o) {
      const before: ResponseItem[] = [];
      const after: ResponseItem[] = [];
      for (const ob of observers) {
        const v = await ob.beforeTurn?.(o);
        if (v?.type === "block") return v;
        if (v?.before) before.push(...v.before);
        if (v?.after) after.push(...v.after);
      }
      return { type: "continue", ...(before.length > 0 ? { before } : {}), ...(after.length > 0 ? { after } : {}) };
    },
    async onSessionEnd(o) {
      for (const ob of observers) await ob.onSessionEnd?.(o);
    },
  };
}
