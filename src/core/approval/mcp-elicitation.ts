import type { EventMsg } from "../../protocol/events.js";
import type { ReviewDecision } from "../../protocol/policy.js";

// The reference asks about an MCP tool call as an MCP elicitation form (0.169: `tool_call_mcp_elicitation`,
// on by default): an empty schema, the question as `message`, what to show in `_meta`. Front ends that speak
// elicitation (app-server's mcpServer/elicitation/request, `codex mcp-server`) build it and read the answer here.

export type McpToolApprovalRequest = Extract<EventMsg, { type: "mcp_tool_call_approval_request" }>;

export interface McpApprovalElicitation {
  message: string;
  requestedSchema: { type: "object"; properties: Record<string, never> };
  _meta: Record<string, unknown>;
}

export function mcpApprovalElicitation(req: McpToolApprovalRequest): McpApprovalElicitation {
  return {
    message: req.message,
    requestedSchema: { type: "object", properties: {} },
    _meta: {
      codex_approval_kind: "mcp_tool_call",
      ...(req.persist !== undefined ? { persist: req.persist } : {}),
      ...(req.toolDescription !== undefined ? { tool_description: req.toolDescription } : {}),
      tool_params: req.arguments,
      tool_params_display: Object.keys(req.arguments)
        .sort()
        .map((name) => ({ name, value: req.arguments[name], display_name: name })),
    },
  };
}

/**
 * The decision for an elicitation answer: accept runs the call (`_meta.persist` "session" remembers it for
 * the session, "always" in config.toml), decline refuses it, cancel (or anything else) aborts it.
 */
export function mcpApprovalDecision(answer: { action?: string; _meta?: Record<string, unknown> | null }): ReviewDecision {
  switch (answer.action) {
    case "accept": {
      const persist = answer._meta?.["persist"];
      if (persist === "session") return "approved_for_session";
      return persist === "always" ? "approved_execpolicy_amendment" : "approved";
    }
    case "decline":
      return "denied";
    default:
      return "abort";
  }
}
