import path from "node:path";
import { z } from "zod";

// The structured answer of a review turn, and its rendering for a person: a list ordered by priority
// (then confidence), each finding with a file:line reference.

const ReviewFinding = z.object({
  title: z.string(),
  body: z.string(),
  confidence_score: z.number(),
  priority: z.number().int(),
  code_location: z.object({
    absolute_file_path: z.string(),
    line_range: z.object({ start: z.number().int(), end: z.number().int() }),
  }),
});

export const ReviewOutput = z.object({
  findings: z.array(ReviewFinding),
  overall_correctness: z.string(),
  overall_explanation: z.string(),
  overall_confidence_score: z.number(),
});
export type ReviewOutput = z.infer<typeof ReviewOutput>;
export type ReviewFinding = z.infer<typeof ReviewFinding>;

/** The review JSON in a final message (bare, or in a ```json fence); null when it is not one. */
export function parseReviewOutput(text: string): ReviewOutput | null {
  const fenced = /```(?:json)?\s*\n([\s\S]*?)\n```/.exec(text)?.[1];
  for (const candidate of [text.trim(), fenced]) {
    if (candidate === undefined) continue;
    try {
      const parsed = ReviewOutput.safeParse(JSON.parse(candidate));
      if (parsed.success) return parsed.data;
    } catch {
      // not JSON
    }
  }
  return null;
}

/** Findings by priority (0 first), then by confidence (highest first). */
export function prioritizedFindings(output: ReviewOutput): ReviewFinding[] {
  return [...output.findings].sort((a, b) => a.priority - b.priority || b.confidence_score - a.confidence_score);
}

function location(f: ReviewFinding, cwd: string): string {
  const abs = f.code_location.absolute_file_path;
  const rel = path.isAbsolute(abs) ? path.relative(cwd, abs) : abs;
  const shown = rel === "" || rel.startsWith("..") ? abs : rel;
  const { start, end } = f.code_location.line_range;
  return end > start ? `${shown}:${start}-${end}` : `${shown}:${start}`;
}

/** Plain text for a terminal or a file: a header line, the numbered findings, the verdict. */
export function renderReview(output: ReviewOutput, o: { cwd: string; label: string }): string {
  const findings = prioritizedFindings(output);
  const lines = [
    `Review of ${o.label}: ${findings.length === 0 ? "no findings" : `${findings.length} finding${findings.length === 1 ? "" : "s"}`}`,
  ];
  findings.forEach((f, i) => {
    // Models trained on the reference's format often put the tag in the title themselves.
    const title = f.title.replace(/^\s*\[P\d\]\s*/i, "");
    lines.push("", `${i + 1}. [P${f.priority}] ${title} — ${location(f, o.cwd)}`);
    for (const l of f.body.trim().split("\n")) lines.push(`   ${l}`);
  });
  lines.push("", `Verdict: ${output.overall_correctness} (confidence ${output.overall_confidence_score.toFixed(2)})`);
  if (output.overall_explanation.trim() !== "") lines.push(output.overall_explanation.trim());
  return lines.join("\n");
}
