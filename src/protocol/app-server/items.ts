import { z } from "zod";
import { ReasoningEffort, UserInputWire } from "./common.js";

// ThreadItem: what a turn is made of on the wire (item/started, item/completed, thread/read turns).

const times = { startedAtMs: z.number().int().nullable().optional(), completedAtMs: z.number().int().nullable().optional() };

export const CommandAction = z
  .discriminatedUnion("type", [
    z.object({ type: z.literal("read"), command: z.string(), name: z.string(), path: z.string() }),
    z.object({ type: z.literal("listFiles"), command: z.string(), path: z.string().nullable() }),
    z.object({ type: z.literal("search"), command: z.string(), query: z.string().nullable(), path: z.string().nullable() }),
    z.object({ type: z.literal("unknown"), command: z.string() }),
  ])
  .meta({ id: "CommandAction" });
export type CommandAction = z.infer<typeof CommandAction>;

export const PatchChangeKind = z
  .discriminatedUnion("type", [
    z.object({ type: z.literal("add") }),
    z.object({ type: z.literal("delete") }),
    z.object({ type: z.literal("update"), move_path: z.string().nullable() }),
  ])
  .meta({ id: "PatchChangeKind" });

export const FileUpdateChange = z.object({ path: z.string(), kind: PatchChangeKind, diff: z.string() }).meta({ id: "FileUpdateChange" });
export type FileUpdateChange = z.infer<typeof FileUpdateChange>;

const ItemStatus = z.enum(["inProgress", "completed", "failed", "declined"]);

export const WebSearchAction = z
  .discriminatedUnion("type", [
    z.object({ type: z.literal("search"), query: z.string().nullable(), queries: z.array(z.string()).nullable() }),
    z.object({ type: z.literal("openPage"), url: z.string().nullable() }),
    z.object({ type: z.literal("findInPage"), url: z.string().nullable(), pattern: z.string().nullable() }),
    z.object({ type: z.literal("other") }),
  ])
  .meta({ id: "WebSearchAction" });

export const CollabAgentTool = z
  .enum(["spawnAgent", "sendInput", "resumeAgent", "wait", "closeAgent", "sendMessage", "followupTask", "interruptAgent", "listAgents"])
  .meta({ id: "CollabAgentTool" });
export const CollabAgentStatus = z
  .enum(["pendingInit", "running", "interrupted", "completed", "errored", "shutdown", "notFound"])
  .meta({ id: "CollabAgentStatus" });
export const CollabAgentState = z.object({ status: CollabAgentStatus, message: z.string().nullable() }).meta({ id: "CollabAgentState" });
export const CollabAgentToolCallStatus = z.enum(["inProgress", "completed", "failed", "interrupted"]).meta({ id: "CollabAgentToolCallStatus" });

export const ThreadItem = z
  .discriminatedUnion("type", [
    z.object({ type: z.literal("userMessage"), id: z.string(), clientId: z.string().nullable(), content: z.array(UserInputWire), ...times }),
    z.object({
      type: z.literal("agentMessage"),
      id: z.string(),
      text: z.string(),
      phase: z.enum(["commentary", "final_answer"]).nullable(),
      moderation: z.null(),
      memoryCitation: z.null(),
      delivery: z.null(),
      questions: z.null(),
      ...times,
    }),
    z.object({ type: z.literal("plan"), id: z.string(), text: z.string(), ...times }),
    z.object({ type: z.literal("reasoning"), id: z.string(), summary: z.array(z.string()), content: z.array(z.string()), ...times }),
    z.object({
      type: z.literal("commandExecution"),
      id: z.string(),
      pluginId: z.string().nullable(),
      scriptPath: z.string().nullable(),
      command: z.string(),
      cwd: z.string(),
      processId: z.string().nullable(),
      source: z.enum(["agent", "userShell", "unifiedExecStartup", "unifiedExecInteraction"]),
      status: ItemStatus,
      commandActions: z.array(CommandAction),
      aggregatedOutput: z.string().nullable(),
      exitCode: z.number().int().nullable(),
      durationMs: z.number().int().nullable(),
      ...times,
    }),
    z.object({ type: z.literal("fileChange"), id: z.string(), changes: z.array(FileUpdateChange), status: ItemStatus, ...times }),
    z.object({
      type: z.literal("mcpToolCall"),
      id: z.string(),
      server: z.string(),
      tool: z.string(),
      status: z.enum(["inProgress", "completed", "failed"]),
      arguments: z.unknown(),
      appContext: z.null(),
      mcpAppUi: z.null(),
      pluginId: z.string().nullable(),
      readOnlyHint: z.boolean().nullable(),
      result: z.object({ content: z.array(z.unknown()), structuredContent: z.unknown(), _meta: z.unknown() }).nullable(),
      error: z.object({ message: z.string() }).nullable(),
      durationMs: z.number().int().nullable(),
      ...times,
    }),
    z.object({
      type: z.literal("dynamicToolCall"),
      id: z.string(),
      namespace: z.string().nullable(),
      tool: z.string(),
      arguments: z.unknown(),
      status: z.enum(["inProgress", "completed", "failed"]),
      contentItems: z.array(z.unknown()).nullable(),
      success: z.boolean().nullable(),
      durationMs: z.number().int().nullable(),
      ...times,
    }),
    z.object({
      type: z.literal("subAgentActivity"),
      model: z.string().nullable(),
      reasoningEffort: ReasoningEffort.nullable(),
      id: z.string(),
      kind: z.enum(["started", "interacted", "interrupted", "completed"]).meta({ id: "SubAgentActivityKind" }),
      agentThreadId: z.string(),
      agentPath: z.string(),
      ...times,
    }),
    z.object({ type: z.literal("webSearch"), id: z.string(), query: z.string(), action: WebSearchAction.nullable(), ...times }),
    z.object({ type: z.literal("imageView"), id: z.string(), path: z.string(), ...times }),
    z.object({ type: z.literal("contextCompaction"), id: z.string(), ...times }),
    z.object({
      type: z.literal("collabAgentToolCall"),
      id: z.string(),
      tool: CollabAgentTool,
      status: CollabAgentToolCallStatus,
      senderThreadId: z.string(),
      receiverThreadIds: z.array(z.string()),
      prompt: z.string().nullable(),
      model: z.string().nullable(),
      reasoningEffort: ReasoningEffort.nullable(),
      agentsStates: z.record(z.string(), CollabAgentState),
      ...times,
    }),
  ])
  .meta({ id: "ThreadItem" });
export type ThreadItem = z.infer<typeof ThreadItem>;
