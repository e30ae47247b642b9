import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { HeadTailBuffer } from "./head-tail-buffer.js";

describe("HeadTailBuffer", () => {
  it("keeps everything while under the bound", () => {
    const b = new HeadTailBuffer(4, 4);
    b.push(Buffer.from("abc"));
    b.push(Buffer.from("def"));
    expect([b.toText(), b.omittedBytes, b.totalBytes]).toEqual(["abcdef", 0, 6]);
  });

  it("keeps head and tail with a marker over the bound", () => {
    const b = new HeadTailBuffer(3, 3);
    for (const c of ["ab", "cdef", "ghij"]) b.push(Buffer.from(c));
    expect(b.toText({ markerDetail: "full output: /x" })).toBe("abc\n[... 4 of 10 bytes omitted; full output: /x ...]\nhij");
  });

  it("never emits broken characters at the cut", () => {
    const b = new HeadTailBuffer(3, 3);
    b.push(Buffer.from("ééééé")); // 10 bytes
    const text = b.toText();
    expect(text).not.toContain("\ufffd");
    expect(text).toBe("é\n[... 6 of 10 bytes omitted ...]\né");
  });

  it("head+tail equals the input whenever nothing is omitted (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.string(), { maxLength: 20 }), fc.integer({ min: 0, max: 40 }), (parts, n) => {
        const b = new HeadTailBuffer(n, n);
        for (const p of parts) b.push(Buffer.from(p));
        const all = parts.join("");
        if (Buffer.byteLength(all) <= 2 * n) expect(b.toText()).toBe(all);
        else expect(b.omittedBytes).toBe(Buffer.byteLength(all) - 2 * n);
      }),
    );
  });

  it("clear() empties it", () => {
    const b = new HeadTailBuffer(2, 2);
    b.push(Buffer.from("abcdef"));
    b.clear();
    expect([b.toText(), b.totalBytes]).toEqual(["", 0]);
  });
});
