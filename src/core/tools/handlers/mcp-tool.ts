// One MCP server tool as a tool handler: the model calls `mcp__<server>__<tool>`, the server gets the
// original name, `_meta` with the turn's metadata, and the tool timeout. Begin/end events carry the result.
import { z } from "zod";
import type { McpToolInfo } from "../../mcp/connection.js";
import type { McpCaller } from "../../mcp/caller.js";
import { eventResultOf, modelOutputOf, scriptResultOf } from "../../mcp/result.js";
import { isApprovedDecision } from "../../../protocol/policy.js";
import { isPersonRefusal, type ApprovalOutcome, type McpToolApprovalMode, type McpToolHints } from "../../approval/contract.js";
import { defineTool, ToolError, type FunctionTool } from "../contract.js";

export function mcpToolHandler(o: {
  server: string;
  tool: McpToolInfo;
  qualifiedName: string;
  caller: McpCaller;
  /** The tool's configured approval mode (config.ts toolApprovalMode). */
  approvalMode: McpToolApprovalMode;
}): FunctionTool<Record<string, unknown>> {
  const { server, tool, caller } = o;
  const readOnly = tool.annotations?.readOnlyHint === true;
  const hints = hintsOf(tool);
  return defineTool<Record<string, unknown>>({
    name: o.qualifiedName,
    description: tool.description ?? "",
    args: z.record(z.string(), z.unknown()),
    parameters: tool.inputSchema,
    isMutating: () => !readOnly,
    async handle(args, ctx) {
      const hint = tool.annotations?.readOnlyHint;
      ctx.emit({ type: "mcp_tool_call_begin", callId: ctx.callId, server, tool: tool.name, arguments: args, ...(typeof hint === "boolean" ? { readOnlyHint: hint } : {}) });
      const started = Date.now();
      // Every call passes the approval gate (mcp-safety.ts decides from the mode, annotations and policy).
      const outcome = await ctx.approval.review(
        {
          kind: "mcp",
          callId: ctx.callId,
          server,
          tool: tool.name,
          qualifiedName: o.qualifiedName,
          arguments: args,
          approvalMode: o.approvalMode,
          ...(hints ? { annotations: hints } : {}),
          ...(tool.description ? { description: tool.description } : {}),
        },
        { signal: ctx.signal },
      );
      if (!isApprovedDecision(outcome.decision)) {
        if (ctx.signal.aborted) throw ToolError.abortTurn("MCP tool approval aborted");
        const refusal = refusalText(outcome);
        ctx.emit({ type: "mcp_tool_call_end", callId: ctx.callId, server, tool: tool.name, arguments: args, error: refusal });
        return { content: modelOutputOf({ content: [{ type: "text", text: refusal }] }, Date.now() - started), success: false };
      }
      try {
        const result = await caller.callTool({ server, tool: tool.name, args, ctx, resourceUri: resourceUriOf(tool) });
        ctx.emit({
          type: "mcp_tool_call_end",
          callId: ctx.callId,
          server,
          tool: tool.name,
          arguments: args,
          result: eventResultOf(result),
          ...(result.isError ? { isError: true } : {}),
        });
        return { content: modelOutputOf(result, Date.now() - started), success: result.isError !== true, structured: scriptResultOf(result) };
      } catch (err) {
        if (ctx.signal.aborted) throw err;
        const message = err instanceof Error ? err.message : String(err);
        ctx.emit({ type: "mcp_tool_call_end", callId: ctx.callId, server, tool: tool.name, arguments: args, error: message });
        return { content: `tool call error: ${message}`, success: false };
      }
    },
  });
}

/** What the model (and the failed item) is told when the call did not run, in the reference's words. */
function refusalText(outcome: ApprovalOutcome): string {
  if (outcome.decision === "abort") return "user cancelled MCP tool call";
  return isPersonRefusal(outcome) ? "user rejected MCP tool call" : (outcome.reason ?? "user rejected MCP tool call");
}

function hintsOf(tool: McpToolInfo): McpToolHints | undefined {
  const a = tool.annotations;
  if (!a) return undefined;
  const hints: McpToolHints = {};
  for (const key of ["readOnlyHint", "destructiveHint", "openWorldHint"] as const) {
    if (typeof a[key] === "boolean") hints[key] = a[key] as boolean;
  }
  return hints;
}

/**
 * The UI resource a tool declares (`_meta.ui.resourceUri`, MCP Apps). The reference 0.169 sends it only with
 * its apps feature on; we send it whenever the tool has one.
 */
function resourceUriOf(tool: McpToolInfo): string | undefined {
  const ui = tool._meta?.ui as { resourceUri?: unknown } | undefined;
  return typeof ui?.resourceUri === "string" ? ui.resourceUri : undefined;
}
