import type { EventMsg } from "../../protocol/events.js";
import type { ResponseItem } from "../../protocol/items.js";

/**
 * What a turn observer may do to the thread's history (the compaction seam): read how full the
 * model's context is, ask the model for a plain text answer without tools, and replace the history.
 * The thread implements it (thread/history-port.ts) and hands it to `beforeSampling`.
 */
export interface HistoryPort {
  /** The model-visible history now. */
  history(): readonly ResponseItem[];
  /**
   * Tokens in the model's context now: the last response's reported usage plus an estimate of the
   * items added after it (0 before the thread's first response).
   */
  contextTokens(): number;
  /** One request with `input` and no tools offered; resolves with the answer's text. */
  sampleText(input: ResponseItem[]): Promise<string>;
  /**
   * Replaces the history with `items` and journals a `compacted` line whose replacement_history
   * is `journaled` (the items minus the base instructions, which the rollout keeps in session_meta).
   */
  replaceHistory(r: { items: ResponseItem[]; journaled: ResponseItem[]; message: string; tokens: number }): Promise<void>;
  emit(msg: EventMsg): void;
  /** The turn this runs in (absent for a manual compaction outside a turn). */
  turnId?: string;
}
