import type { EventMsg } from "../../protocol/events.js";
import type { ResponseItem, ToolCallItem } from "../../protocol/items.js";

// Rollout (session journal) lines, Codex-compatible: {timestamp, type, payload}.

export interface SessionMeta {
  id: string;
  timestamp: string;
  cwd: string;
  originator: string;
  cli_version: string;
  /** A sub-agent's rollout names its parent, depth and path here (`{ subagent: { thread_spawn: … } }`). */
  source: "exec" | "cli" | "vscode" | "mcp" | { subagent: unknown };
  model_provider?: string;
  /** Set on a fork: the thread it was copied from. */
  forked_from_id?: string;
  /** The repository the session started in (Codex's `GitInfo`): commit_hash, branch, repository_url. */
  git?: { commit_hash?: string; branch?: string; repository_url?: string };
  /** The base instructions the thread started with (kept here, not as a response_item, as Codex does). */
  base_instructions?: { text: string };
}

export interface TurnContextLine {
  turn_id: string;
  cwd: string;
  approval_policy: string;
  sandbox_policy: unknown;
  model: string;
  effort?: string;
  summary?: string;
}

export type RolloutLine =
  | { timestamp: string; type: "session_meta"; payload: SessionMeta }
  | { timestamp: string; type: "turn_context"; payload: TurnContextLine }
  | { timestamp: string; type: "response_item"; payload: ResponseItem }
  | { timestamp: string; type: "event_msg"; payload: EventMsg }
  | { timestamp: string; type: "compacted"; payload: { message: string; replacement_history?: ResponseItem[] } };

export type RolloutItem = Omit<RolloutLine, "timestamp">;

/** Appends to one thread's rollout file. Each append is written and fsync'd before it resolves. */
export interface RolloutWriter {
  readonly path: string;
  append(item: RolloutItem): Promise<void>;
  close(): Promise<void>;
}

export interface ThreadSummary {
  id: string;
  path: string;
  createdAt: string;
  updatedAt: string;
  cwd: string;
  source: string;
  /** First user message, for pickers. */
  preview: string;
  /** From session_meta, when it says (app-server thread/list). */
  modelProvider?: string;
  cliVersion?: string;
  originator?: string;
  forkedFromId?: string;
  /** The model of the thread's first turn. */
  model?: string;
  /** The thread it was forked or spawned from. */
  parentThreadId?: string;
  /** A sub-agent's path (`/root/worker`). */
  agentPath?: string;
}

/** Options for a rollout writer. */
export interface RolloutWriterOptions {
  /** Strings that must never reach disk; every occurrence in a line becomes `[REDACTED]`. */
  secrets?: string[];
}

export interface RolloutStore {
  /** Creates `$CODEX_HOME/sessions/YYYY/MM/DD/rollout-<ts>-<id>.jsonl` and writes session_meta. */
  create(meta: SessionMeta, options?: RolloutWriterOptions): Promise<RolloutWriter>;
  /** Opens an existing rollout for appending (resume). */
  openForAppend(path: string, options?: RolloutWriterOptions): Promise<RolloutWriter>;
  /** Finds a thread's rollout by id (full UUID) — null when absent. */
  find(threadId: string): Promise<string | null>;
  /** Newest first; `archived` lists archived_sessions/ instead of sessions/. */
  list(options: { limit: number; cwd?: string; archived?: boolean }): Promise<ThreadSummary[]>;
  /** Reads every well-formed line; a torn or malformed line is skipped. */
  read(path: string): Promise<RolloutLine[]>;
  /** The lines a resume needs: with a `compacted` line, only what follows the last one (and meta, context, usage). */
  readForResume(path: string): Promise<RolloutLine[]>;
}

/** Rebuilt state of a thread from its rollout: what the model saw, and the running usage. */
export interface ReconstructedThread {
  meta: SessionMeta;
  history: ResponseItem[];
  lastTurnContext?: TurnContextLine;
  /** Calls left in `history` without an output because their approval was never answered: asked again. */
  pendingCalls?: ToolCallItem[];
}
