/** Shortest secret we redact: shorter strings would shred ordinary text and are not real keys anyway. */
const MIN_SECRET_LENGTH = 4;
export const REDACTED = "[REDACTED]";

/** Replaces every occurrence of each secret in `text`; longest first so overlapping secrets fully vanish. */
export function redactSecrets(text: string, secrets: readonly (string | null | undefined)[]): string {
  const list = [...new Set(secrets.filter((s): s is string => !!s && s.length >= MIN_SECRET_LENGTH))].sort(
    (a, b) => b.length - a.length,
  );
  let out = text;
  for (const s of list) out = out.split(s).join(REDACTED);
  return out;
}
