import { prepareReview, ReviewError, type ReviewPlan, type ReviewTarget } from "../core/index.js";
import type { EventMsg } from "../protocol/events.js";
import { readAll } from "../util/read-all.js";

// `codex review` / `codex exec review` on top of the exec front end: the review plan replaces the
// prompt, the sandbox and the response format; the person sees the rendered findings.

export interface ExecReviewArgs {
  target: ReviewTarget;
}

/** The plan for this run; a one-line error message when there is nothing (valid) to review. */
export async function planExecReview(o: {
  target: ReviewTarget;
  /** The positional prompt: extra focus, `-` reads it from stdin. */
  prompt: string | undefined;
  cwd: string;
  stdin: NodeJS.ReadableStream;
  env: Record<string, string | undefined>;
  outputSchema: unknown;
}): Promise<ReviewPlan | string> {
  const focus = o.prompt === "-" ? await readAll(o.stdin) : o.prompt;
  try {
    return await prepareReview({
      cwd: o.cwd,
      target: o.target,
      env: o.env,
      ...(focus !== undefined ? { focus } : {}),
      ...(o.outputSchema !== undefined ? { outputSchema: o.outputSchema } : {}),
    });
  } catch (err) {
    if (err instanceof ReviewError) return err.message;
    throw err;
  }
}

/** The event as a person sees it: the final message rendered as the review's finding list. */
export function reviewView(msg: EventMsg, plan: ReviewPlan): EventMsg {
  if (msg.type === "agent_message") return { ...msg, message: plan.render(msg.message) };
  if (msg.type === "task_complete" && msg.lastAgentMessage !== null) {
    return { ...msg, lastAgentMessage: plan.render(msg.lastAgentMessage) };
  }
  return msg;
}

/** Developer instructions with the review's appended. */
export const withReviewInstructions = (own: string | undefined, plan: ReviewPlan): string =>
  own && own.trim() !== "" ? `${own}\n\n${plan.developerInstructions}` : plan.developerInstructions;
