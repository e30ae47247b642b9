import { expect, test } from "vitest";
import { withOverride, type TurnSettings } from "./turn-settings.js";

const base: TurnSettings = {
  approvalPolicy: "on-request",
  sandboxPolicy: { mode: "read-only", networkAccess: false },
  request: { model: "gpt-5.5", reasoning: { effort: "medium", summary: "auto" }, parallelToolCalls: true, serviceTier: "flex" },
  cwd: "/work/a",
};

test("fields left out stay; the given ones change, the settings given are not mutated", () => {
  const next = withOverride(base, { type: "override_turn_context", cwd: "/work/b", effort: "high", approvalsReviewer: "guardian" });
  expect(next).toEqual({
    ...base,
    cwd: "/work/b",
    approvalsReviewer: "guardian",
    request: { ...base.request, reasoning: { effort: "high", summary: "auto" } },
  });
  expect(base.request.reasoning).toEqual({ effort: "medium", summary: "auto" });
  expect(withOverride(base, { type: "override_turn_context" })).toEqual(base);
});

test("a 'none' summary and a null service tier remove the fields; a model leaves the reasoning as it is", () => {
  const next = withOverride(base, { type: "override_turn_context", summary: "none", serviceTier: null, model: "gpt-5.4" });
  expect(next.request).toEqual({ model: "gpt-5.4", reasoning: { effort: "medium" }, parallelToolCalls: true });
  expect(withOverride(next, { type: "override_turn_context", summary: "detailed", serviceTier: "priority" }).request).toEqual({
    model: "gpt-5.4",
    reasoning: { effort: "medium", summary: "detailed" },
    parallelToolCalls: true,
    serviceTier: "priority",
  });
});
