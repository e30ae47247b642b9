import { z } from "zod";

export const AskForApproval = z.enum(["untrusted", "on-failure", "on-request", "never"]);
export type AskForApproval = z.infer<typeof AskForApproval>;

export const SandboxMode = z.enum(["read-only", "workspace-write", "danger-full-access"]);
export type SandboxMode = z.infer<typeof SandboxMode>;

/** The resolved policy a command runs under. Paths are absolute. */
export const SandboxPolicy = z.discriminatedUnion("mode", [
  z.object({ mode: z.literal("danger-full-access") }),
  z.object({ mode: z.literal("read-only"), networkAccess: z.boolean().default(false) }),
  z.object({
    mode: z.literal("workspace-write"),
    writableRoots: z.array(z.string()),
    networkAccess: z.boolean(),
    excludeTmpdirEnvVar: z.boolean(),
    excludeSlashTmp: z.boolean(),
  }),
]);
export type SandboxPolicy = z.infer<typeof SandboxPolicy>;

/**
 * A person's answer. `approved_execpolicy_amendment` approves and also saves an allow rule for the
 * command's prefix ("approve and remember"); `abort` ends the turn.
 */
export const ReviewDecision = z.enum([
  "approved",
  "approved_for_session",
  "approved_execpolicy_amendment",
  "denied",
  "abort",
]);
export type ReviewDecision = z.infer<typeof ReviewDecision>;

export function isApprovedDecision(decision: ReviewDecision): boolean {
  return decision === "approved" || decision === "approved_for_session" || decision === "approved_execpolicy_amendment";
}
