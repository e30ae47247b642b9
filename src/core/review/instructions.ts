// What a review turn tells the model, and the shape its final answer must take. The text is ours;
// the answer's shape follows the reference's structured review output (findings with a priority,
// a confidence and a code location; an overall verdict), so tools that read one can read the other.

export const REVIEW_DEVELOPER_INSTRUCTIONS = `# Review mode

You are reviewing a change to this repository for another engineer. Do not change anything: the sandbox is
read-only, so only inspect (git log/show/diff, reading files, searching). The change itself is in the user
message; open the surrounding code whenever the diff alone does not show whether something is wrong.

Report only real problems that this change introduces and that its author would want to fix: wrong results,
crashes, security holes, data loss, races, broken error handling, performance cliffs, missing updates of
callers or tests. Do not report style preferences, formatting, or issues that existed before the change.
Each finding must be independently actionable. If nothing is wrong, say so with an empty list.

For every finding give:
- a title of at most 80 characters, imperative and specific;
- a body of one short paragraph: what goes wrong, under which input or condition, and why;
- a priority: 0 = must fix before merging (breaks the build, data loss, security), 1 = should fix soon
  (a real bug in a plausible case), 2 = worth fixing (edge case, fragile code), 3 = minor;
- a confidence score between 0 and 1 that the problem is real;
- the location: the absolute path of the file and the line range in the file as it is after the change.
  Keep the range as short as possible (ideally the lines to edit) and make sure it overlaps the diff.
  Check line numbers by reading the file: wrong locations make a finding useless.

Finish with an overall verdict: "patch is correct" when it has no blocking problems (priority 0 or 1),
otherwise "patch is incorrect", with a one or two sentence explanation and a confidence score.
Your final message is only the JSON object described by the response format, with no text around it.`;

/** Strict JSON Schema of the final answer (also sent as the response format). */
export const REVIEW_OUTPUT_SCHEMA = {
  type: "object",
  additionalProperties: false,
  required: ["findings", "overall_correctness", "overall_explanation", "overall_confidence_score"],
  properties: {
    findings: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["title", "body", "confidence_score", "priority", "code_location"],
        properties: {
          title: { type: "string" },
          body: { type: "string" },
          confidence_score: { type: "number" },
          priority: { type: "integer" },
          code_location: {
            type: "object",
            additionalProperties: false,
            required: ["absolute_file_path", "line_range"],
            properties: {
              absolute_file_path: { type: "string" },
              line_range: {
                type: "object",
                additionalProperties: false,
                required: ["start", "end"],
                properties: { start: { type: "integer" }, end: { type: "integer" } },
              },
            },
          },
        },
      },
    },
    overall_correctness: { type: "string", enum: ["patch is correct", "patch is incorrect"] },
    overall_explanation: { type: "string" },
    overall_confidence_score: { type: "number" },
  },
} as const;

/** The user message of a review turn: what to review, the diff, and the person's own focus if any. */
export function reviewUserMessage(o: { label: string; diff: string; omittedBytes: number; focus?: string }): string {
  const parts = [`Review the ${o.label} in this repository.`];
  if (o.focus) parts.push(`The person asking for the review adds:\n${o.focus}`);
  if (o.diff.trim() === "") {
    parts.push("git shows no diff for this target; inspect the repository as the request above describes.");
  } else {
    parts.push(`The diff (from git):\n\`\`\`diff\n${o.diff.endsWith("\n") ? o.diff : `${o.diff}\n`}\`\`\``);
  }
  if (o.omittedBytes > 0) {
    parts.push(`The diff was cut after ${o.diff.length} characters (${o.omittedBytes} bytes left out); run git diff yourself for the rest.`);
  }
  return parts.join("\n\n");
}
