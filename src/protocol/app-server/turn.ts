import { z } from "zod";
import { ApprovalsReviewer, AskForApprovalWire, ReasoningEffort, SandboxPolicyWire, UserInputWire } from "./common.js";
import { ThreadItem } from "./items.js";

// Turns: Turn, TurnError (typed codexErrorInfo), turn/start, turn/steer, turn/interrupt.

export const CodexErrorInfo = z
  .union([
    z.enum([
      "contextWindowExceeded",
      "usageLimitExceeded",
      "rateLimitExceeded",
      "serverOverloaded",
      "modelNotFound",
      "internalServerError",
      "unauthorized",
      "badRequest",
      "threadRollbackFailed",
      "sandboxError",
      "other",
    ]),
    z.object({ httpConnectionFailed: z.object({ httpStatusCode: z.number().int().nullable() }) }),
    z.object({ responseStreamConnectionFailed: z.object({ httpStatusCode: z.number().int().nullable() }) }),
    z.object({ responseStreamDisconnected: z.object({ httpStatusCode: z.number().int().nullable() }) }),
    z.object({ responseTooManyFailedAttempts: z.object({ httpStatusCode: z.number().int().nullable() }) }),
    z.object({ activeTurnNotSteerable: z.object({ turnKind: z.enum(["review", "compact"]) }) }),
  ])
  .meta({ id: "CodexErrorInfo" });
export type CodexErrorInfo = z.infer<typeof CodexErrorInfo>;

export const TurnError = z
  .object({
    message: z.string(),
    codexErrorInfo: CodexErrorInfo.nullable(),
    additionalDetails: z.string().nullable(),
    misalignment: z.null().optional(),
  })
  .meta({ id: "TurnError" });
export type TurnError = z.infer<typeof TurnError>;

export const TurnStatus = z.enum(["completed", "interrupted", "failed", "inProgress"]).meta({ id: "TurnStatus" });

export const Turn = z
  .object({
    id: z.string(),
    rootTurnId: z.string().nullable(),
    items: z.array(ThreadItem),
    itemsView: z.enum(["notLoaded", "summary", "full"]),
    status: TurnStatus,
    error: TurnError.nullable(),
    startedAt: z.number().int().nullable(),
    completedAt: z.number().int().nullable(),
    durationMs: z.number().int().nullable(),
  })
  .meta({ id: "Turn" });
export type Turn = z.infer<typeof Turn>;

export const TurnStartParams = z
  .object({
    threadId: z.string(),
    input: z.array(UserInputWire),
    clientUserMessageId: z.string().nullable().optional(),
    turnTrigger: z.string().nullable().optional(),
    parentTurnId: z.string().nullable().optional(),
    rootTurnId: z.string().nullable().optional(),
    cwd: z.string().nullable().optional(),
    approvalPolicy: AskForApprovalWire.nullable().optional(),
    approvalsReviewer: ApprovalsReviewer.nullable().optional(),
    // The reference also takes an external sandbox here (the process is sandboxed from outside).
    sandboxPolicy: z
      .union([SandboxPolicyWire, z.object({ type: z.literal("externalSandbox"), networkAccess: z.enum(["restricted", "enabled"]).default("restricted") })])
      .nullable()
      .optional(),
    model: z.string().nullable().optional(),
    serviceTier: z.string().nullable().optional(),
    /** This turn's tier only ("default": the standard one); the thread's tier stays. */
    serviceTierForTurn: z.string().nullable().optional(),
    effort: ReasoningEffort.nullable().optional(),
    summary: z.enum(["auto", "concise", "detailed", "none"]).nullable().optional(),
    personality: z.string().nullable().optional(),
    outputSchema: z.unknown().optional(),
    // Accepted so that a turn/start carrying them is answered; not applied (turn/start warns).
    disabledPluginIds: z.array(z.string()).nullable().optional(),
    toolOutput: z.unknown().optional(),
    /** Experimental in the reference. */
    collaborationMode: z.unknown().optional(),
  })
  .meta({ id: "TurnStartParams" });
export type TurnStartParams = z.infer<typeof TurnStartParams>;
export const TurnStartResponse = z.object({ turn: Turn }).meta({ id: "TurnStartResponse" });

export const TurnSteerParams = z
  .object({
    threadId: z.string(),
    input: z.array(UserInputWire),
    expectedTurnId: z.string(),
    clientUserMessageId: z.string().nullable().optional(),
  })
  .meta({ id: "TurnSteerParams" });
export const TurnSteerResponse = z.object({ turnId: z.string() }).meta({ id: "TurnSteerResponse" });

export const TurnInterruptParams = z.object({ threadId: z.string(), turnId: z.string() }).meta({ id: "TurnInterruptParams" });
export const TurnInterruptResponse = z.object({}).meta({ id: "TurnInterruptResponse" });
