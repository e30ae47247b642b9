import type { ResponseItem, ToolCallItem } from "../../protocol/items.js";
import { ABORTED_OUTPUT, outputForCall } from "../persistence/call-pairing.js";
import { ToolError } from "../tools/contract.js";
import { runToolRound, type ToolRoundDeps } from "../turn/tool-round.js";

/**
 * A thread's tool calls left without an output because their approval was still waiting for a person when
 * the turn ended (interrupt, client gone, shutdown, or a crash found on resume). The history holds each
 * call with no output; before the thread's next model request the calls run again through their tool, so
 * the person is asked again under the same call id: approved, the call runs and its output is recorded;
 * declined, the refusal is the output. Every model request pairs calls anyway (request-builder.ts), so a
 * request made meanwhile (a manual compaction) is still one the API accepts.
 */
export interface PendingCalls {
  /** The pending calls' ids, in history order. */
  ids(): string[];
  add(calls: readonly ToolCallItem[]): void;
  /** Forgets the calls no longer in `history` (a rollback dropped them). */
  retain(history: readonly ResponseItem[]): void;
  /** Answers every pending call "aborted" and forgets them (before a compaction rewrites the history). */
  abandon(record: (items: ResponseItem[]) => Promise<void>): Promise<void>;
  /**
   * Runs the pending calls again, recording their outputs; a call interrupted again while its approval
   * waits stays pending. "none": nothing was pending; "interrupted": the turn's signal cut the round short.
   */
  settle(o: SettleDeps): Promise<"none" | "settled" | "interrupted">;
}

export type SettleDeps = Omit<ToolRoundDeps, "keepPending"> & {
  keepPending(call: ToolCallItem): boolean;
  record(items: ResponseItem[]): Promise<void>;
};

export function createPendingCalls(initial: readonly ToolCallItem[] = []): PendingCalls {
  let calls: ToolCallItem[] = [...initial];
  return {
    ids: () => calls.map((c) => c.call_id),
    add(more) {
      const known = new Set(calls.map((c) => c.call_id));
      calls.push(...more.filter((c) => !known.has(c.call_id)));
    },
    retain(history) {
      const present = new Set(history.filter((i) => i.type === "function_call" || i.type === "custom_tool_call").map((i) => (i as ToolCallItem).call_id));
      calls = calls.filter((c) => present.has(c.call_id));
    },
    async abandon(record) {
      const taken = calls.splice(0);
      if (taken.length > 0) await record(taken.map((c) => outputForCall(c, ABORTED_OUTPUT)));
    },
    async settle(o) {
      if (calls.length === 0) return "none";
      const taken = calls.splice(0);
      const { record, ...round } = o;
      const result = await runToolRound(taken, round);
      await record(result.items);
      if (result.pending) calls.unshift(...result.pending);
      if (o.signal.aborted) return "interrupted";
      // The person cancelled (rather than declined): the turn ends interrupted, as in a model turn.
      if (result.error instanceof ToolError && result.error.kind === "abort_turn") return "interrupted";
      if (result.error !== undefined) throw result.error;
      return "settled";
    },
  };
}
