import { describe, expect, test } from "vitest";
import { parseReviewOutput, renderReview } from "./output.js";

const output = {
  findings: [
    { title: "[P1] B", body: "b", confidence_score: 0.2, priority: 1, code_location: { absolute_file_path: "/r/b.ts", line_range: { start: 3, end: 3 } } },
    { title: "A", body: "a1\na2", confidence_score: 0.9, priority: 1, code_location: { absolute_file_path: "/other/a.ts", line_range: { start: 1, end: 4 } } },
  ],
  overall_correctness: "patch is correct",
  overall_explanation: "",
  overall_confidence_score: 0.5,
};

describe("review output", () => {
  test("parses bare or fenced JSON, refuses other text", () => {
    expect(parseReviewOutput(JSON.stringify(output))).toEqual(output);
    expect(parseReviewOutput("Here:\n```json\n" + JSON.stringify(output) + "\n```")).toEqual(output);
    expect(parseReviewOutput("looks fine")).toBeNull();
    expect(parseReviewOutput('{"findings": "nope"}')).toBeNull();
  });

  test("renders by priority then confidence, paths relative to cwd when inside it", () => {
    expect(renderReview(output, { cwd: "/r", label: "uncommitted changes" })).toBe(
      [
        "Review of uncommitted changes: 2 findings",
        "",
        "1. [P1] A — /other/a.ts:1-4",
        "   a1",
        "   a2",
        "",
        "2. [P1] B — b.ts:3",
        "   b",
        "",
        "Verdict: patch is correct (confidence 0.50)",
      ].join("\n"),
    );
  });
});
