import type { ResponseItem, ToolCallItem } from "../../protocol/items.js";
import type { HistoryPort } from "./history-port.js";
import type { TurnOutcome } from "./run-turn.js";

/**
 * The seams of one turn. `runTurn` calls an observer at fixed points of its loop, so features
 * wrap the loop instead of growing it:
 *
 * - hooks (PreToolUse / PostToolUse / Stop) are an observer: `beforeToolCall` runs the PreToolUse
 *   command and answers `block` (the model sees the reason as the call's output) or `replace`;
 *   `afterToolCall` runs PostToolUse with the output; `onStop` runs Stop.
 * - auto-compaction is an observer whose `beforeSampling` sees the history about to be sent and,
 *   over the token limit, compacts it (through the thread's history port) before the request.
 * - MCP, sub-agents and the app-server's item events observe calls the same way.
 *
 * A thread gets its observers through `ThreadDeps.observers` (the runtime's blueprint), so a
 * feature is wired once in runtime.ts and neither the thread nor the loop changes for it.
 * Every method is optional; a throwing observer fails the turn like a fatal tool error would.
 * Observers are composed with `composeObservers` (first `block`/`replace` wins).
 */
export interface TurnObserver {
  /**
   * Before each model request of the turn (`request` counts from 1). `port` (when the thread gives
   * one) lets the observer read the context's fill and replace the history (compaction).
   */
  beforeSampling?(o: {
    history: readonly ResponseItem[];
    request: number;
    port?: HistoryPort;
    signal?: AbortSignal;
  }): void | Promise<void>;
  /** Before a tool call runs: let it run, refuse it (the model sees `reason`), or answer it instead. */
  beforeToolCall?(call: ToolCallItem): ToolCallVerdict | void | Promise<ToolCallVerdict | void>;
  /**
   * After a tool call produced its output (also for blocked, replaced and aborted calls). May put
   * another output in its place (`output`) and items just before it (`before`, e.g. a developer message).
   */
  afterToolCall?(call: ToolCallItem, output: ResponseItem): void | ToolOutputAmendment | Promise<void | ToolOutputAmendment>;
  /**
   * When the turn would end, with how it ended. A completed turn may be continued: the verdict's
   * `items` are recorded and the model is sampled again in the same turn (onStop then runs again).
   */
  onStop?(outcome: TurnOutcome): void | StopVerdict | Promise<void | StopVerdict>;
}

export interface ToolOutputAmendment {
  output?: ResponseItem;
  before?: ResponseItem[];
}

export type StopVerdict = { type: "stop" } | { type: "continue"; items: ResponseItem[] };

export type ToolCallVerdict =
  | { type: "continue" }
  /** The call does not run; `reason` becomes its output for the model. */
  | { type: "block"; reason: string }
  /** The call does not run; `output` (text for the model) stands in for its result. */
  | { type: "replace"; output: string }
  /** The call runs as `call` instead (same call id: a PreToolUse hook's updatedInput). */
  | { type: "rewrite"; call: ToolCallItem };

/** One observer that calls each of `observers` in order. */
export function composeObservers(observers: readonly TurnObserver[]): TurnObserver {
  if (observers.length === 1) return observers[0]!;
  return {
    async beforeSampling(o) {
      for (const ob of observers) await ob.beforeSampling?.(o);
    },
    async beforeToolCall(call) {
      // A rewrite is what the next observers see; a block or replace ends the round of observers.
      let current = call;
      for (const ob of observers) {
        const verdict = await ob.beforeToolCall?.(current);
        if (verdict?.type === "rewrite") current = verdict.call;
        else if (verdict && verdict.type !== "continue") return verdict;
      }
      return current === call ? { type: "continue" } : { type: "rewrite", call: current };
    },
    async afterToolCall(call, output) {
      let current = output;
      const before: ResponseItem[] = [];
      for (const ob of observers) {
        const a = await ob.afterToolCall?.(call, current);
        if (a?.output) current = a.output;
        if (a?.before) before.push(...a.before);
      }
      return { ...(current !== output ? { output: current } : {}), ...(before.length > 0 ? { before } : {}) };
    },
    async onStop(outcome) {
      const items: ResponseItem[] = [];
      for (const ob of observers) {
        const v = await ob.onStop?.(outcome);
        if (v?.type === "continue") items.push(...v.items);
      }
      return items.length > 0 ? { type: "continue", items } : { type: "stop" };
    },
  };
}
