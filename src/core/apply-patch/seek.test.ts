import { describe, expect, it } from "vitest";
import { seekSequence } from "./seek.js";

describe("seekSequence", () => {
  const noEof = { eof: false };
  it("tries tiers in order, each over the whole range", () => {
    expect(seekSequence(["a ", "a"], ["a"], 0, noEof)).toBe(1); // exact beats trimEnd at an earlier index
    expect(seekSequence(["x", "a  "], ["a"], 0, noEof)).toBe(1);
    expect(seekSequence(["  a"], ["a"], 0, noEof)).toBe(0);
    expect(seekSequence(["\u201cq\u201d \u2013 it\u2019s\u00a0ok"], ['"q" - it\'s ok'], 0, noEof)).toBe(0);
  });
  it("handles empty and oversize patterns, start offsets and EOF anchoring", () => {
    expect(seekSequence(["a"], [], 1, noEof)).toBe(1);
    expect(seekSequence(["a"], ["a", "b"], 0, noEof)).toBeNull();
    expect(seekSequence(["a", "b", "a"], ["a"], 1, noEof)).toBe(2);
    expect(seekSequence(["a", "b", "a"], ["a"], 0, { eof: true })).toBe(2);
    expect(seekSequence(["a", "b", "c"], ["a"], 0, { eof: true })).toBe(0); // falls back when the end differs
  });
});
