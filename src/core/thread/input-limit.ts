import type { TurnError } from "../../protocol/events.js";
import type { UserInput } from "../../protocol/items.js";

/** The most text one turn may carry, in characters (Unicode code points), as in the reference. */
export const MAX_USER_INPUT_TEXT_CHARS = 1_048_576;

/** Code points of `text` without materialising them (a surrogate pair is one character). */
function codePointLength(text: string): number {
  let n = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

/** The typed refusal for a turn whose text inputs together exceed the bound; null when it fits. */
export function inputTooLarge(items: readonly UserInput[], max = MAX_USER_INPUT_TEXT_CHARS): TurnError | null {
  let total = 0;
  for (const item of items) {
    if (item.type !== "text") continue;
    total += codePointLength(item.text);
  }
  if (total <= max) return null;
  return { kind: "input_too_large", message: `Input exceeds the maximum length of ${max} characters.` };
}
