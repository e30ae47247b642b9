import { describe, expect, test } from "vitest";
import { contextLeftPercent, tokenBudget } from "./threshold.js";

describe("tokenBudget", () => {
  test("the limit is 80% of the usable window (the window minus the 5% output reserve)", () => {
    expect(tokenBudget({ contextWindow: 272_000 })).toEqual({ contextWindow: 272_000, usableWindow: 258_400, limit: 206_720 });
    expect(tokenBudget({ contextWindow: 128_000 }).limit).toBe(97_280);
  });

  test("model_auto_compact_token_limit overrides the computed limit; zero or negative does not", () => {
    expect(tokenBudget({ contextWindow: 272_000, autoCompactTokenLimit: 1_000 }).limit).toBe(1_000);
    expect(tokenBudget({ contextWindow: 272_000, autoCompactTokenLimit: 0 }).limit).toBe(206_720);
    expect(tokenBudget({ contextWindow: 272_000, autoCompactTokenLimit: -5 }).limit).toBe(206_720);
  });
});

describe("contextLeftPercent", () => {
  test("share of the usable window still free, clamped to 0–100", () => {
    expect(contextLeftPercent(0, 1000)).toBe(100);
    expect(contextLeftPercent(250, 1000)).toBe(75);
    expect(contextLeftPercent(2000, 1000)).toBe(0);
    expect(contextLeftPercent(10, 0)).toBe(0);
  });
});
