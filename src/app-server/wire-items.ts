import type { ThreadItem } from "../protocol/app-server/items.js";

// Item builders the mapper shares: the wire's agent message, command, MCP call and web search action.

export function agentMessage(id: string, text: string): ThreadItem {
  return { type: "agentMessage", id, text, phase: null, moderation: null, memoryCitation: null, delivery: null, questions: null };
}

export function commandItem(id: string, command: string, cwd: string): Extract<ThreadItem, { type: "commandExecution" }> {
  return {
    type: "commandExecution",
    id,
    pluginId: null,
    scriptPath: null,
    command,
    cwd,
    processId: null,
    source: "agent",
    status: "inProgress",
    commandActions: [{ type: "unknown", command }],
    aggregatedOutput: null,
    exitCode: null,
    durationMs: null,
  };
}

export function mcpItem(id: string, server: string, tool: string, args: unknown): Extract<ThreadItem, { type: "mcpToolCall" }> {
  return {
    type: "mcpToolCall",
    id,
    server,
    tool,
    status: "inProgress",
    arguments: args ?? null,
    appContext: null,
    mcpAppUi: null,
    pluginId: null,
    readOnlyHint: null,
    result: null,
    error: null,
    durationMs: null,
  };
}

export function webAction(action: Record<string, unknown>): Extract<ThreadItem, { type: "webSearch" }>["action"] {
  const str = (v: unknown) => (typeof v === "string" ? v : null);
  switch (action.type) {
    case "search":
      return { type: "search", query: str(action.query), queries: Array.isArray(action.queries) ? action.queries.map(String) : null };
    case "open_page":
      return { type: "openPage", url: str(action.url) };
    case "find_in_page":
      return { type: "findInPage", url: str(action.url), pattern: str(action.pattern) };
    default:
      return { type: "other" };
  }
}
