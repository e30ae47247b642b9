import { createSecretRedactor, REDACTED } from "../../util/secret-redactor.js";

export { REDACTED };

/**
 * The journal's view of the one redactor (util/secret-redactor): every string inside `value` (deeply, keys
 * included) with known secrets and secret-shaped tokens masked. Working on the value rather than on
 * serialized JSON means a secret that contains quotes or backslashes is still found, and a replacement can
 * never break the JSON.
 */
export function scrubForJournal<T>(value: T, secrets: readonly string[]): T {
  return createSecretRedactor(secrets).redactValue(value);
}
