import type { EventMsg, HookRunSummary } from "../../protocol/events.js";
import type { StdinPipeSource } from "../exec/stdin-pipe.js";
import { runHookCommand } from "./command-runner.js";
import { snakeEvent } from "./discover.js";
import { interpretHookRun, type HookRunOutcome } from "./outcome.js";
import { SESSION_END_TIMEOUT_SEC, UNMATCHED_EVENTS, type HookEventName, type HookHandler } from "./types.js";

// The hook engine: for one event, select the matching handlers, run them (concurrently, reported in
// file order), emit hook_started/hook_completed for each, and fold their outcomes into one report.

export interface HookSession {
  sessionId: string;
  /** The rollout path (known once the thread is open), or null for ephemeral sessions. */
  transcriptPath(): string | null;
  cwd: string;
  model: string;
  /** `default|acceptEdits|plan|dontAsk|bypassPermissions`. */
  permissionMode: string;
  /** The filtered child environment (no API keys). */
  env: Record<string, string>;
}

export interface HookFire {
  event: HookEventName;
  emit(msg: EventMsg): void;
  turnId?: string;
  /** What the matcher is tested against: the tool name, SessionStart's source, the compaction trigger. */
  matchValue?: string;
  /** Other names that select the same handlers (never in the payload): `Write`/`Edit` for apply_patch. */
  matchAliases?: readonly string[];
  /** Event-specific payload fields (snake_case). */
  fields: Record<string, unknown>;
  /** The turn's signal: an interrupt kills running hooks. */
  signal?: AbortSignal;
}

export interface HookRunResult {
  handler: HookHandler;
  outcome: HookRunOutcome;
  summary: HookRunSummary;
}

export interface HookReport {
  runs: HookRunResult[];
  /** Blocking runs in file order: the run's id and its reason. */
  blocks: Array<{ runId: string; reason: string }>;
  additionalContexts: string[];
  stop?: { reason: string };
  permission?: { behavior: "allow" | "deny"; message?: string };
  /** The last PreToolUse `updatedInput` of the runs. */
  updatedInput?: Record<string, unknown>;
}

export interface HookEngine {
  /** Whether any handler is configured for `event` (cheap check before building a payload). */
  has(event: HookEventName): boolean;
  fire(o: HookFire): Promise<HookReport>;
}

export function createHookEngine(o: {
  handlers: readonly HookHandler[];
  session: HookSession;
  now?: () => number;
  /** Where the hooks' stdin pipes come from, owned (and disposed) by the caller; default: one made per command. */
  stdinPipes?: StdinPipeSource;
}): HookEngine {
  const now = o.now ?? Date.now;
  const { stdinPipes } = o;
  const matches = (h: HookHandler, value: string | undefined): boolean =>
    UNMATCHED_EVENTS.has(h.event) || h.regex === null || (value !== undefined && h.regex.test(value));

  return {
    has: (event) => o.handlers.some((h) => h.event === event),
    async fire(f) {
      const selected = o.handlers.filter(
        (h) => h.event === f.event && (matches(h, f.matchValue) || (f.matchAliases ?? []).some((alias) => matches(h, alias))),
      );
      const report: HookReport = { runs: [], blocks: [], additionalContexts: [] };
      if (selected.length === 0) return report;
      const s = o.session;
      // Key order as the reference writes it.
      const payload = JSON.stringify({
        session_id: s.sessionId,
        ...(f.turnId !== undefined ? { turn_id: f.turnId } : {}),
        transcript_path: s.transcriptPath(),
        cwd: s.cwd,
        hook_event_name: f.event,
        ...(f.event === "SessionEnd" ? {} : { model: s.model, permission_mode: s.permissionMode }),
        ...f.fields,
      });
      const runs = selected.map((handler) => {
        const summary: HookRunSummary = {
          id: `${snakeEvent(f.event)}:${handler.displayOrder}:${handler.sourcePath}`,
          eventName: f.event,
          scope: handler.scope,
          sourcePath: handler.sourcePath,
          displayOrder: handler.displayOrder,
          command: handler.command,
          ...(handler.statusMessage !== undefined ? { statusMessage: handler.statusMessage } : {}),
          status: "running",
          turnId: f.turnId ?? null,
          startedAt: now(),
          entries: [],
        };
        f.emit({ type: "hook_started", run: summary });
        const timeoutSec = f.event === "SessionEnd" ? Math.min(handler.timeoutSec, SESSION_END_TIMEOUT_SEC) : handler.timeoutSec;
        return runHookCommand({ command: handler.command, cwd: s.cwd, env: s.env, stdin: payload, timeoutMs: timeoutSec * 1000, now, ...(f.signal ? { signal: f.signal } : {}), ...(stdinPipes ? { stdinPipes } : {}) })
          .then((result) => ({ handler, summary, outcome: interpretHookRun(f.event, result), durationMs: result.durationMs }));
      });
      for (const done of await Promise.all(runs)) {
        const summary: HookRunSummary = {
          ...done.summary,
          status: done.outcome.status,
          durationMs: done.durationMs,
          entries: done.outcome.entries,
        };
        f.emit({ type: "hook_completed", run: summary });
        report.runs.push({ handler: done.handler, outcome: done.outcome, summary });
        const out = done.outcome;
        if (out.block !== undefined) report.blocks.push({ runId: summary.id, reason: out.block });
        if (out.additionalContext !== undefined) report.additionalContexts.push(out.additionalContext);
        if (out.stop && !report.stop) report.stop = out.stop;
        if (out.updatedInput) report.updatedInput = out.updatedInput;
        // As the reference folds them: any deny wins; otherwise the last (most specific) allow.
        if (out.permission && report.permission?.behavior !== "deny") report.permission = out.permission;
      }
      return report;
    },
  };
}
