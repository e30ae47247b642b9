import type { TokenUsage, UserInput } from "../protocol/items.js";
import type { FileChangeSummary, HookRunSummary, TurnError as CoreTurnError } from "../protocol/events.js";
import type { AskForApproval, SandboxPolicy } from "../protocol/policy.js";
import type { AskForApprovalWire, SandboxPolicyWire, TokenUsageBreakdown, UserInputWire } from "../protocol/app-server/common.js";
import type { FileUpdateChange } from "../protocol/app-server/items.js";
import type { HookRunSummaryWire } from "../protocol/app-server/notifications.js";
import type { CodexErrorInfo, TurnError } from "../protocol/app-server/turn.js";

// Pure conversions between core's shapes and the v2 wire's.

export function usageWire(u: TokenUsage): TokenUsageBreakdown {
  return {
    totalTokens: u.total_tokens,
    inputTokens: u.input_tokens,
    cachedInputTokens: u.cached_input_tokens,
    cacheWriteInputTokens: 0,
    outputTokens: u.output_tokens,
    reasoningOutputTokens: u.reasoning_output_tokens,
  };
}

export function userInputToCore(input: readonly UserInputWire[]): UserInput[] {
  return input.flatMap((i): UserInput[] => {
    switch (i.type) {
      case "text":
        return [{ type: "text", text: i.text }];
      case "localImage":
        return [{ type: "local_image", path: i.path }];
      case "image":
        return "url" in i ? [{ type: "image", image_url: i.url }] : [];
      case "skill":
      case "mention":
        return [{ type: "text", text: `${i.name}: ${i.path}` }];
    }
  });
}

export function sandboxWire(p: SandboxPolicy): SandboxPolicyWire {
  switch (p.mode) {
    case "danger-full-access":
      return { type: "dangerFullAccess" };
    case "read-only":
      return { type: "readOnly", networkAccess: p.networkAccess };
    case "workspace-write":
      return {
        type: "workspaceWrite",
        writableRoots: p.writableRoots,
        networkAccess: p.networkAccess,
        excludeTmpdirEnvVar: p.excludeTmpdirEnvVar,
        excludeSlashTmp: p.excludeSlashTmp,
      };
  }
}

export const approvalWire = (p: AskForApproval): AskForApprovalWire => p;

/** The wire's approval policy as core's (granular policies are not in core yet: they ask, as on-request). */
export function approvalToCore(p: AskForApprovalWire): AskForApproval {
  return typeof p === "string" ? p : "on-request";
}

export function codexErrorInfo(e: CoreTurnError): CodexErrorInfo {
  const status = { httpStatusCode: e.httpStatus ?? null };
  switch (e.kind) {
    case "unauthorized":
      return "unauthorized";
    case "quota_exceeded":
    case "usage_not_included":
      return "usageLimitExceeded";
    case "rate_limited":
      return "rateLimitExceeded";
    case "context_window_exceeded":
      return "contextWindowExceeded";
    case "invalid_request":
    case "input_too_large":
      return "badRequest";
    case "server_error":
      return { responseTooManyFailedAttempts: status };
    case "network":
      return { httpConnectionFailed: status };
    case "stream_disconnected":
    case "idle_timeout":
      return { responseStreamDisconnected: status };
    case "internal":
      return "other";
  }
}

export function turnErrorWire(e: CoreTurnError): TurnError {
  return { message: e.message, codexErrorInfo: codexErrorInfo(e), additionalDetails: null };
}

export function fileChangesWire(changes: readonly FileChangeSummary[]): FileUpdateChange[] {
  return changes.map((c) => ({
    path: c.path,
    kind: c.kind === "update" ? { type: "update", move_path: c.movedFrom !== undefined ? c.path : null } : { type: c.kind },
    diff: c.unifiedDiff ?? "",
  }));
}

const HOOK_EVENTS: Record<string, HookRunSummaryWire["eventName"]> = {
  PreToolUse: "preToolUse",
  PostToolUse: "postToolUse",
  PermissionRequest: "permissionRequest",
  PreCompact: "preCompact",
  PostCompact: "postCompact",
  SessionStart: "sessionStart",
  SessionEnd: "sessionEnd",
  UserPromptSubmit: "userPromptSubmit",
  SubagentStart: "subagentStart",
  SubagentStop: "subagentStop",
  Stop: "stop",
};

export function hookRunWire(run: HookRunSummary): HookRunSummaryWire {
  const camel = HOOK_EVENTS[run.eventName] ?? ((run.eventName.charAt(0).toLowerCase() + run.eventName.slice(1)) as HookRunSummaryWire["eventName"]);
  const ended = run.durationMs !== undefined;
  return {
    id: run.id,
    eventName: camel,
    handlerType: "command",
    executionMode: "sync",
    scope: run.turnId === null ? "thread" : "turn",
    sourcePath: run.sourcePath,
    source: run.scope,
    displayOrder: run.displayOrder,
    status: run.status,
    statusMessage: run.statusMessage ?? null,
    startedAt: run.startedAt,
    completedAt: ended ? run.startedAt + run.durationMs! : null,
    durationMs: run.durationMs ?? null,
    entries: run.entries.map((e) => ({ kind: e.kind, text: e.text })),
  };
}
