import { z } from "zod";
import { ThreadTokenUsage } from "./common.js";
import { ThreadItem } from "./items.js";
import type { NotificationDef } from "./jsonrpc.js";
import { RequestId } from "./jsonrpc.js";
import { Thread, ThreadStatus } from "./thread.js";
import { Turn, TurnError } from "./turn.js";

// Server→client notifications of the core set: one NotificationDef per method.

const def = <T>(method: string, params: z.ZodType<T>): NotificationDef<T> => ({ method, params });
const itemDelta = { threadId: z.string(), turnId: z.string(), itemId: z.string() };

export const HookRunSummaryWire = z
  .object({
    id: z.string(),
    eventName: z.enum([
      "preModelRequest",
      "postModelRequest",
      "preToolUse",
      "permissionRequest",
      "postToolUse",
      "preCompact",
      "postCompact",
      "sessionStart",
      "sessionEnd",
      "userPromptSubmit",
      "subagentStart",
      "subagentStop",
      "stop",
      "interrupt",
    ]),
    handlerType: z.enum(["command", "mcpTool", "prompt", "agent"]),
    executionMode: z.enum(["sync", "async"]),
    scope: z.enum(["thread", "turn"]),
    sourcePath: z.string(),
    source: z.enum(["system", "user", "project", "mdm", "sessionFlags", "plugin", "unknown"]),
    displayOrder: z.number().int(),
    status: z.enum(["running", "completed", "failed", "blocked", "stopped"]),
    statusMessage: z.string().nullable(),
    startedAt: z.number().int(),
    completedAt: z.number().int().nullable(),
    durationMs: z.number().int().nullable(),
    entries: z.array(z.object({ kind: z.enum(["warning", "stop", "feedback", "context", "error"]), text: z.string() })),
  })
  .meta({ id: "HookRunSummary" });
export type HookRunSummaryWire = z.infer<typeof HookRunSummaryWire>;

export const Notifications = {
  error: def("error", z.object({ error: TurnError, willRetry: z.boolean(), threadId: z.string(), turnId: z.string() }).meta({ id: "ErrorNotification" })),
  threadStarted: def("thread/started", z.object({ thread: Thread }).meta({ id: "ThreadStartedNotification" })),
  threadStatusChanged: def(
    "thread/status/changed",
    z.object({ threadId: z.string(), status: ThreadStatus }).meta({ id: "ThreadStatusChangedNotification" }),
  ),
  threadArchived: def("thread/archived", z.object({ threadId: z.string() }).meta({ id: "ThreadArchivedNotification" })),
  threadUnarchived: def("thread/unarchived", z.object({ threadId: z.string() }).meta({ id: "ThreadUnarchivedNotification" })),
  threadDeleted: def("thread/deleted", z.object({ threadId: z.string() }).meta({ id: "ThreadDeletedNotification" })),
  threadClosed: def("thread/closed", z.object({ threadId: z.string() }).meta({ id: "ThreadClosedNotification" })),
  threadNameUpdated: def(
    "thread/name/updated",
    z.object({ threadId: z.string(), threadName: z.string().optional() }).meta({ id: "ThreadNameUpdatedNotification" }),
  ),
  threadTokenUsageUpdated: def(
    "thread/tokenUsage/updated",
    z.object({ threadId: z.string(), turnId: z.string(), tokenUsage: ThreadTokenUsage }).meta({ id: "ThreadTokenUsageUpdatedNotification" }),
  ),
  turnStarted: def("turn/started", z.object({ threadId: z.string(), turn: Turn }).meta({ id: "TurnStartedNotification" })),
  turnCompleted: def("turn/completed", z.object({ threadId: z.string(), turn: Turn }).meta({ id: "TurnCompletedNotification" })),
  turnDiffUpdated: def(
    "turn/diff/updated",
    z.object({ threadId: z.string(), turnId: z.string(), diff: z.string() }).meta({ id: "TurnDiffUpdatedNotification" }),
  ),
  turnPlanUpdated: def(
    "turn/plan/updated",
    z
      .object({
        threadId: z.string(),
        turnId: z.string(),
        explanation: z.string().nullable(),
        plan: z.array(z.object({ step: z.string(), status: z.enum(["pending", "inProgress", "completed"]) })),
      })
      .meta({ id: "TurnPlanUpdatedNotification" }),
  ),
  hookStarted: def(
    "hook/started",
    z.object({ threadId: z.string(), turnId: z.string().nullable(), run: HookRunSummaryWire }).meta({ id: "HookStartedNotification" }),
  ),
  hookCompleted: def(
    "hook/completed",
    z.object({ threadId: z.string(), turnId: z.string().nullable(), run: HookRunSummaryWire }).meta({ id: "HookCompletedNotification" }),
  ),
  itemStarted: def(
    "item/started",
    z.object({ item: ThreadItem, threadId: z.string(), turnId: z.string(), startedAtMs: z.number().int() }).meta({ id: "ItemStartedNotification" }),
  ),
  itemCompleted: def(
    "item/completed",
    z
      .object({
        item: ThreadItem,
        threadId: z.string(),
        turnId: z.string(),
        contentTokenCount: z.number().int().nullable().optional(),
        completedAtMs: z.number().int(),
      })
      .meta({ id: "ItemCompletedNotification" }),
  ),
  agentMessageDelta: def("item/agentMessage/delta", z.object({ ...itemDelta, delta: z.string() }).meta({ id: "AgentMessageDeltaNotification" })),
  planDelta: def("item/plan/delta", z.object({ ...itemDelta, delta: z.string() }).meta({ id: "PlanDeltaNotification" })),
  commandExecutionOutputDelta: def(
    "item/commandExecution/outputDelta",
    z.object({ ...itemDelta, delta: z.string() }).meta({ id: "CommandExecutionOutputDeltaNotification" }),
  ),
  fileChangeOutputDelta: def("item/fileChange/outputDelta", z.object({ ...itemDelta, delta: z.string() }).meta({ id: "FileChangeOutputDeltaNotification" })),
  reasoningSummaryTextDelta: def(
    "item/reasoning/summaryTextDelta",
    z.object({ ...itemDelta, delta: z.string(), summaryIndex: z.number().int() }).meta({ id: "ReasoningSummaryTextDeltaNotification" }),
  ),
  reasoningSummaryPartAdded: def(
    "item/reasoning/summaryPartAdded",
    z.object({ ...itemDelta, summaryIndex: z.number().int() }).meta({ id: "ReasoningSummaryPartAddedNotification" }),
  ),
  reasoningTextDelta: def(
    "item/reasoning/textDelta",
    z.object({ ...itemDelta, delta: z.string(), contentIndex: z.number().int() }).meta({ id: "ReasoningTextDeltaNotification" }),
  ),
  serverRequestResolved: def(
    "serverRequest/resolved",
    z.object({ threadId: z.string(), requestId: RequestId }).meta({ id: "ServerRequestResolvedNotification" }),
  ),
  threadCompacted: def("thread/compacted", z.object({ threadId: z.string(), turnId: z.string() }).meta({ id: "ContextCompactedNotification" })),
  warning: def("warning", z.object({ threadId: z.string().nullable(), message: z.string() }).meta({ id: "WarningNotification" })),
  configWarning: def(
    "configWarning",
    z.object({ summary: z.string(), details: z.string().nullable() }).meta({ id: "ConfigWarningNotification" }),
  ),
  deprecationNotice: def(
    "deprecationNotice",
    z.object({ summary: z.string(), details: z.string().nullable() }).meta({ id: "DeprecationNoticeNotification" }),
  ),
};

export type NotificationParams<K extends keyof typeof Notifications> = (typeof Notifications)[K] extends NotificationDef<infer P> ? P : never;
