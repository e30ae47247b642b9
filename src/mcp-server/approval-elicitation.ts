import { z } from "zod";
import type { EventMsg } from "../protocol/events.js";
import { ReviewDecision } from "../protocol/policy.js";
import { mcpApprovalDecision, mcpApprovalElicitation } from "../core/index.js";

// Approvals of a turn run from `codex mcp-server` are asked of the MCP client with `elicitation/create`
// (when it declared the elicitation capability), with the reference's extra fields so a client can tie
// the ask to its tool call: `codex_elicitation` ("exec-approval" | "patch-approval"), `codex_call_id`...
// The answer may be the reference's `{decision}` or a standard ElicitResult (`accept` = approved,
// `decline` = denied, `cancel` = abort); anything else is denied. MCP tool approvals use the reference's
// form (`codex_approval_kind: "mcp_tool_call"`, `tool_params`, `persist`).

export type ApprovalRequest = Extract<
  EventMsg,
  { type: "exec_approval_request" | "apply_patch_approval_request" | "mcp_tool_call_approval_request" }
>;

export function isApprovalRequest(msg: EventMsg): msg is ApprovalRequest {
  return msg.type === "exec_approval_request" || msg.type === "apply_patch_approval_request" || msg.type === "mcp_tool_call_approval_request";
}

/** Shell-quotes one word the way a person would type it. */
function quote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

export function elicitationParams(
  req: ApprovalRequest,
  o: { threadId: string; toolCallId: string; eventId: string },
): Record<string, unknown> {
  const { message, requestedSchema, ...vendor } = vendorParams(req, o);
  // The reference puts its fields beside `message`; SDK clients strip unknown params, so `_meta`
  // carries the same fields for them.
  return { message, requestedSchema, ...vendor, _meta: vendor };
}

function vendorParams(
  req: ApprovalRequest,
  o: { threadId: string; toolCallId: string; eventId: string },
): Record<string, unknown> {
  const common = {
    requestedSchema: { type: "object", properties: {} },
    threadId: o.threadId,
    codex_mcp_tool_call_id: o.toolCallId,
    codex_event_id: o.eventId,
    codex_call_id: req.callId,
  };
  if (req.type === "mcp_tool_call_approval_request") {
    // The reference's MCP tool approval form (core's mcpApprovalElicitation), plus which server and tool.
    const form = mcpApprovalElicitation(req);
    return {
      message: form.message,
      ...common,
      codex_elicitation: "mcp-tool-call-approval",
      server_name: req.server,
      tool_name: req.tool,
      ...form._meta,
    };
  }
  if (req.type === "exec_approval_request") {
    return {
      message: `Allow Codex to run \`${req.command.map(quote).join(" ")}\` in \`${req.cwd}\`?`,
      ...common,
      codex_elicitation: "exec-approval",
      codex_command: req.command,
      codex_cwd: req.cwd,
      ...(req.reason !== undefined ? { codex_reason: req.reason } : {}),
    };
  }
  return {
    message: [...(req.reason !== undefined ? [req.reason] : []), "Allow Codex to apply proposed code changes?"].join("\n"),
    ...common,
    codex_elicitation: "patch-approval",
    codex_reason: req.reason ?? null,
    codex_changes: Object.fromEntries(req.changes.map((c) => [c.path, c])),
  };
}

export const ElicitationAnswer = z.looseObject({
  action: z.string().optional(),
  decision: z.unknown().optional(),
  content: z.record(z.string(), z.unknown()).optional(),
  _meta: z.record(z.string(), z.unknown()).optional(),
});

export function decisionOf(answer: z.infer<typeof ElicitationAnswer>): ReviewDecision {
  const direct = ReviewDecision.safeParse(answer.decision ?? answer.content?.["decision"]);
  if (direct.success) return direct.data;
  // accept / decline / cancel as core reads an MCP approval answer (`_meta.persist` remembers it); anything
  // else is denied.
  return answer.action === "accept" || answer.action === "decline" || answer.action === "cancel" ? mcpApprovalDecision(answer) : "denied";
}
