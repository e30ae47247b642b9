import type { EventMsg } from "../../protocol/events.js";
import type { ResponseItem, TokenUsage, ToolCallItem } from "../../protocol/items.js";
import type { RolloutLine, RolloutStore, RolloutWriter, SessionMeta, TurnContextLine } from "../persistence/contract.js";
import type { DynamicToolsSetup } from "../tools/handlers/dynamic-tool.js";
import { seatAsRecorded, type AgentSeat } from "../agents/seat.js";
import { createThread, type Thread, type ThreadDeps } from "./thread.js";

/** What a front end may set for one new thread (app-server thread/start). */
export interface ThreadStartOptions {
  /** Client-defined tools, answered by the client (app-server `dynamicTools`). */
  dynamicTools?: DynamicToolsSetup;
}

/** What the runtime supplies to build a thread; everything except identity, history and journal. */
export type ThreadBlueprint = Omit<
  ThreadDeps,
  "id" | "history" | "rollout" | "usage" | "contextTokens" | "initialEvents" | "onClose" | "sessionSource" | "pendingCalls"
> & {
  onClose?(): Promise<void>;
  /** Told the thread once it exists (an agent tree keeps its root thread). */
  onOpened?(thread: Thread): void;
};

export interface ThreadManagerDeps {
  store: RolloutStore;
  ephemeral: boolean;
  secrets: string[];
  newThreadId(): string;
  now(): Date;
  sessionMeta(id: string, seat?: AgentSeat): SessionMeta;
  /** Items that open a fresh thread: base instructions first, then AGENTS.md, environment context. */
  initialContext(seat?: AgentSeat): Promise<ResponseItem[]>;
  /** The base-instructions developer message and its text. */
  baseInstructions(): { text: string; item: ResponseItem };
  /**
   * `seat`: the thread is a sub-agent (absent for a thread a person opens). `resumedFrom`: the journal of a
   * resumed thread (a root finds the agents it had spawned there). `start`: a front end's options for a new thread.
   */
  blueprint(
    threadId: string,
    seat?: AgentSeat,
    o?: { resumedFrom?: readonly RolloutLine[]; start?: ThreadStartOptions; lastTurnContext?: TurnContextLine },
  ): Promise<ThreadBlueprint>;
  configuredEvent(threadId: string, rolloutPath: string | null): EventMsg;
  /** `pendingCalls`: calls left unanswered while their approval waited (asked again; see Thread.pendingApprovals). */
  reconstruct(lines: RolloutLine[]): { meta: SessionMeta; history: ResponseItem[]; pendingCalls?: ToolCallItem[]; lastTurnContext?: TurnContextLine };
  fork(sourcePath: string, newId: string): Promise<{ path: string }>;
}

export class ThreadNotFoundError extends Error {
  constructor(readonly threadId: string) {
    super(`No saved session found with ID ${threadId}`);
  }
}

export interface ThreadManager {
  start(options?: ThreadStartOptions): Promise<Thread>;
  /** `idOrLast`: a thread id, or `{ last: true }` for the newest session (optionally in cwd). */
  resume(target: { id: string } | { last: true; cwd?: string }): Promise<Thread>;
  fork(target: { id: string } | { last: true; cwd?: string }): Promise<Thread>;
}

/** The manager as the runtime sees it: it also opens sub-agent threads. */
export interface AgentThreadManager extends ThreadManager {
  /** A new sub-agent thread; `items` (a fork of its parent's history) replaces the fresh initial context. */
  startChild(o: { seat: AgentSeat; items: ResponseItem[] | null }): Promise<Thread>;
  /** Reopens a sub-agent of an earlier run from its journal, in its seat. */
  resumeChild(o: { threadId: string; seat: AgentSeat }): Promise<Thread>;
}

/** What a front end was asked to open: a fork, a resume (by id or the newest, in cwd unless `all`), else a new thread. */
export interface ThreadOpenRequest {
  fork?: { sessionId: string };
  resume?: { sessionId?: string; last: boolean; all: boolean };
}

/** Opens the thread a command line asked for (exec and the TUI share this choice). */
export function openRequestedThread(threads: ThreadManager, req: ThreadOpenRequest, o: { cwd: string }): Promise<Thread> {
  if (req.fork) return threads.fork({ id: req.fork.sessionId });
  if (req.resume?.sessionId) return threads.resume({ id: req.resume.sessionId });
  if (req.resume?.last) return threads.resume({ last: true, cwd: req.resume.all ? undefined : o.cwd });
  return threads.start();
}

export function createThreadManager(deps: ThreadManagerDeps): AgentThreadManager {
  async function locate(target: { id: string } | { last: true; cwd?: string }): Promise<string> {
    if ("id" in target) {
      const path = await deps.store.find(target.id);
      if (!path) throw new ThreadNotFoundError(target.id);
      return path;
    }
    const [newest] = await deps.store.list({ limit: 1, cwd: target.cwd });
    if (!newest) throw new Error("No saved sessions found to resume");
    return newest.path;
  }

  async function open(
    id: string,
    history: ResponseItem[],
    rollout: RolloutWriter | null,
    usage: TokenUsage | undefined,
    sessionSource: "startup" | "resume" | "fork",
    contextTokens?: number,
    seat?: AgentSeat,
    resumedFrom?: readonly RolloutLine[],
    start?: ThreadStartOptions,
    pendingCalls?: ToolCallItem[],
    lastTurnContext?: TurnContextLine,
  ): Promise<Thread> {
    const { onOpened, ...blueprint } = await deps.blueprint(id, seat, {
      ...(resumedFrom ? { resumedFrom } : {}),
      ...(start ? { start } : {}),
      ...(lastTurnContext ? { lastTurnContext } : {}),
    });
    const thread = createThread({
      ...blueprint,
      sessionSource,
      id,
      history,
      rollout,
      usage,
      ...(contextTokens !== undefined ? { contextTokens } : {}),
      initialEvents: [deps.configuredEvent(id, rollout?.path ?? null)],
      ...(pendingCalls && pendingCalls.length > 0 ? { pendingCalls } : {}),
    });
    onOpened?.(thread);
    return thread;
  }

  async function reopen(path: string, threadId?: string, seat?: AgentSeat): Promise<Thread> {
    const source = threadId === undefined ? "resume" : "fork";
    // Take the session's lock before reading, so what we rebuild is what no one else is still
    // appending to (a second process fails here with SessionInUseError and writes nothing).
    const rollout = deps.ephemeral ? null : await deps.store.openForAppend(path, { secrets: deps.secrets });
    try {
      const lines = await deps.store.readForResume(path);
      const { meta, history: journaled, pendingCalls, lastTurnContext } = deps.reconstruct(lines);
      // Rollouts keep the base instructions in session_meta (Codex's layout); the model still needs them
      // first. Older rollouts of ours journaled them as the first item, so they are not added twice.
      const base = deps.baseInstructions();
      const history = startsWithText(journaled, base.text) ? journaled : [base.item, ...journaled];
      const resumedFrom = source === "resume" ? lines : undefined;
      // A sub-agent reopens with the model and effort it last ran with, not config's.
      const seated = seat && lastTurnContext ? seatAsRecorded(seat, lastTurnContext) : seat;
      return await open(threadId ?? meta.id, history, rollout, lastUsage(lines), source, lastContextTokens(lines), seated, resumedFrom, undefined, pendingCalls, lastTurnContext);
    } catch (err) {
      await rollout?.close();
      throw err;
    }
  }

  async function startNew(seat?: AgentSeat, items?: ResponseItem[] | null, options?: ThreadStartOptions): Promise<Thread> {
    const id = deps.newThreadId();
    const base = deps.baseInstructions();
    const meta = { ...deps.sessionMeta(id, seat), base_instructions: { text: base.text } };
    const rollout = deps.ephemeral ? null : await deps.store.create(meta, { secrets: deps.secrets });
    const context = items ?? (await deps.initialContext(seat));
    const journaled = startsWithText(context, base.text) ? context.slice(1) : context;
    for (const item of journaled) await rollout?.append({ type: "response_item", payload: item });
    return open(id, context, rollout, undefined, "startup", undefined, seat, undefined, options);
  }

  return {
    start: (options) => startNew(undefined, undefined, options),
    startChild: (o) => startNew(o.seat, o.items),
    resumeChild: async (o) => reopen(await locate({ id: o.threadId }), undefined, o.seat),
    async resume(target) {
      return reopen(await locate(target));
    },
    async fork(target) {
      const source = await locate(target);
      const id = deps.newThreadId();
      const { path } = await deps.fork(source, id);
      return reopen(path, id);
    },
  };
}

/** The thread's running usage: the last token_count event (one the reference wrote with `info: null` is skipped). */
function lastUsage(lines: RolloutLine[]): TokenUsage | undefined {
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!;
    if (line.type !== "event_msg" || line.payload.type !== "token_count") continue;
    const { total } = line.payload as { total?: TokenUsage };
    if (total) return total;
  }
  return undefined;
}

/** Tokens of the thread's last response, so compaction resumes where it was. */
function lastContextTokens(lines: RolloutLine[]): number | undefined {
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!;
    if (line.type !== "event_msg" || line.payload.type !== "token_count") continue;
    const { last } = line.payload as { last?: TokenUsage };
    if (last) return last.total_tokens || last.input_tokens + last.output_tokens;
  }
  return undefined;
}

function startsWithText(items: readonly ResponseItem[], text: string): boolean {
  const first = items[0] as { type?: string; role?: string; content?: Array<{ text?: unknown }> } | undefined;
  return first?.type === "message" && first.role === "developer" && first.content?.[0]?.text === text;
}
