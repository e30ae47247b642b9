import { z } from "zod";

// The guardian's answer: structured output with the reference's schema, parsed strictly on our side.

export const GUARDIAN_OUTPUT_SCHEMA = {
  type: "object",
  additionalProperties: false,
  properties: {
    risk_level: { type: "string", enum: ["low", "medium", "high", "critical"] },
    user_authorization: { type: "string", enum: ["unknown", "low", "medium", "high"] },
    outcome: { type: "string", enum: ["allow", "deny"] },
    rationale: { type: "string" },
  },
  required: ["outcome"],
} as const;

const Verdict = z.object({
  risk_level: z.enum(["low", "medium", "high", "critical"]).optional(),
  user_authorization: z.enum(["unknown", "low", "medium", "high"]).optional(),
  outcome: z.enum(["allow", "deny"]),
  rationale: z.string().optional(),
});
export type GuardianVerdict = z.infer<typeof Verdict>;

/** The verdict in `text`, or why it is not one. A JSON object inside a code fence is accepted too. */
export function parseVerdict(text: string | null): { verdict: GuardianVerdict } | { problem: string } {
  if (text === null || text.trim() === "") return { problem: "the guardian gave no answer" };
  const fenced = /^```(?:json)?\s*([\s\S]*?)\s*```$/.exec(text.trim());
  let json: unknown;
  try {
    json = JSON.parse(fenced ? fenced[1]! : text);
  } catch {
    return { problem: "guardian assessment was not valid JSON" };
  }
  const parsed = Verdict.safeParse(json);
  if (!parsed.success) return { problem: `guardian assessment did not match its schema (${parsed.error.issues[0]?.path.join(".") || "root"})` };
  return { verdict: parsed.data };
}

/** What the model reads when the guardian declined its action. */
export function deniedText(verdict: GuardianVerdict): string {
  return (
    "The automatic approval reviewer declined this action as too risky." +
    (verdict.rationale ? `\nReason: ${verdict.rationale}` : "") +
    "\nDo not try to reach the same result another way (another command, a script, indirect execution). Take a " +
    "clearly safer approach, or stop and ask the person, who can approve it once they know the risk."
  );
}

/** What the model reads when no valid review came back: the action did not run, and it was not judged unsafe. */
export function reviewFailedText(problem: string): string {
  return (
    `The automatic approval review failed: ${problem}.\nThe action was not run because it could not be reviewed; ` +
    "this is not a finding that it is unsafe. Do not work around the check: fix the cause or ask the person."
  );
}
