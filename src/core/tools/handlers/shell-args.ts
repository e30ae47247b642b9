import { z } from "zod";

/** Arguments every shell-family tool shares: where, login shell, and escalation requests. */
export const sharedShellArgs = {
  workdir: z.string().optional().describe("Working directory; relative paths resolve against the session cwd."),
  login: z.boolean().default(true).describe("Run the shell as a login shell (-lc rather than -c)."),
  sandbox_permissions: z
    .enum(["use_default", "require_escalated"])
    .default("use_default")
    .describe("require_escalated asks the user to run this command outside the sandbox."),
  justification: z.string().optional().describe("Why escalation is needed; shown to the user."),
  prefix_rule: z
    .array(z.string())
    .optional()
    .describe("Command prefix the user may approve once for similar future commands."),
};
