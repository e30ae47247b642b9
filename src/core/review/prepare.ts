import type { SandboxPolicy } from "../../protocol/policy.js";
import { gatherReviewDiff, ReviewError, type ReviewTarget } from "./git-diff.js";
import { REVIEW_DEVELOPER_INSTRUCTIONS, REVIEW_OUTPUT_SCHEMA, reviewUserMessage } from "./instructions.js";
import { parseReviewOutput, renderReview } from "./output.js";

// The review operation every front end uses (exec review, codex review, the TUI's /review): gather the
// diff, then run an ordinary turn with these instructions, this message, a read-only sandbox and the
// review schema (or the person's own), and turn the final message into a prioritized list.

export interface ReviewPlan {
  /** What is reviewed, for headers ("uncommitted changes", "commit abc123"…). */
  label: string;
  /** Developer instructions to add to the thread's own. */
  developerInstructions: string;
  /** The user message of the review turn. */
  userMessage: string;
  /** The response format: the person's schema, else the review schema. */
  outputSchema: unknown;
  /** A review never writes: whatever the configured sandbox, the turn runs read-only. */
  sandboxPolicy: SandboxPolicy;
  /** The final message for a person: the rendered findings, or the text as-is when it is not review JSON. */
  render(finalMessage: string): string;
}

export async function prepareReview(o: {
  cwd: string;
  target: ReviewTarget;
  /** Extra instructions from the person (`codex review "focus on …"`). */
  focus?: string;
  /** A schema the person gave (--output-schema); the final message is then left as the model wrote it. */
  outputSchema?: unknown;
  env: Record<string, string | undefined>;
}): Promise<ReviewPlan> {
  const gathered = await gatherReviewDiff({ cwd: o.cwd, target: o.target, env: o.env });
  const focus = o.focus?.trim() || undefined;
  if (gathered.diff.trim() === "" && focus === undefined) {
    throw new ReviewError(`nothing to review: git shows no ${gathered.label}`);
  }
  const ownSchema = o.outputSchema !== undefined;
  return {
    label: gathered.label,
    developerInstructions: REVIEW_DEVELOPER_INSTRUCTIONS,
    userMessage: reviewUserMessage({ ...gathered, ...(focus ? { focus } : {}) }),
    outputSchema: ownSchema ? o.outputSchema : REVIEW_OUTPUT_SCHEMA,
    sandboxPolicy: { mode: "read-only", networkAccess: false },
    render(finalMessage) {
      if (ownSchema) return finalMessage;
      const parsed = parseReviewOutput(finalMessage);
      return parsed === null ? finalMessage : renderReview(parsed, { cwd: o.cwd, label: gathered.label });
    },
  };
}
