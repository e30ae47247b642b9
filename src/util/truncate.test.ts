import { describe, expect, it } from "vitest";
import { truncateMiddle, utf8SafeHead, utf8SafeTail } from "./truncate.js";

describe("truncateMiddle", () => {
  it("returns short text unchanged", () => {
    expect(truncateMiddle("hello", 10)).toEqual({ text: "hello", truncated: false, omittedBytes: 0 });
  });

  it("keeps head and tail around a marker", () => {
    const text = "a".repeat(50) + "b".repeat(100) + "c".repeat(50);
    const r = truncateMiddle(text, 100);
    expect(r).toEqual({
      text: "a".repeat(50) + "\n[... 100 bytes omitted ...]\n" + "c".repeat(50),
      truncated: true,
      omittedBytes: 100,
    });
  });

  it("never splits a multi-byte character", () => {
    const text = "é".repeat(100); // 2 bytes each
    const r = truncateMiddle(text, 51);
    const [head, tail] = r.text.split(/\n\[\.\.\. \d+ bytes omitted \.\.\.\]\n/);
    expect(head).toBe("é".repeat(12));
    expect(tail).toBe("é".repeat(13));
    expect(r.omittedBytes).toBe(200 - 24 - 26);
    expect(r.text).not.toContain("\ufffd");
  });

  it("safe head/tail helpers respect character starts", () => {
    const buf = Buffer.from("x€y", "utf8"); // € is 3 bytes
    expect(utf8SafeHead(buf, 2).toString()).toBe("x");
    expect(utf8SafeTail(buf, 3).toString()).toBe("y");
    expect(utf8SafeTail(buf, 4).toString()).toBe("€y");
  });
});
