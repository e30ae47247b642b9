import { describe, expect, test } from "vitest";
import { backoffDelayMs, clampRetryBudget, parseRetryAfter, parseTryAgainIn } from "../../src/core/model/backoff.js";
import { classifyFailedEvent, classifyHttpError, parseErrorBody } from "../../src/core/model/model-errors.js";

describe("backoff", () => {
  test("doubles from 200ms with ±10% jitter", () => {
    expect([1, 2, 3, 4].map((n) => backoffDelayMs(n, () => 0.5))).toEqual([200, 400, 800, 1600]);
    expect(backoffDelayMs(1, () => 0)).toBe(180);
    expect(backoffDelayMs(1, () => 1)).toBe(220);
    expect(backoffDelayMs(80, () => 0.5)).toBe(300_000); // capped
  });

  test("budgets clamp to 0..100 and fall back when unset", () => {
    expect(clampRetryBudget(undefined, 4)).toBe(4);
    expect(clampRetryBudget(-3, 4)).toBe(0);
    expect(clampRetryBudget(250, 4)).toBe(100);
    expect(clampRetryBudget(7, 4)).toBe(7);
  });

  test("retry-after: seconds, HTTP date, junk", () => {
    const now = () => Date.parse("2025-01-01T00:00:00Z");
    expect(parseRetryAfter("1", now)).toBe(1000);
    expect(parseRetryAfter("0.5", now)).toBe(500);
    expect(parseRetryAfter("Wed, 01 Jan 2025 00:00:10 GMT", now)).toBe(10_000);
    expect(parseRetryAfter("Tue, 31 Dec 2024 00:00:10 GMT", now)).toBe(0);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  test("'try again in' hints", () => {
    expect(parseTryAgainIn("Please try again in 1.5s.")).toBe(1500);
    expect(parseTryAgainIn("Please try again in 250ms.")).toBe(250);
    expect(parseTryAgainIn("try again in 20 seconds")).toBe(20_000);
    expect(parseTryAgainIn("no hint")).toBeUndefined();
  });
});

describe("error classification", () => {
  test("error bodies: JSON error.message, or the text", () => {
    expect(parseErrorBody('{"error":{"message":"m","code":"c","type":"t"}}')).toEqual({ message: "m", code: "c", type: "t" });
    expect(parseErrorBody("plain")).toEqual({ message: "plain" });
  });

  test("403 is unauthorized and stream-retried; 422 is invalid_request", () => {
    expect(classifyHttpError({ status: 403, bodyText: "", url: "u" })).toEqual({
      action: "retry_stream",
      failure: {
        reason: "unexpected status 403 Forbidden, url: u",
        final: { kind: "unauthorized", message: "unexpected status 403 Forbidden, url: u", httpStatus: 403 },
      },
    });
    expect(classifyHttpError({ status: 422, bodyText: "x", url: "u" })).toMatchObject({
      action: "fatal",
      error: { kind: "invalid_request" },
    });
  });

  test("usage_not_included is fatal; unknown failed codes retry", () => {
    expect(classifyFailedEvent({ code: "usage_not_included" })).toMatchObject({
      action: "fatal",
      error: { kind: "usage_not_included" },
    });
    expect(classifyFailedEvent({ code: "server_is_overloaded", message: "busy" })).toMatchObject({
      action: "retry_stream",
      failure: { reason: "stream disconnected before completion: busy" },
    });
    expect(classifyFailedEvent(undefined)).toMatchObject({ action: "retry_stream" });
  });
});
