import { describe, expect, it } from "vitest";
import { isUuid, shortHex, uuidv7, uuidv7Timestamp } from "./ids.js";

describe("uuidv7", () => {
  it("has version 7, RFC variant and the timestamp in the first 48 bits", () => {
    const ms = Date.UTC(2025, 0, 2, 3, 4, 5, 678);
    const id = uuidv7(ms);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(uuidv7Timestamp(id)).toBe(ms);
    expect(isUuid(id)).toBe(true);
  });

  it("sorts by creation time and is unique", () => {
    const ids = [1, 2, 1000, 2 ** 40].map((t) => uuidv7(t));
    expect([...ids].sort()).toEqual(ids);
    const many = new Set(Array.from({ length: 1000 }, () => uuidv7(5)));
    expect(many.size).toBe(1000);
  });

  it("rejects bad timestamps", () => {
    expect(() => uuidv7(-1)).toThrow(/invalid timestamp/);
  });
});

describe("shortHex", () => {
  it("returns n hex chars", () => {
    expect(shortHex(7)).toMatch(/^[0-9a-f]{7}$/);
    expect(shortHex(0)).toBe("");
    expect(() => shortHex(-2)).toThrow();
  });
});
