/**
 * The token budget, in one place. The usable window is the model's context window minus the
 * output reserve (5%, as the reference's effective window); compaction starts at 80% of it, or
 * at `model_auto_compact_token_limit` when set.
 */
export const USABLE_WINDOW_PERCENT = 95;
export const AUTO_COMPACT_PERCENT = 80;

export interface TokenBudget {
  contextWindow: number;
  usableWindow: number;
  limit: number;
}

export function tokenBudget(o: { contextWindow: number; autoCompactTokenLimit?: number }): TokenBudget {
  const usableWindow = Math.floor((o.contextWindow * USABLE_WINDOW_PERCENT) / 100);
  const configured = o.autoCompactTokenLimit;
  const limit =
    configured !== undefined && configured > 0 ? configured : Math.floor((usableWindow * AUTO_COMPACT_PERCENT) / 100);
  return { contextWindow: o.contextWindow, usableWindow, limit };
}

/** Percent of the usable window still free (0–100, whole numbers). */
export function contextLeftPercent(usedTokens: number, usableWindow: number): number {
  if (usableWindow <= 0) return 0;
  const left = ((usableWindow - usedTokens) / usableWindow) * 100;
  return Math.max(0, Math.min(100, Math.round(left)));
}
