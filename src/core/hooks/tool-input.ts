import { qualifiedCallName, type ResponseItem, type ToolCallItem } from "../../protocol/items.js";
import type { ProposedAction } from "../approval/contract.js";

// How a tool call looks to a hook: shell commands are `Bash` with {command: "<string>"}, patches are
// `apply_patch` with {command: "<patch>"}, MCP tools keep their `mcp__server__tool` name.

const SHELL_TOOLS = new Set(["shell", "shell_command", "exec_command", "local_shell"]);

/** Claude-Code-style names a matcher may use for a tool (0.169: `Write` and `Edit` for apply_patch); payloads keep the real name. */
const MATCHER_ALIASES: Readonly<Record<string, readonly string[]>> = { apply_patch: ["Write", "Edit"], spawn_agent: ["Agent"] };

export function matcherAliases(toolName: string): readonly string[] {
  return MATCHER_ALIASES[toolName] ?? [];
}

export function hookToolView(call: ToolCallItem): { toolName: string; toolInput: Record<string, unknown>; display: string } {
  const raw = call.type === "custom_tool_call" ? (call as { input?: unknown }).input : (call as { arguments?: unknown }).arguments;
  let args: Record<string, unknown> = {};
  if (call.type === "function_call" && typeof raw === "string") {
    try {
      const parsed: unknown = JSON.parse(raw);
      if (typeof parsed === "object" && parsed !== null) args = parsed as Record<string, unknown>;
    } catch {
      args = {};
    }
  }
  if (SHELL_TOOLS.has(call.name)) {
    const c = args["cmd"] ?? args["command"];
    const command = Array.isArray(c) ? c.map(String).join(" ") : typeof c === "string" ? c : "";
    return { toolName: "Bash", toolInput: { command }, display: command };
  }
  if (call.name === "apply_patch") {
    const patch = call.type === "custom_tool_call" ? String(raw ?? "") : String(args["input"] ?? args["patch"] ?? "");
    return { toolName: "apply_patch", toolInput: { command: patch }, display: patch };
  }
  // A deferred MCP tool comes back as namespace + name; hooks match the qualified `mcp__server__tool`.
  const name = qualifiedCallName(call);
  return { toolName: name, toolInput: call.type === "custom_tool_call" ? { input: String(raw ?? "") } : args, display: name };
}

/** The text of a tool output item (what PostToolUse receives as tool_response). */
export function outputText(output: ResponseItem): string {
  const o = (output as { output?: unknown }).output;
  if (typeof o === "string") return o;
  if (Array.isArray(o)) return o.map((p) => (typeof p === "object" && p !== null && typeof (p as { text?: unknown }).text === "string" ? (p as { text: string }).text : "")).join("");
  if (typeof o === "object" && o !== null && typeof (o as { content?: unknown }).content === "string") return (o as { content: string }).content;
  return "";
}

/** How an action the approval gate would ask about looks to a PermissionRequest hook. */
export function permissionView(action: ProposedAction): { toolName: string; toolInput: Record<string, unknown> } {
  if (action.kind === "exec") {
    const [a, b, c] = action.argv;
    const command = action.argv.length === 3 && /(^|\/)(ba|z)?sh$/.test(a ?? "") && (b === "-lc" || b === "-c") ? (c ?? "") : action.argv.join(" ");
    return { toolName: "Bash", toolInput: { command, ...(action.justification ? { description: action.justification } : {}) } };
  }
  if (action.kind === "mcp") return { toolName: action.qualifiedName, toolInput: action.arguments };
  return { toolName: "apply_patch", toolInput: { command: action.changes?.map((c) => c.unifiedDiff ?? c.path).join("\n") ?? action.paths.join("\n") } };
}

/**
 * The call a PreToolUse hook's `updatedInput` asks for (same id): shell tools and apply_patch take its string
 * `command` (0.169 refuses the call without one, with this text), other tools take it as their arguments.
 */
export function rewrittenCall(call: ToolCallItem, updated: Record<string, unknown>): { call: ToolCallItem } | { refusal: string } {
  const command = updated["command"];
  const raw = (call as { arguments?: unknown }).arguments;
  let args: Record<string, unknown> = {};
  if (call.type === "function_call" && typeof raw === "string") {
    try {
      const parsed: unknown = JSON.parse(raw);
      if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) args = parsed as Record<string, unknown>;
    } catch {
      args = {};
    }
  }
  const withArgs = (next: Record<string, unknown>): { call: ToolCallItem } => ({ call: { ...call, arguments: JSON.stringify(next) } as ToolCallItem });
  if (SHELL_TOOLS.has(call.name) || call.name === "apply_patch") {
    if (typeof command !== "string") return { refusal: "hook returned updatedInput without string field `command`" };
    if (call.type === "custom_tool_call") return { call: { ...call, input: command } as ToolCallItem };
    if (call.name === "apply_patch") return withArgs({ ...args, input: command });
    if (call.name === "exec_command") return withArgs({ ...args, cmd: command });
    if (call.name === "shell_command") return withArgs({ ...args, command });
    return withArgs({ ...args, command: ["bash", "-lc", command] });
  }
  if (call.type === "custom_tool_call") return typeof updated["input"] === "string" ? { call: { ...call, input: updated["input"] } as ToolCallItem } : { call };
  return withArgs(updated);
}
