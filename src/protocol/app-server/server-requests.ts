import { z } from "zod";
import { CommandAction } from "./items.js";
import type { ServerRequestDef } from "./jsonrpc.js";

// Server→client requests of the core set: approvals and questions, each with its answer's schema.

const def = <P, R>(method: string, params: z.ZodType<P>, result: z.ZodType<R>): ServerRequestDef<P, R> => ({
  method,
  params,
  result,
});

export const CommandExecutionApprovalDecision = z
  .union([
    z.enum(["accept", "acceptForSession", "decline", "cancel"]),
    z.object({ acceptWithExecpolicyAmendment: z.object({ execpolicy_amendment: z.array(z.string()) }) }),
    z.object({ applyNetworkPolicyAmendment: z.object({ network_policy_amendment: z.object({ host: z.string(), action: z.enum(["allow", "deny"]) }) }) }),
  ])
  .meta({ id: "CommandExecutionApprovalDecision" });
export type CommandExecutionApprovalDecision = z.infer<typeof CommandExecutionApprovalDecision>;

export const FileChangeApprovalDecision = z.enum(["accept", "acceptForSession", "decline", "cancel"]).meta({ id: "FileChangeApprovalDecision" });
export type FileChangeApprovalDecision = z.infer<typeof FileChangeApprovalDecision>;

export const ToolRequestUserInputQuestion = z
  .object({
    id: z.string(),
    header: z.string(),
    question: z.string(),
    isOther: z.boolean(),
    isSecret: z.boolean(),
    options: z.array(z.object({ label: z.string(), description: z.string() })).nullable(),
  })
  .meta({ id: "ToolRequestUserInputQuestion" });

export const ServerRequests = {
  commandExecutionApproval: def(
    "item/commandExecution/requestApproval",
    z
      .object({
        kind: z.enum(["command", "humanCommand", "writeStdin"]),
        threadId: z.string(),
        turnId: z.string(),
        itemId: z.string(),
        startedAtMs: z.number().int(),
        approvalId: z.string().nullable().optional(),
        environmentId: z.string().nullable(),
        reason: z.string().nullable().optional(),
        command: z.string().nullable().optional(),
        cwd: z.string().nullable().optional(),
        commandActions: z.array(CommandAction).nullable().optional(),
        proposedExecpolicyAmendment: z.array(z.string()).nullable().optional(),
      })
      .meta({ id: "CommandExecutionRequestApprovalParams" }),
    z.object({ decision: CommandExecutionApprovalDecision }).meta({ id: "CommandExecutionRequestApprovalResponse" }),
  ),
  fileChangeApproval: def(
    "item/fileChange/requestApproval",
    z
      .object({
        threadId: z.string(),
        turnId: z.string(),
        itemId: z.string(),
        startedAtMs: z.number().int(),
        reason: z.string().nullable().optional(),
        grantRoot: z.string().nullable().optional(),
      })
      .meta({ id: "FileChangeRequestApprovalParams" }),
    z.object({ decision: FileChangeApprovalDecision }).meta({ id: "FileChangeRequestApprovalResponse" }),
  ),
  toolRequestUserInput: def(
    "item/tool/requestUserInput",
    z
      .object({
        threadId: z.string(),
        turnId: z.string(),
        itemId: z.string(),
        questions: z.array(ToolRequestUserInputQuestion),
        isBlocking: z.boolean(),
        autoResolutionMs: z.number().int().nullable(),
      })
      .meta({ id: "ToolRequestUserInputParams" }),
    z.object({ answers: z.record(z.string(), z.object({ answers: z.array(z.string()) })) }).meta({ id: "ToolRequestUserInputResponse" }),
  ),
};
