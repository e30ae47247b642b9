import { z } from "zod";
import type { NotificationDef } from "./jsonrpc.js";

// Smart Approvals on the wire: `item/autoApprovalReview/started` / `.../completed` say that the guardian
// (not a person) is reviewing an action, and what it decided.

export const GuardianApprovalReviewStatus = z
  .enum(["inProgress", "approved", "denied", "timedOut", "aborted"])
  .meta({ id: "GuardianApprovalReviewStatus" });
export const GuardianRiskLevel = z.enum(["low", "medium", "high", "critical"]).meta({ id: "GuardianRiskLevel" });
export const GuardianUserAuthorization = z.enum(["unknown", "low", "medium", "high"]).meta({ id: "GuardianUserAuthorization" });

export const GuardianApprovalReview = z
  .object({
    status: GuardianApprovalReviewStatus,
    riskLevel: GuardianRiskLevel.nullable(),
    userAuthorization: GuardianUserAuthorization.nullable(),
    rationale: z.string().nullable(),
  })
  .meta({ id: "GuardianApprovalReview" });
export type GuardianApprovalReview = z.infer<typeof GuardianApprovalReview>;

export const GuardianCommandSource = z.enum(["shell", "unifiedExec"]).meta({ id: "GuardianCommandSource" });

export const GuardianApprovalReviewAction = z
  .discriminatedUnion("type", [
    z.object({ type: z.literal("command"), source: GuardianCommandSource, command: z.string(), cwd: z.string() }),
    z.object({ type: z.literal("applyPatch"), cwd: z.string(), files: z.array(z.string()) }),
    z.object({
      type: z.literal("mcpToolCall"),
      server: z.string(),
      toolName: z.string(),
      connectorId: z.string().nullable(),
      connectorName: z.string().nullable(),
      toolTitle: z.string().nullable(),
    }),
  ])
  .meta({ id: "GuardianApprovalReviewAction" });
export type GuardianApprovalReviewAction = z.infer<typeof GuardianApprovalReviewAction>;

const review = {
  threadId: z.string(),
  turnId: z.string(),
  startedAtMs: z.number().int(),
  reviewId: z.string(),
  targetItemId: z.string().nullable(),
};

const def = <T>(method: string, params: z.ZodType<T>): NotificationDef<T> => ({ method, params });

export const AutoReviewNotifications = {
  autoApprovalReviewStarted: def(
    "item/autoApprovalReview/started",
    z
      .object({ ...review, review: GuardianApprovalReview, action: GuardianApprovalReviewAction })
      .meta({ id: "ItemGuardianApprovalReviewStartedNotification" }),
  ),
  autoApprovalReviewCompleted: def(
    "item/autoApprovalReview/completed",
    z
      .object({
        ...review,
        completedAtMs: z.number().int(),
        decisionSource: z.enum(["agent"]).meta({ id: "AutoReviewDecisionSource" }),
        review: GuardianApprovalReview,
        action: GuardianApprovalReviewAction,
      })
      .meta({ id: "ItemGuardianApprovalReviewCompletedNotification" }),
  ),
};
