import type { SpawnedAgentSettings } from "../../protocol/events.js";
import type { ResponseItem } from "../../protocol/items.js";
import type { RolloutLine } from "../persistence/contract.js";
import type { SessionHooks } from "../hooks/session-hooks.js";
import type { TurnObserver } from "../turn/observer.js";
import type { ToolSource } from "../tools/registry.js";
import type { MailFormat } from "./agent-mail.js";
import { parentPath, ROOT_AGENT_PATH } from "./agent-path.js";
import { createAgentTree, type AgentThreadHandle, type AgentTreeLimits, type SubAgentEvent } from "./agent-tree.js";
import { collabToolSource, createCollabTools } from "./collab-tools.js";
import { childAgentMessage, forkedHistory, rootAgentMessage, withAgentMessage, type AgentSeat } from "./seat.js";

// What the runtime adds to a thread when multi-agent is on: a seat in a tree (a new tree for a thread a
// person opens), the collaboration tools bound to that seat, the seat's mailbox as the thread's pending
// input, and the tree's reactions to the thread's interrupt and close.

/** The hooks of the agent that spawned a child (its SubagentStart / SubagentStop). */
export type SubagentHookPort = ReturnType<SessionHooks["subagentHooks"]>;

export interface AgentWiringOptions {
  limits: AgentTreeLimits;
  format: MailFormat;
  /** Opens a sub-agent thread (the thread manager's startChild). */
  startChild(o: { seat: AgentSeat; items: ResponseItem[] | null }): Promise<AgentThreadHandle & { rolloutPath: string | null }>;
  /** Reopens a sub-agent of an earlier run (the thread manager's resumeChild). */
  resumeChild(o: { threadId: string; seat: AgentSeat }): Promise<AgentThreadHandle>;
  /** Told every event of the sub-agents (the tree's own reading of their streams). */
  onAgentEvent?(e: SubAgentEvent): void;
  /** The model and reasoning effort of a child spawned asking for these (its requests carry them). */
  childSettings(asked: { model?: string; reasoningEffort?: string }): SpawnedAgentSettings;
}

export interface SeatParts {
  source: ToolSource;
  takeAgentMail(): ResponseItem[];
  onInterrupt(): void;
  /** Closes the agents below this one (before the thread itself closes). */
  closeBelow(): Promise<void>;
  onOpened(thread: AgentThreadHandle): void;
  /**
   * A sub-agent's SubagentStop seam: when its turn would end, the parent's hooks may send it on with a
   * reason (the hooks of the thread that spawned it, given by `hooksOfParent`).
   */
  subagentObserver?: TurnObserver;
}

export interface AgentWiring {
  /** A thread a person opens sits at the root of a new tree. */
  rootSeat(threadId: string): AgentSeat;
  parts(
    threadId: string,
    seat: AgentSeat,
    o?: { subagentHooks?: SubagentHookPort; rolloutPath?: () => string | null; resumedFrom?: readonly RolloutLine[] },
  ): SeatParts;
  /** The context a new seated thread starts from: its agent's developer message among the developer messages. */
  contextFor(seat: AgentSeat | null, fresh: ResponseItem[]): ResponseItem[];
}

export function createAgentWiring(o: AgentWiringOptions): AgentWiring {
  // Each seat's hooks, so a child's SubagentStart/Stop fire in the hooks of the agent that spawned it.
  const hooksByThread = new Map<string, SubagentHookPort>();

  const childSeat = (parent: AgentSeat, req: { path: string; depth: number; parentThreadId: string; model?: string; reasoningEffort?: string }): AgentSeat => ({
    tree: parent.tree,
    path: req.path,
    depth: req.depth,
    parentThreadId: req.parentThreadId,
    rootThreadId: parent.rootThreadId,
    ...(req.model ? { model: req.model } : {}),
    ...(req.reasoningEffort ? { reasoningEffort: req.reasoningEffort } : {}),
  });

  const rootSeat = (threadId: string): AgentSeat => {
    const seat: AgentSeat = { tree: undefined as never, path: ROOT_AGENT_PATH, depth: 0, parentThreadId: null, rootThreadId: threadId };
    seat.tree = createAgentTree({
      rootThreadId: threadId,
      limits: o.limits,
      format: o.format,
      ...(o.onAgentEvent ? { onAgentEvent: o.onAgentEvent } : {}),
      spawnThread: async (req) => {
        const child = childSeat(seat, req);
        const hooks = hooksByThread.get(req.parentThreadId);
        const extra = hooks ? (await hooks.start({ agentId: req.path, agentType: "default" })).additionalContext : [];
        const message = childAgentMessage(child, parentPath(req.path) ?? ROOT_AGENT_PATH);
        const items = req.history ? withAgentMessage(forkedHistory(req.history), message) : null;
        const thread = await o.startChild({ seat: child, items: items ? withHookContext(items, extra) : null });
        if (extra.length > 0 && !items) pendingContext.set(thread.id, extra);
        return thread;
      },
      resumeThread: (req) => o.resumeChild({ threadId: req.threadId, seat: childSeat(seat, req) }),
    });
    return seat;
  };
  // SubagentStart additionalContext for a child opened from a fresh context: given with its first mail.
  const pendingContext = new Map<string, string[]>();

  return {
    rootSeat,
    parts(threadId, seat, p = {}) {
      if (p.subagentHooks) hooksByThread.set(threadId, p.subagentHooks);
      if (p.resumedFrom) seat.tree.restore(spawnedIn(p.resumedFrom, seat.path));
      const tools = createCollabTools({
        tree: seat.tree,
        self: { path: seat.path, threadId },
        canSpawn: seat.depth < o.limits.maxDepth,
        childSettings: o.childSettings,
      });
      const parentHooks = seat.parentThreadId ? hooksByThread.get(seat.parentThreadId) : undefined;
      let stopHookActive = false;
      return {
        source: collabToolSource(tools),
        takeAgentMail: () => {
          const extra = pendingContext.get(threadId);
          if (extra) pendingContext.delete(threadId);
          const mail = seat.tree.takeMail(seat.path);
          return extra && mail.length > 0 ? [...extra.map(developerText), ...mail] : mail;
        },
        onInterrupt: () => void seat.tree.interruptBelow(seat.path),
        closeBelow: async () => {
          await seat.tree.closeBelow(seat.path);
          hooksByThread.delete(threadId);
        },
        onOpened: (thread) => {
          if (seat.path === ROOT_AGENT_PATH) seat.tree.attachRoot(thread);
        },
        ...(parentHooks
          ? {
              subagentObserver: {
                async onStop(outcome) {
                  if (outcome.status !== "completed") return { type: "stop" as const };
                  const r = await parentHooks.stop({
                    agentId: seat.path,
                    agentType: "default",
                    agentTranscriptPath: p.rolloutPath?.() ?? null,
                    lastAssistantMessage: outcome.lastAgentMessage,
                    stopHookActive,
                  });
                  if (r.continueWith === null) {
                    stopHookActive = false;
                    return { type: "stop" as const };
                  }
                  stopHookActive = true;
                  return { type: "continue" as const, items: [userText(r.continueWith)] };
                },
              } satisfies TurnObserver,
            }
          : {}),
      };
    },
    contextFor(seat, fresh) {
      // No seat: a thread a person opens, the root of its tree.
      const message = seat === null || seat.parentThreadId === null ? rootAgentMessage() : childAgentMessage(seat, parentPath(seat.path) ?? ROOT_AGENT_PATH);
      return withAgentMessage(fresh, message);
    },
  };
}

/** The agents a journal says this seat spawned: its journaled spawn_agent calls, with their paths. */
function spawnedIn(lines: readonly RolloutLine[], ownPath: string): Array<{ path: string; threadId: string }> {
  const out: Array<{ path: string; threadId: string }> = [];
  for (const line of lines) {
    if (line.type !== "event_msg") continue;
    const msg = line.payload;
    if (msg.type !== "collab_tool_call_end" || msg.tool !== "spawn_agent" || msg.status !== "completed") continue;
    for (const a of msg.receiverAgents ?? []) if (parentPath(a.path) === ownPath) out.push(a);
  }
  return out;
}

const developerText = (text: string): ResponseItem => ({ type: "message", role: "developer", content: [{ type: "input_text", text }] });
const userText = (text: string): ResponseItem => ({ type: "message", role: "user", content: [{ type: "input_text", text }] });

function withHookContext(items: ResponseItem[], extra: string[]): ResponseItem[] {
  return extra.length === 0 ? items : [...items, ...extra.map(developerText)];
}
