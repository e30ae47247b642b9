// Hook configuration as the engine sees it: handlers from every trusted hooks.json, in display order.

// In the reference's schema order: display order counts handlers in this order (observed: with
// PreToolUse, UserPromptSubmit and Stop handlers, the Stop handler's run id is `stop:2:…`).
export const HOOK_EVENTS = [
  "PreToolUse",
  "PermissionRequest",
  "PostToolUse",
  "PreCompact",
  "PostCompact",
  "SessionStart",
  "UserPromptSubmit",
  "SubagentStart",
  "SubagentStop",
  "Stop",
  "SessionEnd",
] as const;
export type HookEventName = (typeof HOOK_EVENTS)[number];

/** Events whose matcher is ignored (every handler runs). */
export const UNMATCHED_EVENTS: ReadonlySet<HookEventName> = new Set(["UserPromptSubmit", "Stop", "SessionEnd"]);

export const DEFAULT_HOOK_TIMEOUT_SEC = 600;
/** SessionEnd runs while the session closes: its timeouts are clamped. */
export const SESSION_END_TIMEOUT_SEC = 3;

export interface HookHandler {
  event: HookEventName;
  /** The group's matcher as written (undefined, "" and "*" match everything). */
  matcher?: string;
  /** Compiled matcher; null matches everything. */
  regex: RegExp | null;
  command: string;
  timeoutSec: number;
  statusMessage?: string;
  /** Absolute path of the file that defined it. */
  sourcePath: string;
  scope: "user" | "project";
  /** Position among all handlers, across events (schema order) and files (0-based). */
  displayOrder: number;
  /** Trust key: `<source path>:<event>:<group>:<handler>` (the `[hooks.state."<key>"]` entry). */
  key: string;
  /** Digest of the handler's definition; a user hook runs when `[hooks.state."<key>"] trusted_hash` equals it. */
  hash: string;
}

export type HookRunStatus = "running" | "completed" | "blocked" | "failed" | "stopped";

export interface HookOutputEntry {
  kind: "warning" | "feedback" | "error" | "context" | "stop";
  text: string;
}
