export const REDACTED = "[REDACTED]";

/**
 * Replaces every occurrence of any secret inside the strings of `value` (deeply, keys included)
 * with `[REDACTED]`. Working on the value rather than on serialized JSON means a secret that
 * contains quotes or backslashes is still found, and a replacement can never break the JSON.
 */
export function scrubForJournal<T>(value: T, secrets: readonly string[]): T {
  // Longest first, so a secret that contains a shorter one is masked whole.
  const usable = [...new Set(secrets.filter((s) => s.length > 0))].sort((a, b) => b.length - a.length);
  if (usable.length === 0) return value;
  return scrubValue(value, usable) as T;
}

function scrubString(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  return out;
}

function scrubValue(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === "string") return scrubString(value, secrets);
  if (Array.isArray(value)) return value.map((v) => scrubValue(v, secrets));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      out[scrubString(k, secrets)] = scrubValue(v, secrets);
    }
    return out;
  }
  return value;
}
