import { describe, expect, test } from "vitest";
import { eastAsianWidth } from "get-east-asian-width";
import stringWidth8 from "string-width";
// wrap-ansi's own copy (string-width 7).
import stringWidth7 from "../../../node_modules/wrap-ansi/node_modules/string-width/index.js";
import { isSimpleText, isSimpleUnit, LazyGraphemeSegmenter, simpleTextWidth } from "./fast-graphemes.js";

const simpleUnits: string[] = [];
for (let c = 0; c < 0x10000; c++) if (isSimpleUnit(c)) simpleUnits.push(String.fromCharCode(c));
const icu = new Intl.Segmenter(undefined, { granularity: "grapheme" });
const segmentsOf = (segments: Iterable<{ segment: string; index: number; input: string }>) =>
  [...segments].map(({ segment, index, input }) => ({ segment, index, input }));

/** Deterministic pseudo-random strings of simple units (and a few ASCII words between them). */
function* simpleStrings(count: number): Generator<string> {
  let seed = 12345;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
  for (let n = 0; n < count; n++) {
    let s = "";
    const len = 1 + (next() % 12);
    for (let i = 0; i < len; i++) s += next() % 4 === 0 ? "ab " : simpleUnits[next() % simpleUnits.length];
    yield s;
  }
}

describe("fast graphemes (the TUI bundle's stand-ins for ICU at start-up)", () => {
  test("every simple unit is a grapheme cluster of its own, next to any other simple unit", () => {
    const bad: string[] = [];
    for (const u of simpleUnits) {
      for (const s of [u, `a${u}`, `${u}${u}`, `${u}a`, `\u00e9${u}\u2500`]) {
        if (segmentsOf(icu.segment(s)).length !== s.length) bad.push(u.charCodeAt(0).toString(16));
      }
    }
    expect(bad).toEqual([]);
    for (const s of simpleStrings(3000)) expect(segmentsOf(new LazyGraphemeSegmenter().segment(s))).toEqual(segmentsOf(icu.segment(s)));
  });

  test("the segmenter answers like Intl.Segmenter for text that is not simple (ICU made on first need)", () => {
    const seg = new LazyGraphemeSegmenter(undefined, { granularity: "grapheme" });
    for (const s of ["e\u0301x", "👍🏽 ok", "a\r\nb", "한국어", "\u1100\u1161", "🇫🇷🇩🇪", "a\u200db", "x\ufe0f", "›\u0300"]) {
      expect(isSimpleText(s)).toBe(false);
      expect(segmentsOf(seg.segment(s))).toEqual(segmentsOf(icu.segment(s)));
      for (let i = -1; i <= s.length; i++) expect(seg.segment(s).containing(i)).toEqual(icu.segment(s).containing(i));
    }
    const simple = "› Ask ─ • ok";
    for (let i = -1; i <= simple.length; i++) expect(seg.segment(simple).containing(i)).toEqual(icu.segment(simple).containing(i));
    expect(seg.resolvedOptions().granularity).toBe("grapheme");
    expect(() => new LazyGraphemeSegmenter(undefined, { granularity: "word" })).toThrow(/granularity word/);
  });

  test.each([
    ["string-width 8 (ink)", stringWidth8 as (s: string, o?: { ambiguousIsNarrow?: boolean }) => number],
    ["string-width 7 (wrap-ansi)", stringWidth7 as (s: string, o?: { ambiguousIsNarrow?: boolean }) => number],
  ])("the width of every simple unit, and of simple strings, is %s's", (_name, real) => {
    const bad: string[] = [];
    let measured = 0;
    for (const u of simpleUnits) {
      for (const o of [undefined, { ambiguousIsNarrow: false }]) {
        const fast = simpleTextWidth(u, o, eastAsianWidth);
        // Left to the library: pictographs only.
        if (fast === undefined ? !/\p{Extended_Pictographic}/u.test(u) : fast !== real(u, o)) bad.push(`${u.charCodeAt(0).toString(16)}:${real(u, o)}`);
        if (fast !== undefined) measured++;
      }
    }
    expect(bad).toEqual([]);
    expect(measured).toBeGreaterThan(simpleUnits.length * 1.9);
    for (const s of simpleStrings(2000)) {
      const fast = simpleTextWidth(s, undefined, eastAsianWidth);
      if (fast !== undefined) expect(fast).toBe(real(s));
    }
    expect(simpleTextWidth("e\u0301", undefined, eastAsianWidth)).toBeUndefined();
    expect(simpleTextWidth("👍", undefined, eastAsianWidth)).toBeUndefined();
    expect(simpleTextWidth("\u2764 \u00a9", undefined, eastAsianWidth)).toBeUndefined();
    expect(simpleTextWidth("› Ask ─ • \u00e9", undefined, eastAsianWidth)).toBe(11);
  });
});
