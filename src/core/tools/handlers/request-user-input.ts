// `request_user_input`: the model asks the person one to three short multiple-choice questions and waits
// for the answers. As the reference 0.169: always offered; in Default mode it answers that it is
// unavailable unless `features.default_mode_request_user_input` is on; with nobody to ask (exec) the answers
// come back empty; a free-form answer is always allowed (isOther).
import { z } from "zod";
import type { UserInputQuestion } from "../../../protocol/user-input.js";
import { defineTool, ToolError, type FunctionTool } from "../contract.js";

const OptionArgs = z.object({ label: z.string(), description: z.string() });
const QuestionArgs = z.object({
  id: z.string(),
  header: z.string(),
  question: z.string(),
  // Checked by the handler, so a missing list gets the reference's own message.
  options: z.array(OptionArgs).nullish(),
  isOther: z.boolean().optional(),
  isSecret: z.boolean().optional(),
});
export const RequestUserInputArgs = z.object({ questions: z.array(QuestionArgs) });
export type RequestUserInputArgs = z.infer<typeof RequestUserInputArgs>;

const str = (description: string) => ({ type: "string", description });

/** The schema the model is sent (the reference's shape: every field required, nothing else allowed). */
const PARAMETERS: Record<string, unknown> = {
  type: "object",
  properties: {
    questions: {
      type: "array",
      description: "The questions for the user: usually one, never more than three.",
      items: {
        type: "object",
        properties: {
          header: str("A short label for the question shown in the UI (at most 12 characters)."),
          id: str("A stable snake_case identifier the answer is returned under."),
          options: {
            type: "array",
            description:
              "Two or three mutually exclusive choices, the recommended one first with \"(Recommended)\" after its label. " +
              "Leave out any \"Other\" choice: the client always offers a free-form answer.",
            items: {
              type: "object",
              properties: {
                description: str("One short sentence on what choosing this means."),
                label: str("The choice as the user sees it (one to five words)."),
              },
              required: ["label", "description"],
              additionalProperties: false,
            },
          },
          question: str("The question, in one sentence."),
        },
        required: ["id", "header", "question", "options"],
        additionalProperties: false,
      },
    },
  },
  required: ["questions"],
  additionalProperties: false,
};

export interface RequestUserInputOptions {
  /** `features.default_mode_request_user_input`: the tool works in Default mode too (not only Plan mode). */
  defaultMode: boolean;
}

export function requestUserInputTool(o: RequestUserInputOptions): FunctionTool<RequestUserInputArgs> {
  const modes = o.defaultMode ? "Default or Plan mode" : "Plan mode";
  return defineTool<RequestUserInputArgs>({
    name: "request_user_input",
    description:
      "Ask the user one to three short questions and wait for their answers. Before calling it, tell the user " +
      `which choices you are weighing and why you need their input. This tool is only available in ${modes}.`,
    args: RequestUserInputArgs,
    parameters: PARAMETERS,
    // It only waits for a person; nothing else waits on it.
    isMutating: () => false,
    async handle(args, ctx) {
      // Only Default mode exists here (no Plan mode yet): the feature decides.
      if (!o.defaultMode) throw ToolError.toModel("request_user_input is unavailable in Default mode");
      if (args.questions.some((q) => !q.options || q.options.length === 0)) {
        throw ToolError.toModel("request_user_input requires non-empty options for every question");
      }
      const questions: UserInputQuestion[] = args.questions.map((q) => ({
        id: q.id,
        header: q.header,
        question: q.question,
        isOther: true,
        isSecret: q.isSecret ?? false,
        options: q.options ?? null,
      }));
      // Nobody to ask (exec): as the reference, the model gets no answers.
      const response = ctx.askUser ? await ctx.askUser(questions, { isBlocking: false, signal: ctx.signal }) : { answers: {} };
      if (response === null) throw ToolError.toModel("request_user_input was cancelled before receiving a response");
      return { content: JSON.stringify({ answers: response.answers }), success: true };
    },
  });
}
