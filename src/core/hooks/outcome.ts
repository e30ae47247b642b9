import type { HookCommandResult } from "./command-runner.js";
import type { HookEventName, HookOutputEntry, HookRunStatus } from "./types.js";

// What one hook run means: exit 2 blocks with stderr; exit 0 with JSON is read against the event's
// output keys; plain text is context for SessionStart/UserPromptSubmit; any other failure is a
// non-blocking error (the run goes on as if the hook did nothing).

export interface HookRunOutcome {
  status: HookRunStatus;
  entries: HookOutputEntry[];
  /** Block / deny / continue-with reason. */
  block?: string;
  additionalContext?: string;
  /** `continue: false`: the agent stops (stopReason shown). */
  stop?: { reason: string };
  systemMessage?: string;
  /** PermissionRequest's answer. */
  permission?: { behavior: "allow" | "deny"; message?: string };
  /** PreToolUse `permissionDecision: "allow"` with `updatedInput`: the call runs with this input instead. */
  updatedInput?: Record<string, unknown>;
}

const CONTEXT_FROM_TEXT: ReadonlySet<HookEventName> = new Set(["SessionStart", "UserPromptSubmit"]);
const BLOCKING: ReadonlySet<HookEventName> = new Set(["PreToolUse", "PostToolUse", "UserPromptSubmit", "Stop", "SubagentStop"]);

export function interpretHookRun(event: HookEventName, run: HookCommandResult): HookRunOutcome {
  if (run.spawnError !== undefined) return failed(`hook could not start: ${run.spawnError}`);
  if (run.timedOut) return failed(`hook timed out`);
  if (run.exitCode === 2) {
    const reason = run.stderr.trim();
    // As 0.169: exit 2 from a PermissionRequest hook denies, with stderr as the message.
    if (event === "PermissionRequest") {
      if (reason === "") return failed("PermissionRequest hook exited with code 2 but did not write a denial reason to stderr");
      return { status: "blocked", entries: [{ kind: "feedback", text: reason }], permission: { behavior: "deny", message: reason } };
    }
    if (!BLOCKING.has(event)) return failed(`hook exited with code 2: ${reason}`);
    if (reason === "") return failed(`hook exited with code 2 but wrote no reason on stderr`);
    return { status: "blocked", entries: [{ kind: "feedback", text: reason }], block: reason };
  }
  if (run.exitCode !== 0) {
    const detail = run.stderr.trim();
    return failed(`hook exited with code ${run.exitCode ?? "?"}${detail ? `: ${detail}` : ""}`);
  }
  const text = run.stdout.trim();
  if (text === "") return { status: "completed", entries: [] };
  if (!text.startsWith("{")) {
    if (CONTEXT_FROM_TEXT.has(event)) {
      return { status: "completed", entries: [{ kind: "context", text }], additionalContext: text };
    }
    // Observed in 0.169: plain text from a Stop hook is a failed run (invalid JSON), not ignored.
    return failed(`hook returned invalid ${event} JSON output`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return failed(`hook returned invalid ${event} JSON output`);
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) return failed(`hook returned invalid ${event} JSON output`);
  return fromJson(event, json as Record<string, unknown>);
}

function fromJson(event: HookEventName, j: Record<string, unknown>): HookRunOutcome {
  const out: HookRunOutcome = { status: "completed", entries: [] };
  const str = (v: unknown): string | undefined => (typeof v === "string" && v.trim() !== "" ? v : undefined);
  const specific = typeof j["hookSpecificOutput"] === "object" && j["hookSpecificOutput"] !== null
    ? (j["hookSpecificOutput"] as Record<string, unknown>)
    : {};
  const systemMessage = str(j["systemMessage"]);
  if (systemMessage !== undefined) {
    out.systemMessage = systemMessage;
    out.entries.push({ kind: "warning", text: systemMessage });
  }
  const context = str(specific["additionalContext"]);
  if (context !== undefined && event !== "PreToolUse") {
    out.additionalContext = context;
    out.entries.push({ kind: "context", text: context });
  }
  const reason = str(j["reason"]);
  if (event === "PreToolUse") {
    const decision = specific["permissionDecision"];
    if (decision === "deny") {
      const why = str(specific["permissionDecisionReason"]);
      if (why === undefined) return failed("PreToolUse hook denied without permissionDecisionReason");
      return block(out, why);
    }
    // As 0.169: `allow` rewrites the call with `updatedInput` (required); `ask`, or updatedInput alone, is a failed run.
    const updated = specific["updatedInput"];
    const isObject = typeof updated === "object" && updated !== null && !Array.isArray(updated);
    if (decision === "allow") {
      if (!isObject) return failed("PreToolUse hook returned permissionDecision allow without updatedInput");
      out.updatedInput = updated as Record<string, unknown>;
    } else if (decision === "ask") {
      return failed("PreToolUse hook returned unsupported permissionDecision ask");
    } else if (updated !== undefined) {
      return failed("PreToolUse hook returned updatedInput without permissionDecision allow");
    }
    if (j["continue"] === false) out.entries.push({ kind: "error", text: "continue:false is not supported for PreToolUse; ignored" });
  }
  if (event === "PermissionRequest") {
    const d = typeof specific["decision"] === "object" && specific["decision"] !== null ? (specific["decision"] as Record<string, unknown>) : {};
    if (d["behavior"] === "allow" || d["behavior"] === "deny") {
      const message = str(d["message"]);
      out.permission = { behavior: d["behavior"], ...(message !== undefined ? { message } : {}) };
      if (d["behavior"] === "deny") {
        out.status = "blocked";
        if (message !== undefined) out.entries.push({ kind: "feedback", text: message });
      }
    }
  }
  // `continue: false` wins over a decision: the agent stops quietly.
  if (j["continue"] === false && event !== "PreToolUse") {
    const stopReason = str(j["stopReason"]) ?? "";
    out.stop = { reason: stopReason };
    out.status = "stopped";
    if (stopReason) out.entries.push({ kind: "stop", text: stopReason });
    return out;
  }
  if (j["decision"] === "block" && BLOCKING.has(event)) {
    if (reason === undefined) return failed(`${event} hook blocked without a reason`);
    return block(out, reason);
  }
  return out;
}

function block(out: HookRunOutcome, reason: string): HookRunOutcome {
  return { ...out, status: "blocked", block: reason, entries: [...out.entries, { kind: "feedback", text: reason }] };
}

function failed(text: string): HookRunOutcome {
  return { status: "failed", entries: [{ kind: "error", text }] };
}
