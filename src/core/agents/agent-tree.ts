import type { Event } from "../../protocol/events.js";
import type { ResponseItem } from "../../protocol/items.js";
import type { Op } from "../../protocol/ops.js";
import type { ReviewDecision } from "../../protocol/policy.js";
import type { ProposedAction } from "../approval/contract.js";
import { mailItem, type AgentMail, type MailFormat } from "./agent-mail.js";
import { childPath, isUnderPath, parentPath, pathDepth, resolveTargetPath, ROOT_AGENT_PATH, taskNameProblem } from "./agent-path.js";

// One tree of agents per root thread: who exists (by path), how each is doing, and the mailbox of each.
// Mail is pulled by the recipient's thread at its next sampling boundary (`takeMail`), so a message
// reaches the model in order with the turn's own items; `wait` only watches mailboxes.

export type AgentStatus =
  | "pending_init"
  | "running"
  | "interrupted"
  | "shutdown"
  | { completed: string | null }
  | { errored: string };

/** What the tree needs of a thread. */
export interface AgentThreadHandle {
  readonly id: string;
  submit(op: Op): Promise<string>;
  events(): AsyncIterable<Event>;
  history(): ResponseItem[];
  close(): Promise<void>;
  /** Present on threads a person watches: asks that person for another agent of the tree. */
  askOnBehalf?(action: ProposedAction, context: { reason?: string; signal?: AbortSignal }): Promise<ReviewDecision>;
}

export interface SpawnChildRequest {
  path: string;
  depth: number;
  parentThreadId: string;
  rootThreadId: string;
  /** The parent's history to start from (`fork_turns: "all"`), or null for a fresh context. */
  history: ResponseItem[] | null;
  model?: string;
  reasoningEffort?: string;
}

export interface AgentTreeLimits {
  /** Deepest allowed path below the root (`/root/a` is depth 1). */
  maxDepth: number;
  /** Live agents besides the root. */
  maxAgents: number;
}

export interface AgentTreeDeps {
  rootThreadId: string;
  spawnThread(req: SpawnChildRequest): Promise<AgentThreadHandle>;
  /** Reopens an agent of an earlier run of this tree (its journal), when it is first addressed again. */
  resumeThread(req: { threadId: string; path: string; depth: number; parentThreadId: string }): Promise<AgentThreadHandle>;
  limits: AgentTreeLimits;
  format: MailFormat;
  /** Every event of every agent below the root, as it is read (a front end shows the sub-agents' own streams). */
  onAgentEvent?(e: SubAgentEvent): void;
}

/** One event of a sub-agent's thread, with where the agent sits in its tree. */
export interface SubAgentEvent {
  rootThreadId: string;
  threadId: string;
  parentThreadId: string;
  agentPath: string;
  msg: Event["msg"];
}

export interface SpawnOptions {
  taskName: string;
  message: string;
  forkTurns: "all" | "none";
  model?: string;
  reasoningEffort?: string;
}

export interface AgentListing {
  path: string;
  threadId: string;
  status: AgentStatus;
}

/** A refusal the model should read (unknown target, bad name, limits). */
export class AgentError extends Error {
  override name = "AgentError";
}

interface AgentNode {
  path: string;
  threadId: string;
  thread: AgentThreadHandle | null;
  /** Known from an earlier run of the tree; its thread opens on first use. */
  restored?: boolean;
  status: AgentStatus;
  mailbox: ResponseItem[];
}

export interface AgentTree {
  readonly rootThreadId: string;
  /** The root's thread, once it exists (its history is what `fork_turns: "all"` copies). */
  attachRoot(thread: AgentThreadHandle): void;
  /** The root's thread (its person answers the whole tree's approvals), once attached. */
  rootThread(): AgentThreadHandle | null;
  /**
   * Agents an earlier run of this tree spawned (a resumed root): reachable by path, and reopened from their
   * journals when a message or task is sent to them. As the reference 0.169 (observed): not listed until
   * then (list_agents of a resumed root shows only the agents open in this run).
   */
  restore(agents: ReadonlyArray<{ path: string; threadId: string }>): void;
  /** Mail for `path` not yet seen by its model; empties the mailbox. */
  takeMail(path: string): ResponseItem[];
  spawn(caller: string, o: SpawnOptions): Promise<{ path: string; threadId: string }>;
  send(caller: string, target: string, message: string): Promise<string>;
  followup(caller: string, target: string, message: string): Promise<string>;
  /** Resolves when any mail for `caller` is waiting, or after `timeoutMs`; rejects when `signal` aborts. */
  wait(caller: string, timeoutMs: number, signal: AbortSignal): Promise<{ timedOut: boolean }>;
  interrupt(caller: string, target: string): Promise<AgentStatus>;
  list(prefix?: string): AgentListing[];
  /** Interrupts every running agent strictly below `path`. */
  interruptBelow(path: string): Promise<void>;
  /** Closes every agent strictly below `path` (their threads end; their journals stay). */
  closeBelow(path: string): Promise<void>;
}

export function createAgentTree(deps: AgentTreeDeps): AgentTree {
  const nodes = new Map<string, AgentNode>();
  nodes.set(ROOT_AGENT_PATH, { path: ROOT_AGENT_PATH, threadId: deps.rootThreadId, thread: null, status: "running", mailbox: [] });
  const waiters = new Map<string, Set<() => void>>();

  const wake = (path: string) => {
    const set = waiters.get(path);
    if (!set) return;
    waiters.delete(path);
    for (const w of set) w();
  };

  const post = (mail: AgentMail) => {
    const node = nodes.get(mail.recipient);
    if (!node || node.status === "shutdown") return;
    node.mailbox.push(mailItem(mail, deps.format));
    wake(mail.recipient);
  };

  const find = (caller: string, target: string): AgentNode => {
    const byId = [...nodes.values()].find((n) => n.threadId === target);
    if (byId) return byId;
    const path = resolveTargetPath(caller, target);
    const node = nodes.get(path);
    if (!node || node.status === "shutdown") throw new AgentError(`live agent path \`${path}\` not found`);
    return node;
  };

  // A restored agent's thread opens once, however many messages arrive together.
  const loading = new Map<string, Promise<void>>();
  const ensureOpen = async (node: AgentNode): Promise<void> => {
    if (node.thread || !node.restored) return;
    let p = loading.get(node.path);
    if (!p) {
      p = (async () => {
        const parent = nodes.get(parentPath(node.path) ?? ROOT_AGENT_PATH);
        const thread = await deps.resumeThread({
          threadId: node.threadId,
          path: node.path,
          depth: pathDepth(node.path),
          parentThreadId: parent?.threadId ?? deps.rootThreadId,
        });
        node.thread = thread;
        node.restored = false;
        void follow(node);
      })();
      loading.set(node.path, p);
      p.finally(() => loading.delete(node.path)).catch(() => {});
    }
    await p;
  };

  const live = () => [...nodes.values()].filter((n) => n.path !== ROOT_AGENT_PATH && n.status !== "shutdown");

  const follow = async (node: AgentNode) => {
    const thread = node.thread!;
    const parentThreadId = nodes.get(parentPath(node.path) ?? ROOT_AGENT_PATH)?.threadId ?? deps.rootThreadId;
    for await (const ev of thread.events()) {
      const msg = ev.msg;
      try {
        deps.onAgentEvent?.({ rootThreadId: deps.rootThreadId, threadId: node.threadId, parentThreadId, agentPath: node.path, msg });
      } catch {
        // A front end's failure to show an event must not stop the tree from following its agent.
      }
      if (msg.type === "task_started") node.status = "running";
      else if (msg.type === "task_complete") {
        node.status = { completed: msg.lastAgentMessage };
        tellParent(node, msg.lastAgentMessage ?? "");
      } else if (msg.type === "turn_failed") {
        node.status = { errored: msg.error.message };
        tellParent(node, `The agent's turn failed: ${msg.error.message}`);
      } else if (msg.type === "turn_aborted") node.status = "interrupted";
      else if (msg.type === "shutdown_complete") node.status = "shutdown";
    }
    node.status = "shutdown";
  };

  const tellParent = (node: AgentNode, payload: string) => {
    const parent = parentPath(node.path);
    if (parent === null) return;
    post({ kind: "FINAL_ANSWER", author: node.path, recipient: parent, task: parent, payload, fromModelArgument: false });
  };

  const below = (path: string) => [...nodes.values()].filter((n) => n.path !== path && isUnderPath(n.path, path));

  return {
    rootThreadId: deps.rootThreadId,
    attachRoot(thread) {
      nodes.get(ROOT_AGENT_PATH)!.thread = thread;
    },
    rootThread: () => nodes.get(ROOT_AGENT_PATH)!.thread,
    restore(agents) {
      for (const a of agents) {
        if (a.path === ROOT_AGENT_PATH || nodes.has(a.path) || !a.threadId) continue;
        nodes.set(a.path, { path: a.path, threadId: a.threadId, thread: null, status: "pending_init", mailbox: [], restored: true });
      }
    },
    takeMail(path) {
      const node = nodes.get(path);
      if (!node || node.mailbox.length === 0) return [];
      return node.mailbox.splice(0);
    },
    async spawn(caller, o) {
      const problem = taskNameProblem(o.taskName);
      if (problem) throw new AgentError(problem);
      const path = childPath(caller, o.taskName);
      if (nodes.has(path)) throw new AgentError(`agent path \`${path}\` already exists`);
      const depth = pathDepth(path);
      if (depth > deps.limits.maxDepth) {
        throw new AgentError(`agent depth limit reached: \`${path}\` would be ${depth} levels deep (max ${deps.limits.maxDepth})`);
      }
      if (live().length >= deps.limits.maxAgents) {
        throw new AgentError(`agent limit reached: ${deps.limits.maxAgents} agents are already live; wait for one or interrupt one`);
      }
      const parent = nodes.get(caller);
      if (!parent) throw new AgentError(`live agent path \`${caller}\` not found`);
      // Reserved before the thread exists, so a second spawn of the same name in the same response is refused.
      const node: AgentNode = { path, threadId: "", thread: null, status: "pending_init", mailbox: [] };
      nodes.set(path, node);
      let thread: AgentThreadHandle;
      try {
        thread = await deps.spawnThread({
          path,
          depth,
          parentThreadId: parent.threadId,
          rootThreadId: deps.rootThreadId,
          history: o.forkTurns === "all" && parent.thread ? parent.thread.history() : null,
          ...(o.model ? { model: o.model } : {}),
          ...(o.reasoningEffort ? { reasoningEffort: o.reasoningEffort } : {}),
        });
      } catch (err) {
        nodes.delete(path);
        throw err;
      }
      node.thread = thread;
      node.threadId = thread.id;
      void follow(node);
      post({ kind: "NEW_TASK", author: caller, recipient: path, task: path, payload: o.message, fromModelArgument: true });
      await thread.submit({ type: "agent_turn" });
      return { path, threadId: thread.id };
    },
    async send(caller, target, message) {
      const node = find(caller, target);
      await ensureOpen(node);
      post({ kind: "MESSAGE", author: caller, recipient: node.path, task: node.path, payload: message, fromModelArgument: true });
      return node.path;
    },
    async followup(caller, target, message) {
      const node = find(caller, target);
      if (node.path === ROOT_AGENT_PATH) throw new AgentError("followup_task needs a non-root target; use send_message to reach /root");
      await ensureOpen(node);
      post({ kind: "FOLLOWUP_TASK", author: caller, recipient: node.path, task: node.path, payload: message, fromModelArgument: true });
      await node.thread?.submit({ type: "agent_turn" });
      return node.path;
    },
    wait(caller, timeoutMs, signal) {
      const node = nodes.get(caller);
      if (node && node.mailbox.length > 0) return Promise.resolve({ timedOut: false });
      return new Promise((resolve, reject) => {
        const set = waiters.get(caller) ?? new Set<() => void>();
        waiters.set(caller, set);
        const done = (timedOut: boolean) => {
          clearTimeout(timer);
          set.delete(onMail);
          signal.removeEventListener("abort", onAbort);
          resolve({ timedOut });
        };
        const onMail = () => done(false);
        const onAbort = () => {
          clearTimeout(timer);
          set.delete(onMail);
          reject(signal.reason ?? new Error("aborted"));
        };
        const timer = setTimeout(() => done(true), timeoutMs);
        set.add(onMail);
        if (signal.aborted) onAbort();
        else signal.addEventListener("abort", onAbort, { once: true });
      });
    },
    async interrupt(caller, target) {
      const node = find(caller, target);
      if (node.path === ROOT_AGENT_PATH) throw new AgentError("the root agent cannot be interrupted by another agent");
      const previous = node.status;
      await node.thread?.submit({ type: "interrupt" });
      return previous;
    },
    list(prefix) {
      return [...nodes.values()]
        .filter((n) => n.status !== "shutdown" && !n.restored && (prefix === undefined || isUnderPath(n.path, prefix)))
        .map((n) => ({ path: n.path, threadId: n.threadId, status: n.status }));
    },
    async interruptBelow(path) {
      await Promise.all(below(path).map((n) => n.thread?.submit({ type: "interrupt" })));
    },
    async closeBelow(path) {
      // Deepest first, so no child outlives the agent that would read its answer.
      const targets = below(path).sort((a, b) => pathDepth(b.path) - pathDepth(a.path));
      for (const n of targets) {
        await n.thread?.close();
        n.status = "shutdown";
        wake(n.path);
      }
    },
  };
}
