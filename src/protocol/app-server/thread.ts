import { z } from "zod";
import { DynamicTools } from "./dynamic-tools.js";
import { ApprovalsReviewer, AskForApprovalWire, ReasoningEffort, SandboxMode, SandboxPolicyWire } from "./common.js";
import { Turn } from "./turn.js";

// Threads: the Thread object and the thread/* methods of the core set.

export const ThreadStatus = z
  .discriminatedUnion("type", [
    z.object({ type: z.literal("notLoaded") }),
    z.object({ type: z.literal("idle") }),
    z.object({ type: z.literal("systemError") }),
    z.object({ type: z.literal("active"), activeFlags: z.array(z.enum(["waitingOnApproval", "waitingOnUserInput"])) }),
  ])
  .meta({ id: "ThreadStatus" });
export type ThreadStatus = z.infer<typeof ThreadStatus>;

/** A thread spawned by another (a sub-agent): its parent, depth and path in the tree. */
export const SubAgentSourceWire = z
  .union([
    z.enum(["review", "compact", "memory_consolidation"]),
    z.object({
      thread_spawn: z.object({
        parent_thread_id: z.string(),
        depth: z.number().int(),
        agent_path: z.string().nullable(),
        agent_nickname: z.string().nullable(),
        agent_role: z.string().nullable(),
      }),
    }),
    z.object({ other: z.string() }),
  ])
  .meta({ id: "SubAgentSource" });

export const SessionSourceWire = z
  .union([
    z.enum(["cli", "vscode", "exec", "appServer", "unknown"]),
    z.object({ custom: z.string() }),
    z.object({ subAgent: SubAgentSourceWire }),
  ])
  .meta({ id: "SessionSource" });

export const GitInfoWire = z
  .object({ sha: z.string().nullable(), branch: z.string().nullable(), originUrl: z.string().nullable() })
  .meta({ id: "GitInfo" });

export const Thread = z
  .object({
    id: z.string(),
    sessionId: z.string(),
    forkedFromId: z.string().nullable(),
    parentThreadId: z.string().nullable(),
    preview: z.string(),
    ephemeral: z.boolean(),
    section: z.null(),
    sectionEnteredAt: z.number().int().nullable(),
    projectId: z.string().nullable(),
    historyMode: z.enum(["legacy", "paginated"]),
    modelProvider: z.string(),
    model: z.string().nullable(),
    reasoningEffort: ReasoningEffort.nullable(),
    createdAt: z.number().int(),
    updatedAt: z.number().int(),
    recencyAt: z.number().int().nullable(),
    status: ThreadStatus,
    path: z.string().nullable(),
    cwd: z.string(),
    cliVersion: z.string(),
    originator: z.string().nullable(),
    source: SessionSourceWire,
    threadSource: z.string().nullable(),
    agentNickname: z.string().nullable(),
    agentRole: z.string().nullable(),
    gitInfo: GitInfoWire.nullable(),
    name: z.string().nullable(),
    turns: z.array(Turn),
  })
  .meta({ id: "Thread" });
export type Thread = z.infer<typeof Thread>;

/** Settings thread/start, resume and fork share. */
const overrides = {
  model: z.string().nullable().optional(),
  modelProvider: z.string().nullable().optional(),
  serviceTier: z.string().nullable().optional(),
  cwd: z.string().nullable().optional(),
  approvalPolicy: AskForApprovalWire.nullable().optional(),
  approvalsReviewer: ApprovalsReviewer.nullable().optional(),
  sandbox: SandboxMode.nullable().optional(),
  config: z.record(z.string(), z.unknown()).nullable().optional(),
  baseInstructions: z.string().nullable().optional(),
  developerInstructions: z.string().nullable().optional(),
  personality: z.string().nullable().optional(),
};

export const ThreadStartParams = z
  .object({
    ...overrides,
    serviceName: z.string().nullable().optional(),
    ephemeral: z.boolean().nullable().optional(),
    sessionStartSource: z.enum(["startup", "clear"]).nullable().optional(),
    threadSource: z.string().nullable().optional(),
    dynamicTools: DynamicTools.nullable().optional(),
  })
  .meta({ id: "ThreadStartParams" });
export type ThreadStartParams = z.infer<typeof ThreadStartParams>;

const sessionResult = {
  thread: Thread,
  model: z.string(),
  modelProvider: z.string(),
  serviceTier: z.string().nullable(),
  disabledPluginIds: z.array(z.string()),
  cwd: z.string(),
  instructionSources: z.array(z.string()),
  approvalPolicy: AskForApprovalWire,
  approvalsReviewer: ApprovalsReviewer,
  sandbox: SandboxPolicyWire,
  reasoningEffort: ReasoningEffort.nullable(),
};

export const ThreadStartResponse = z.object(sessionResult).meta({ id: "ThreadStartResponse" });
export type ThreadStartResponse = z.infer<typeof ThreadStartResponse>;

export const ThreadResumeParams = z
  .object({ threadId: z.string(), ...overrides, excludeTurns: z.boolean().optional() })
  .meta({ id: "ThreadResumeParams" });
export const ThreadResumeResponse = z
  .object({
    ...sessionResult,
    collaborationMode: z.null(),
    turnsBackwardsCursor: z.string().nullable(),
    itemsBackwardsCursor: z.string().nullable(),
  })
  .meta({ id: "ThreadResumeResponse" });

export const ThreadForkParams = z
  .object({
    threadId: z.string(),
    lastTurnId: z.string().nullable().optional(),
    ...overrides,
    ephemeral: z.boolean().optional(),
    threadSource: z.string().nullable().optional(),
    excludeTurns: z.boolean().optional(),
  })
  .meta({ id: "ThreadForkParams" });
export const ThreadForkResponse = z.object(sessionResult).meta({ id: "ThreadForkResponse" });

export const ThreadListParams = z
  .object({
    cursor: z.string().nullable().optional(),
    limit: z.number().int().min(0).nullable().optional(),
    sortKey: z.enum(["created_at", "updated_at", "recency_at", "section_position"]).nullable().optional(),
    sortDirection: z.enum(["asc", "desc"]).nullable().optional(),
    modelProviders: z.array(z.string()).nullable().optional(),
    sourceKinds: z.array(z.string()).nullable().optional(),
    originators: z.array(z.string()).nullable().optional(),
    archived: z.boolean().nullable().optional(),
    cwd: z.union([z.string(), z.array(z.string())]).nullable().optional(),
    searchTerm: z.string().nullable().optional(),
    excludedThreadIds: z.array(z.string()).nullable().optional(),
  })
  .meta({ id: "ThreadListParams" });
export const ThreadListResponse = z
  .object({ data: z.array(Thread), nextCursor: z.string().nullable(), backwardsCursor: z.string().nullable() })
  .meta({ id: "ThreadListResponse" });

export const ThreadReadParams = z.object({ threadId: z.string(), includeTurns: z.boolean().optional() }).meta({ id: "ThreadReadParams" });
export const ThreadReadResponse = z.object({ thread: Thread }).meta({ id: "ThreadReadResponse" });

export const ThreadIdParams = z.object({ threadId: z.string() });
export const ThreadArchiveParams = ThreadIdParams.meta({ id: "ThreadArchiveParams" });
export const ThreadUnarchiveParams = z.object({ threadId: z.string() }).meta({ id: "ThreadUnarchiveParams" });
export const ThreadUnarchiveResponse = z.object({ thread: Thread }).meta({ id: "ThreadUnarchiveResponse" });
export const ThreadDeleteParams = z.object({ threadId: z.string() }).meta({ id: "ThreadDeleteParams" });
export const ThreadCompactStartParams = z.object({ threadId: z.string() }).meta({ id: "ThreadCompactStartParams" });
export const ThreadSetNameParams = z.object({ threadId: z.string(), name: z.string() }).meta({ id: "ThreadSetNameParams" });
export const ThreadSetNameResponse = z.object({}).meta({ id: "ThreadSetNameResponse" });

/** thread/revert: drop the turn `beforeTurnId` and every later turn from the thread's history. */
export const ThreadRevertParams = z.object({ threadId: z.string(), beforeTurnId: z.string() }).meta({ id: "ThreadRevertParams" });
export const ThreadRevertResponse = z
  .object({ thread: Thread, turnsBackwardsCursor: z.string().nullable(), itemsBackwardsCursor: z.string().nullable() })
  .meta({ id: "ThreadRevertResponse" });

export const ThreadUnsubscribeParams = z.object({ threadId: z.string() }).meta({ id: "ThreadUnsubscribeParams" });
export const ThreadUnsubscribeResponse = z
  .object({ status: z.enum(["notLoaded", "notSubscribed", "unsubscribed"]) })
  .meta({ id: "ThreadUnsubscribeResponse" });
export const ThreadLoadedListParams = z
  .object({ cursor: z.string().nullable().optional(), limit: z.number().int().min(0).nullable().optional() })
  .meta({ id: "ThreadLoadedListParams" });
export const ThreadLoadedListResponse = z
  .object({ data: z.array(z.string()), nextCursor: z.string().nullable() })
  .meta({ id: "ThreadLoadedListResponse" });
