import { z } from "zod";

// Shared v2 wire types (the reference's generated schema names them; `.meta({id})` keeps the names in our
// own schema export).

export const AskForApprovalWire = z
  .union([
    z.enum(["untrusted", "on-failure", "on-request", "never"]),
    z.object({
      granular: z.object({
        sandbox_approval: z.boolean(),
        rules: z.boolean(),
        skill_approval: z.boolean(),
        request_permissions: z.boolean(),
        mcp_elicitations: z.boolean(),
      }),
    }),
  ])
  .meta({ id: "AskForApproval" });
export type AskForApprovalWire = z.infer<typeof AskForApprovalWire>;

export const SandboxMode = z.enum(["read-only", "workspace-write", "danger-full-access"]).meta({ id: "SandboxMode" });

export const ApprovalsReviewer = z.enum(["user", "auto_review", "guardian_subagent"]).meta({ id: "ApprovalsReviewer" });

// As the reference's schema: only `type` is required; what a client leaves out is the narrow default.
export const SandboxPolicyWire = z
  .discriminatedUnion("type", [
    z.object({ type: z.literal("dangerFullAccess") }),
    z.object({ type: z.literal("readOnly"), networkAccess: z.boolean().default(false) }),
    z.object({
      type: z.literal("workspaceWrite"),
      writableRoots: z.array(z.string()).default([]),
      networkAccess: z.boolean().default(false),
      excludeTmpdirEnvVar: z.boolean().default(false),
      excludeSlashTmp: z.boolean().default(false),
    }),
  ])
  .meta({ id: "SandboxPolicy" });
export type SandboxPolicyWire = z.infer<typeof SandboxPolicyWire>;

export const ReasoningEffort = z.enum(["none", "minimal", "low", "medium", "high", "xhigh"]).meta({ id: "ReasoningEffort" });

export const TextElement = z
  .object({ byteRange: z.object({ start: z.number().int(), end: z.number().int() }), placeholder: z.string().nullable() })
  .meta({ id: "TextElement" });

export const ImageDetail = z.enum(["auto", "low", "high", "original"]);

export const UserInputWire = z
  .union([
    z.object({ type: z.literal("text"), text: z.string(), text_elements: z.array(TextElement).default([]) }),
    z.object({ type: z.literal("image"), url: z.string(), detail: ImageDetail.optional() }),
    z.object({ type: z.literal("image"), fileId: z.string(), detail: ImageDetail.optional() }),
    z.object({ type: z.literal("localImage"), path: z.string(), detail: ImageDetail.optional() }),
    z.object({ type: z.literal("skill"), name: z.string(), path: z.string() }),
    z.object({ type: z.literal("mention"), name: z.string(), path: z.string() }),
  ])
  .meta({ id: "UserInput" });
export type UserInputWire = z.infer<typeof UserInputWire>;

export const TokenUsageBreakdown = z
  .object({
    totalTokens: z.number().int(),
    inputTokens: z.number().int(),
    cachedInputTokens: z.number().int(),
    cacheWriteInputTokens: z.number().int(),
    outputTokens: z.number().int(),
    reasoningOutputTokens: z.number().int(),
  })
  .meta({ id: "TokenUsageBreakdown" });
export type TokenUsageBreakdown = z.infer<typeof TokenUsageBreakdown>;

export const ThreadTokenUsage = z
  .object({ total: TokenUsageBreakdown, last: TokenUsageBreakdown, modelContextWindow: z.number().int().nullable() })
  .meta({ id: "ThreadTokenUsage" });

export const EmptyObject = z.object({});
