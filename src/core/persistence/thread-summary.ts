import type { ResponseItem } from "../../protocol/items.js";
import { userPromptText } from "../context/injected-context.js";
import type { SessionMeta, ThreadSummary } from "./contract.js";
import type { RawRolloutLine } from "./rollout-reader.js";

// What a listing knows of a thread from the head of its rollout: the one rule both the file scan and the
// state index use, so the two list the same sessions with the same previews.

export interface ThreadHead {
  id: string;
  createdAt: string;
  cwd: string;
  source: string;
  /** First user message; null when nobody prompted the thread (it is then not listed). */
  preview: string | null;
  model: string | null;
  modelProvider: string | null;
  cliVersion: string;
  /** The thread this one was forked or spawned from. */
  parentThreadId: string | null;
  agentPath: string | null;
  agentNickname: string | null;
}

/** The source of a sub-agent's session (`{subagent: …}` in session_meta): such threads are never listed. */
export const SUBAGENT_SOURCE = "subagent";

/** Lines read past the first prompt while still looking for the model (turn_context). */
const LINES_AFTER_PREVIEW = 8;

const str = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);

function sourceText(source: unknown): string {
  return typeof source === "string" ? source : source !== null && typeof source === "object" ? (Object.keys(source)[0] ?? "unknown") : String(source);
}

/** A spawned sub-agent's parent, wherever its source object says it (`{subagent: {thread_spawn: {parent_thread_id}}}`). */
function spawnParent(source: unknown): string | null {
  const sub = (source as { subagent?: { thread_spawn?: { parent_thread_id?: unknown } } } | null)?.subagent;
  return str(sub?.thread_spawn?.parent_thread_id);
}

/** Visits a rollout's lines in order and says when it has seen enough. */
export function createThreadHeadCollector(): { visit(line: RawRolloutLine): "stop" | "continue"; result(): ThreadHead | null } {
  let meta: (SessionMeta & Record<string, unknown>) | undefined;
  let preview: string | undefined;
  let model: string | undefined;
  let afterPreview = 0;
  return {
    visit(line) {
      if (line.type === "session_meta") {
        if (meta === undefined) meta = line.payload as SessionMeta & Record<string, unknown>;
      } else if (line.type === "turn_context") {
        if (model === undefined) model = str((line.payload as { model?: unknown }).model) ?? undefined;
      } else if (preview === undefined && line.type === "response_item") {
        preview = userPromptText(line.payload as ResponseItem) ?? undefined;
      } else if (preview === undefined && line.type === "event_msg") {
        const p = line.payload as { type?: unknown; message?: unknown };
        if (p.type === "user_message" && typeof p.message === "string") preview = p.message;
      }
      if (preview !== undefined && line.type !== "session_meta") afterPreview++;
      if (meta === undefined || preview === undefined) return "continue";
      return model !== undefined || afterPreview > LINES_AFTER_PREVIEW ? "stop" : "continue";
    },
    result() {
      if (meta === undefined || typeof meta.id !== "string") return null;
      return {
        id: meta.id,
        createdAt: String(meta.timestamp ?? ""),
        cwd: String(meta.cwd ?? ""),
        source: sourceText(meta.source),
        preview: preview ?? null,
        model: model ?? null,
        modelProvider: str(meta.model_provider),
        cliVersion: String(meta.cli_version ?? ""),
        parentThreadId: str(meta.forked_from_id) ?? spawnParent(meta.source),
        agentPath: str(meta.agent_path),
        agentNickname: str(meta.agent_nickname),
      };
    },
  };
}

/** A listing entry from what a file's head says and where/when the file is. */
export function toThreadSummary(h: ThreadHead, o: { path: string; updatedAt: string }): ThreadSummary {
  return {
    id: h.id,
    path: o.path,
    createdAt: h.createdAt,
    updatedAt: o.updatedAt,
    cwd: h.cwd,
    source: h.source,
    preview: h.preview ?? "",
    ...(h.model !== null ? { model: h.model } : {}),
    ...(h.modelProvider !== null ? { modelProvider: h.modelProvider } : {}),
    ...(h.cliVersion !== "" ? { cliVersion: h.cliVersion } : {}),
    // Sub-agents are never listed, so a listed thread's parent is the one it was forked from.
    ...(h.parentThreadId !== null ? { parentThreadId: h.parentThreadId, forkedFromId: h.parentThreadId } : {}),
    ...(h.agentPath !== null ? { agentPath: h.agentPath } : {}),
  };
}
