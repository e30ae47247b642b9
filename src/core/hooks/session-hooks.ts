import type { EventMsg } from "../../protocol/events.js";
import type { StdinPipeSource } from "../exec/stdin-pipe.js";
import type { ResponseItem } from "../../protocol/items.js";
import { outputForCall } from "../persistence/call-pairing.js";
import type { ThreadObserver } from "../thread/thread-observer.js";
import type { TurnObserver } from "../turn/observer.js";
import { createHookEngine, type HookSession } from "./engine.js";
import type { HookHandler } from "./types.js";
import { hookToolView, matcherAliases, outputText, rewrittenCall } from "./tool-input.js";

// Hooks for one thread: a ThreadObserver (SessionStart, UserPromptSubmit, SessionEnd) and a TurnObserver
// (PreToolUse, PostToolUse, Stop), sharing the current turn (id and event sink). Compaction and sub-agent
// hooks come from the same object (compactionHooks / subagentHooks) for the features that own those moments.

export interface SessionHooks {
  threadObserver: ThreadObserver;
  turnObserver: TurnObserver;
  /** Shape of compaction/contract.ts's CompactionHooks. */
  compactionHooks(): {
    preCompact(o: { trigger: "manual" | "auto"; turnId?: string }): Promise<void>;
    postCompact(o: { trigger: "manual" | "auto"; turnId?: string }): Promise<void>;
  };
  /** For sub-agents: SubagentStart when a child starts, SubagentStop when it would stop (block → continue). */
  subagentHooks(): {
    start(o: { agentId: string; agentType: string }): Promise<{ additionalContext: string[] }>;
    stop(o: {
      agentId: string;
      agentType: string;
      agentTranscriptPath: string | null;
      lastAssistantMessage: string | null;
      stopHookActive: boolean;
    }): Promise<{ continueWith: string | null }>;
  };
  /** The PermissionRequest answer for an action the gate would ask a person about, if a hook gives one. */
  permissionRequest(o: { toolName: string; toolInput: Record<string, unknown> }): Promise<{ behavior: "allow" | "deny"; message?: string } | undefined>;
}

export const developerMessage = (text: string): ResponseItem => ({
  type: "message",
  role: "developer",
  content: [{ type: "input_text", text }],
});

/** Stop-hook continuations of one turn before the turn ends anyway (a hook that always blocks must not loop forever). */
export const MAX_STOP_CONTINUATIONS = 8;

export function createSessionHooks(o: {
  handlers: readonly HookHandler[];
  session: Omit<HookSession, "transcriptPath">;
  now?: () => number;
  /** Shared by the threads of one configuration: a few stdin pipes kept ready (see exec/stdin-pipe.ts). */
  stdinPipes?: StdinPipeSource;
}): SessionHooks {
  let rolloutPath: string | null = null;
  const engine = createHookEngine({
    handlers: o.handlers,
    session: { ...o.session, transcriptPath: () => rolloutPath },
    ...(o.now ? { now: o.now } : {}),
    ...(o.stdinPipes ? { stdinPipes: o.stdinPipes } : {}),
  });
  let turn: { turnId: string; emit(msg: EventMsg): void; signal: AbortSignal; stopHookActive: boolean; continuations: number } | null = null;
  // Calls a PreToolUse hook refused: they did not run, so PostToolUse does not fire for them.
  const refused = new Set<string>();
  let sessionEmit: (msg: EventMsg) => void = () => {};
  const emit = (msg: EventMsg): void => (turn ? turn.emit(msg) : sessionEmit(msg));
  const turnId = (): string | undefined => turn?.turnId;
  const signal = (): { signal?: AbortSignal } => (turn ? { signal: turn.signal } : {});

  // Fired by the thread at its first turn (as the reference: the source is queued when the thread opens and
  // dispatched when a turn starts). The reference's sources are startup|resume|clear|compact: a fork starts up.
  // A SessionStart hook that answers `continue: false` ends the turn it opened before anything is sent or the
  // prompt recorded (its context is kept for later turns), as the reference does: the prompt step refuses it.
  let stoppedAtStart: string | null = null;
  const sessionStart = async (threadSource: string): Promise<ResponseItem[]> => {
    if (!engine.has("SessionStart")) return [];
    const source = threadSource === "fork" ? "startup" : threadSource;
    const r = await engine.fire({ event: "SessionStart", emit, matchValue: source, fields: { source } });
    if (r.stop) stoppedAtStart = r.stop.reason;
    return r.additionalContexts.map(developerMessage);
  };

  const threadObserver: ThreadObserver = {
    async onSessionStart(s) {
      sessionEmit = s.emit;
      rolloutPath = s.rolloutPath;
      return sessionStart(s.source);
    },
    async beforeTurn(p) {
      turn = { turnId: p.turnId, emit: p.emit, signal: p.signal, stopHookActive: false, continuations: 0 };
      refused.clear();
      if (stoppedAtStart !== null) {
        const reason = stoppedAtStart;
        stoppedAtStart = null;
        return { type: "block", reason };
      }
      // UserPromptSubmit is about a person's prompt: a turn another agent's mail started has none.
      if (p.origin !== "user" || !engine.has("UserPromptSubmit")) return { type: "continue" };
      const r = await engine.fire({ event: "UserPromptSubmit", emit, turnId: p.turnId, signal: p.signal, fields: { prompt: p.prompt } });
      const blocked = r.blocks[0]?.reason ?? r.stop?.reason;
      if (blocked !== undefined) return { type: "block", reason: blocked };
      return r.additionalContexts.length > 0 ? { type: "continue", after: r.additionalContexts.map(developerMessage) } : { type: "continue" };
    },
    async onSessionEnd(e) {
      turn = null;
      sessionEmit = e.emit;
      if (engine.has("SessionEnd")) await engine.fire({ event: "SessionEnd", emit, fields: { reason: "other" } });
    },
  };

  const turnObserver: TurnObserver = {
    async beforeToolCall(call) {
      if (!engine.has("PreToolUse")) return;
      const view = hookToolView(call);
      const r = await engine.fire({
        event: "PreToolUse",
        emit,
        ...signal(),
        turnId: turnId(),
        matchValue: view.toolName,
        matchAliases: matcherAliases(view.toolName),
        fields: { tool_name: view.toolName, tool_input: view.toolInput, tool_use_id: call.call_id },
      });
      const reason = r.blocks[0]?.reason;
      if (reason === undefined) {
        if (!r.updatedInput) return;
        const next = rewrittenCall(call, r.updatedInput);
        if ("call" in next) return { type: "rewrite", call: next.call };
        refused.add(call.call_id);
        return { type: "replace", output: next.refusal };
      }
      refused.add(call.call_id);
      return { type: "block", reason: `Command blocked by PreToolUse hook: ${reason}. Command: ${view.display}` };
    },
    async afterToolCall(call, output) {
      if (!engine.has("PostToolUse") || refused.has(call.call_id)) return;
      const view = hookToolView(call);
      const r = await engine.fire({
        event: "PostToolUse",
        emit,
        ...signal(),
        turnId: turnId(),
        matchValue: view.toolName,
        matchAliases: matcherAliases(view.toolName),
        fields: { tool_name: view.toolName, tool_input: view.toolInput, tool_response: outputText(output), tool_use_id: call.call_id },
      });
      const reason = r.blocks[0]?.reason;
      return {
        ...(reason !== undefined ? { output: outputForCall(call, reason) } : {}),
        ...(r.additionalContexts.length > 0 ? { before: r.additionalContexts.map(developerMessage) } : {}),
      };
    },
    async onStop(outcome) {
      if (outcome.status !== "completed" || !engine.has("Stop") || !turn) return;
      const r = await engine.fire({
        event: "Stop",
        emit,
        ...signal(),
        turnId: turn.turnId,
        fields: { stop_hook_active: turn.stopHookActive, last_assistant_message: outcome.lastAgentMessage },
      });
      if (r.stop || r.blocks.length === 0) return;
      if (turn.continuations >= MAX_STOP_CONTINUATIONS) {
        emit({ type: "warning", message: `Stop hooks blocked ${MAX_STOP_CONTINUATIONS} times in this turn; ending the turn` });
        return;
      }
      turn.continuations++;
      turn.stopHookActive = true;
      const text = r.blocks.map((b) => `<hook_prompt hook_run_id="${b.runId}">${b.reason}</hook_prompt>`).join("\n");
      return { type: "continue", items: [{ type: "message", role: "user", content: [{ type: "input_text", text }] }] };
    },
  };

  return {
    threadObserver,
    turnObserver,
    compactionHooks: () => ({
      async preCompact(c) {
        if (!engine.has("PreCompact")) return;
        await engine.fire({ event: "PreCompact", emit, matchValue: c.trigger, ...(c.turnId ? { turnId: c.turnId } : {}), fields: { trigger: c.trigger } });
      },
      async postCompact(c) {
        if (engine.has("PostCompact")) {
          await engine.fire({ event: "PostCompact", emit, matchValue: c.trigger, ...(c.turnId ? { turnId: c.turnId } : {}), fields: { trigger: c.trigger } });
        }
        // The compacted history starts a new session segment.
        await sessionStart("compact");
      },
    }),
    subagentHooks: () => ({
      async start(a) {
        if (!engine.has("SubagentStart")) return { additionalContext: [] };
        const r = await engine.fire({
          event: "SubagentStart",
          emit,
          turnId: turnId(),
          matchValue: a.agentType,
          fields: { agent_id: a.agentId, agent_type: a.agentType },
        });
        return { additionalContext: r.additionalContexts };
      },
      async stop(a) {
        if (!engine.has("SubagentStop")) return { continueWith: null };
        const r = await engine.fire({
          event: "SubagentStop",
          emit,
          turnId: turnId(),
          matchValue: a.agentType,
          fields: {
            agent_id: a.agentId,
            agent_type: a.agentType,
            agent_transcript_path: a.agentTranscriptPath,
            stop_hook_active: a.stopHookActive,
            last_assistant_message: a.lastAssistantMessage,
          },
        });
        if (r.stop || r.blocks.length === 0) return { continueWith: null };
        return { continueWith: r.blocks.map((b) => `<hook_prompt hook_run_id="${b.runId}">${b.reason}</hook_prompt>`).join("\n") };
      },
    }),
    async permissionRequest(p) {
      if (!engine.has("PermissionRequest")) return undefined;
      const r = await engine.fire({
        event: "PermissionRequest",
        emit,
        ...signal(),
        turnId: turnId(),
        matchValue: p.toolName,
        matchAliases: matcherAliases(p.toolName),
        fields: { tool_name: p.toolName, tool_input: p.toolInput },
      });
      return r.permission;
    },
  };
}
