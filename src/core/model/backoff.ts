// Retry timing: exponential backoff with jitter, and server hints (`retry-after`, "try again in 3s").

const BASE_DELAY_MS = 200;
/** Upper bound for any single wait so a hostile or buggy hint cannot park a turn for hours. */
const MAX_DELAY_MS = 5 * 60_000;
export const MAX_RETRY_BUDGET = 100;

/** Delay before retry number `attempt` (1-based): 200ms × 2^(attempt−1) × uniform(0.9, 1.1). */
export function backoffDelayMs(attempt: number, random: () => number): number {
  const exp = Math.min(Math.max(attempt, 1) - 1, 20);
  const jitter = 0.9 + random() * 0.2;
  return Math.min(Math.round(BASE_DELAY_MS * 2 ** exp * jitter), MAX_DELAY_MS);
}

/** Retry budgets from config are clamped to 0..100. */
export function clampRetryBudget(n: number | undefined, fallback: number): number {
  if (n === undefined || !Number.isFinite(n)) return fallback;
  return Math.min(Math.max(Math.trunc(n), 0), MAX_RETRY_BUDGET);
}

/** `retry-after` is either delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null | undefined, now: () => number = Date.now): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return clampDelay(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return clampDelay(date - now());
}

/** Finds "try again in 1.5s" / "try again in 250ms" / "try again in 20 seconds" in an error message. */
export function parseTryAgainIn(message: string | undefined): number | undefined {
  if (!message) return undefined;
  const m = /try again in\s*(\d+(?:\.\d+)?)\s*(ms|milliseconds?|s|sec|secs|seconds?)\b/i.exec(message);
  if (!m || m[1] === undefined || m[2] === undefined) return undefined;
  const n = Number(m[1]);
  return clampDelay(m[2].toLowerCase().startsWith("m") ? n : n * 1000);
}

function clampDelay(ms: number): number {
  return Math.min(Math.max(Math.round(ms), 0), MAX_DELAY_MS);
}
