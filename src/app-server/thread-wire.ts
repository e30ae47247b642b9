import type { ResolvedConfig, RolloutLine, ThreadSummary } from "../core/index.js";
import type { EventMsg } from "../protocol/events.js";
import type { Thread, ThreadStatus } from "../protocol/app-server/thread.js";
import type { Turn } from "../protocol/app-server/turn.js";
import { mapEvent, newMapperState } from "./event-mapper.js";

// The v2 Thread object, from a loaded thread's facts or a listed session's summary, and a thread's turns
// rebuilt from its rollout (its journaled events replayed through the mapper).

export interface ThreadWireFacts {
  id: string;
  path: string | null;
  cwd: string;
  createdAtMs: number;
  updatedAtMs: number;
  preview: string;
  modelProvider: string;
  model: string | null;
  reasoningEffort?: string | null;
  cliVersion: string;
  originator: string | null;
  source: string;
  forkedFromId: string | null;
  name: string | null;
  ephemeral: boolean;
  status: ThreadStatus;
  turns: Turn[];
  /** A sub-agent's thread: who spawned it, and where it sits in its tree. */
  subAgent?: { parentThreadId: string; agentPath: string | null; rootThreadId?: string };
}

/** How deep a sub-agent sits below /root (`/root/a` is 1). */
const agentDepth = (agentPath: string | null): number => (agentPath ? Math.max(1, agentPath.split("/").length - 2) : 1);

const SOURCES = new Set(["cli", "vscode", "exec", "appServer", "unknown"]);
const seconds = (ms: number) => Math.floor(ms / 1000);

export function threadWire(f: ThreadWireFacts): Thread {
  return {
    id: f.id,
    sessionId: f.subAgent?.rootThreadId ?? f.id,
    forkedFromId: f.forkedFromId,
    parentThreadId: f.subAgent?.parentThreadId ?? null,
    preview: f.preview,
    ephemeral: f.ephemeral,
    section: null,
    sectionEnteredAt: null,
    projectId: null,
    historyMode: "paginated",
    modelProvider: f.modelProvider,
    model: f.model,
    reasoningEffort: (f.reasoningEffort ?? null) as Thread["reasoningEffort"],
    createdAt: seconds(f.createdAtMs),
    updatedAt: seconds(f.updatedAtMs),
    recencyAt: seconds(f.updatedAtMs),
    status: f.status,
    path: f.path,
    cwd: f.cwd,
    cliVersion: f.cliVersion,
    originator: f.originator,
    source: (f.subAgent
      ? {
          subAgent: {
            thread_spawn: {
              parent_thread_id: f.subAgent.parentThreadId,
              depth: agentDepth(f.subAgent.agentPath),
              agent_path: f.subAgent.agentPath,
              agent_nickname: null,
              agent_role: null,
            },
          },
        }
      : SOURCES.has(f.source)
        ? f.source
        : { custom: f.source }) as Thread["source"],
    threadSource: null,
    agentNickname: null,
    agentRole: null,
    gitInfo: null,
    name: f.name,
    turns: f.turns,
  };
}

export function summaryFacts(s: ThreadSummary, o: { name: string | null; status: ThreadStatus; version: string }): ThreadWireFacts {
  return {
    id: s.id,
    path: s.path,
    cwd: s.cwd,
    createdAtMs: Date.parse(s.createdAt) || 0,
    updatedAtMs: Date.parse(s.updatedAt) || 0,
    preview: s.preview,
    modelProvider: s.modelProvider ?? "openai",
    model: null,
    cliVersion: s.cliVersion ?? o.version,
    originator: s.originator ?? null,
    source: s.source,
    // A sub-agent's summary names its parent (a listed thread's parent is the one it was forked from).
    forkedFromId: s.source === "subagent" ? null : (s.forkedFromId ?? null),
    ...(s.source === "subagent" && s.parentThreadId ? { subAgent: { parentThreadId: s.parentThreadId, agentPath: s.agentPath ?? null } } : {}),
    name: o.name,
    ephemeral: false,
    status: o.status,
    turns: [],
  };
}

export function configFacts(config: ResolvedConfig): Pick<ThreadWireFacts, "cwd" | "modelProvider" | "model" | "reasoningEffort"> {
  return { cwd: config.cwd, modelProvider: config.modelProviderId, model: config.model, reasoningEffort: config.modelReasoningEffort ?? null };
}

/** The turns of a rollout, each with its full items, rebuilt from the journaled events. */
export function turnsFromRollout(threadId: string, lines: readonly RolloutLine[]): Turn[] {
  const state = newMapperState({ threadId, keepTurns: true });
  for (const line of lines) {
    // Usage lines are journaled in Codex's shape and say nothing about items.
    if (line.type !== "event_msg" || line.payload.type === "token_count") continue;
    const at = Date.parse(line.timestamp) || 0;
    mapEvent(state, line.payload as EventMsg, at);
  }
  return state.turns;
}

/** First person-typed message of a rollout (the thread's preview). */
export function previewOf(lines: readonly RolloutLine[]): string {
  for (const line of lines) {
    const p = line.payload as { type?: unknown; message?: unknown };
    if (line.type === "event_msg" && p.type === "user_message" && typeof p.message === "string") return p.message;
  }
  return "";
}
