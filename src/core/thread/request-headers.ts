import type { SandboxPolicy } from "../../protocol/policy.js";
import type { TurnWorkspace } from "../context/git-info.js";

// Per-request identity headers Codex sends (responses-api.md §2). The turn metadata header is a
// JSON string that is also mirrored into client_metadata.

export interface RequestIdentity {
  threadId: string;
  installationId: string;
  model: string;
  reasoningEffort?: string;
  sandbox: SandboxPolicy;
  threadSource: string;
  turnTrigger: string;
  /** Git facts per work tree root, when the cwd is inside a repository. */
  workspaces?: Record<string, TurnWorkspace>;
  /** Multi-agent threads: the agent's path; sub-agents also their parent and their root (the session). */
  agent?: { path: string; parentThreadId: string | null; rootThreadId: string };
}

export interface TurnRequestIdentity {
  headers: Record<string, string>;
  /** The same identity in the body's `client_metadata`. */
  clientMetadata: Record<string, string>;
}

export function turnRequestIdentity(id: RequestIdentity, turnId: string, turnStartedAtMs: number): TurnRequestIdentity {
  const windowId = `${id.threadId}:0`;
  const sessionId = id.agent?.rootThreadId ?? id.threadId;
  const metadata = {
    installation_id: id.installationId,
    session_id: sessionId,
    thread_id: id.threadId,
    ...(id.agent ? { agent_name: id.agent.path } : {}),
    turn_id: turnId,
    root_turn_id: turnId,
    window_id: windowId,
    window_number: 0,
    request_kind: "turn",
    thread_source: id.threadSource,
    turn_trigger: id.turnTrigger,
    sandbox: id.sandbox.mode === "danger-full-access" ? "none" : "seccomp",
    sandbox_mode: id.sandbox.mode,
    ...(id.workspaces ? { workspaces: id.workspaces } : {}),
    turn_started_at_unix_ms: turnStartedAtMs,
    model: id.model,
    ...(id.reasoningEffort ? { reasoning_effort: id.reasoningEffort } : {}),
  };
  const turnMetadata = JSON.stringify(metadata);
  return {
    headers: {
      ...(id.agent?.parentThreadId ? { "x-openai-subagent": "collab_spawn", "x-codex-parent-thread-id": id.agent.parentThreadId } : {}),
      "session-id": sessionId,
      "thread-id": id.threadId,
      "x-client-request-id": id.threadId,
      "x-codex-window-id": windowId,
      "x-codex-turn-metadata": turnMetadata,
    },
    clientMetadata: {
      session_id: sessionId,
      thread_id: id.threadId,
      turn_id: turnId,
      root_turn_id: turnId,
      "x-codex-window-id": windowId,
      "x-codex-installation-id": id.installationId,
      "x-codex-turn-metadata": turnMetadata,
    },
  };
}
