// Grapheme segmentation and string width without ICU for the text a TUI frame is mostly made of. ink lays out
// and writes every line through Intl.Segmenter (ansi-tokenize, slice-ansi, string-width), and string-width
// matches each cluster against /\p{RGI_Emoji}/v: the first Segmenter costs 10–18 ms (ICU loads its break
// rules) and the first match of that expression ~20 ms, all before the first frame. scripts/build.mjs puts
// these in front of those libraries in the TUI bundle: text whose every UTF-16 unit is one "simple" character
// (its own grapheme cluster whatever surrounds it, no combining mark, joiner, surrogate, CR or Hangul jamo)
// is segmented and measured here; anything else goes to ICU and the libraries' own code, loaded on first use.
// fast-graphemes.test.ts checks both answers against the real ones for every simple character.

/** get-east-asian-width's function, handed in by the patched string-width (its own import). */
export type EastAsianWidth = (codePoint: number, options?: { ambiguousAsWide?: boolean }) => number;

/** A UTF-16 unit that forms a grapheme cluster on its own next to any other simple unit. */
export function isSimpleUnit(c: number): boolean {
  if (c < 0x300) return c !== 0x0d; // Latin-1 and Latin Extended (combining marks start at U+0300); CR joins LF
  if (c < 0x2010) return false;
  if (c <= 0x2027) return true; // dashes, quotes, bullets, ellipsis (U+200B–U+200F are zero-width/joiners)
  if (c < 0x2030) return false;
  if (c <= 0x205e) return true; // per mille … (U+2060–U+206F are invisible format characters)
  if (c < 0x2070) return false;
  if (c <= 0x20cf) return true; // super/subscripts, currency (U+20D0– are combining marks for symbols)
  if (c < 0x2100) return false;
  return c <= 0x2bff; // letterlike, arrows, math, technical, box drawing, blocks, shapes, symbols, dingbats
}

export function isSimpleText(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (!isSimpleUnit(s.charCodeAt(i))) return false;
  return true;
}

// Pictographs with a text presentation (©, ❤, ⬅) are 1 column for string-width 8 and 2 for string-width 7
// (emoji-regex): both versions measure those themselves.
const PICTOGRAPH = /\p{Extended_Pictographic}/u;

/**
 * string-width's answer for simple text (after its ANSI stripping); undefined when the text is not simple or
 * holds a pictograph.
 */
export function simpleTextWidth(
  s: string,
  options: { ambiguousIsNarrow?: boolean } | undefined,
  eastAsianWidth: EastAsianWidth,
): number | undefined {
  const wideAmbiguous = { ambiguousAsWide: options?.ambiguousIsNarrow === false };
  let width = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c <= 0x7e) {
      width += 1;
      continue;
    }
    if (!isSimpleUnit(c) || (c >= 0xa9 && PICTOGRAPH.test(s[i]!))) return undefined;
    // Controls and the soft hyphen take no column; everything else is as wide as East Asian Width says
    // (the emoji-presentation symbols of this range are Wide there).
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0xad) continue;
    width += eastAsianWidth(c, wideAmbiguous);
  }
  return width;
}

interface SegmentData {
  segment: string;
  index: number;
  input: string;
}

interface Segments extends Iterable<SegmentData> {
  containing(index?: number): SegmentData | undefined;
}

/** Simple text: one cluster per UTF-16 unit, as Intl.Segmenter's grapheme segments would say. */
function simpleSegments(input: string): Segments {
  const at = (index: number): SegmentData => ({ segment: input[index]!, index, input });
  return {
    *[Symbol.iterator]() {
      for (let i = 0; i < input.length; i++) yield at(i);
    },
    containing(index = 0) {
      const i = Math.trunc(Number(index) || 0);
      return i >= 0 && i < input.length ? at(i) : undefined;
    },
  };
}

/**
 * Stands in for `new Intl.Segmenter(locale, { granularity: "grapheme" })` (the libraries' only use): the ICU
 * segmenter is made on the first text that needs it.
 */
export class LazyGraphemeSegmenter {
  readonly #args: ConstructorParameters<typeof Intl.Segmenter>;
  #icu: Intl.Segmenter | undefined;

  constructor(...args: ConstructorParameters<typeof Intl.Segmenter>) {
    const granularity = args[1]?.granularity ?? "grapheme";
    if (granularity !== "grapheme") throw new TypeError(`LazyGraphemeSegmenter: granularity ${granularity} is not supported`);
    this.#args = args;
  }

  segment(input: string): Segments {
    const s = String(input);
    if (isSimpleText(s)) return simpleSegments(s);
    this.#icu ??= new Intl.Segmenter(...this.#args);
    return this.#icu.segment(s);
  }

  resolvedOptions(): Intl.ResolvedSegmenterOptions {
    this.#icu ??= new Intl.Segmenter(...this.#args);
    return this.#icu.resolvedOptions();
  }
}
