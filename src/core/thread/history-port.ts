import type { EventMsg } from "../../protocol/events.js";
import type { ResponseItem, TokenUsage } from "../../protocol/items.js";
import { estimateTokens } from "../compaction/estimate.js";
import { ModelError, type ModelClient, type ModelRequest } from "../model/contract.js";
import type { HistoryPort } from "../turn/history-port.js";
import { assistantText } from "../turn/item-text.js";
import type { TurnContextLine } from "../persistence/contract.js";
import type { Journal } from "./journal.js";

/** How full the model's context is: the last reported usage, and the history length it covered. */
export interface ContextMeter {
  /** Tokens of the last response (input + output); 0 before any response. */
  tokens: number;
  /** History length when `tokens` was measured; items after it are estimated. */
  mark: number;
}

export function meteredTokens(meter: ContextMeter, history: readonly ResponseItem[]): number {
  if (meter.tokens === 0) return 0;
  return meter.tokens + estimateTokens(history.slice(meter.mark));
}

export interface ThreadHistoryPortDeps {
  /** The thread's history, replaced in place. */
  history: ResponseItem[];
  meter: ContextMeter;
  journal: Journal;
  model: ModelClient;
  /** A request for `input` with no tools offered. */
  buildRequest(input: ResponseItem[]): ModelRequest;
  signal: AbortSignal;
  emit(msg: EventMsg): void;
  /** Usage of the summary request (counted in the thread's totals). */
  onUsage(usage: TokenUsage): void;
  /** After the history was replaced (the thread reports the new fill). */
  onReplaced(): void;
  turnId?: string;
  /** Journaled again after the `compacted` line (as the reference does), so a resume reads from there on. */
  turnContext?: TurnContextLine;
}

/** The thread's side of the compaction seam (turn/history-port.ts). */
export function createThreadHistoryPort(deps: ThreadHistoryPortDeps): HistoryPort {
  return {
    ...(deps.turnId !== undefined ? { turnId: deps.turnId } : {}),
    history: () => deps.history,
    contextTokens: () => meteredTokens(deps.meter, deps.history),
    emit: deps.emit,
    async sampleText(input) {
      let texts: string[] = [];
      for await (const ev of deps.model.stream(deps.buildRequest(input), deps.signal)) {
        if (ev.type === "created" || ev.type === "retrying") texts = [];
        else if (ev.type === "output_item_done" && ev.item.type === "message" && ev.item.role === "assistant") {
          const text = assistantText(ev.item);
          if (text) texts.push(text);
        } else if (ev.type === "completed") {
          if (ev.usage) deps.onUsage(ev.usage);
          return texts.join("\n\n");
        }
      }
      throw new ModelError({
        kind: "stream_disconnected",
        message: "stream disconnected before completion: stream closed before response.completed",
      });
    },
    async replaceHistory(r) {
      deps.history.splice(0, deps.history.length, ...r.items);
      deps.meter.tokens = r.tokens;
      deps.meter.mark = deps.history.length;
      await deps.journal.append({ type: "compacted", payload: { message: r.message, replacement_history: r.journaled } });
      if (deps.turnContext) await deps.journal.append({ type: "turn_context", payload: deps.turnContext });
      deps.onReplaced();
    },
  };
}
