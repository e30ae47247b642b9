import { z } from "zod";
import { defineTool } from "../contract.js";

export const UpdatePlanArgs = z.object({
  explanation: z.string().optional().describe("Optional note on what changed in the plan."),
  plan: z
    .array(
      z.object({
        step: z.string().describe("A short description of the step."),
        status: z.enum(["pending", "in_progress", "completed"]),
      }),
    )
    .describe("The full list of steps, in order; at most one in_progress."),
});
export type UpdatePlanArgs = z.infer<typeof UpdatePlanArgs>;

const DESCRIPTION =
  "Record or revise your step-by-step plan for the task. Send the whole plan each time, marking each " +
  "step pending, in_progress or completed.";

export const updatePlanTool = defineTool<UpdatePlanArgs>({
  name: "update_plan",
  description: DESCRIPTION,
  args: UpdatePlanArgs,
  isMutating: () => false,
  async handle(args, ctx) {
    ctx.emit({
      type: "plan_update",
      ...(args.explanation !== undefined ? { explanation: args.explanation } : {}),
      plan: args.plan.map((p) => ({ step: p.step, status: p.status })),
    });
    return { content: "Plan updated", success: true };
  },
});
