// One MCP server tool as a tool handler: the model calls `mcp__<server>__<tool>`, the server gets the
// original name, `_meta` with the turn's metadata, and the tool timeout. Begin/end events carry the result.
import { z } from "zod";
import type { McpToolInfo } from "../../mcp/connection.js";
import type { McpCaller } from "../../mcp/caller.js";
import { eventResultOf, modelOutputOf, scriptResultOf } from "../../mcp/result.js";
import { defineTool, type FunctionTool } from "../contract.js";

export function mcpToolHandler(o: { server: string; tool: McpToolInfo; qualifiedName: string; caller: McpCaller }): FunctionTool<Record<string, unknown>> {
  const { server, tool, caller } = o;
  const readOnly = tool.annotations?.readOnlyHint === true;
  return defineTool<Record<string, unknown>>({
    name: o.qualifiedName,
    description: tool.description ?? "",
    args: z.record(z.string(), z.unknown()),
    parameters: tool.inputSchema,
    isMutating: () => !readOnly,
    async handle(args, ctx) {
      ctx.emit({ type: "mcp_tool_call_begin", callId: ctx.callId, server, tool: tool.name, arguments: args });
      const started = Date.now();
      const refusal = approvalRefusal({ readOnly, ctx });
      if (refusal) {
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

/**
 * A tool that does not declare `readOnlyHint: true` needs approval, as in the reference; where nobody can
 * be asked (approval policy `never`, e.g. exec) it is refused with the reference's text. Full access
 * (`--dangerously-bypass-approvals-and-sandbox`) runs it. Asking a person for other policies is not
 * wired yet (the gate has no MCP action): those run it.
 */
function approvalRefusal(o: { readOnly: boolean; ctx: { approvalPolicy: string; sandboxPolicy: { mode: string } } }): string | undefined {
  if (o.readOnly || o.ctx.approvalPolicy !== "never" || o.ctx.sandboxPolicy.mode === "danger-full-access") return undefined;
  return "MCP tool call requires approval, but approval policy is never";
}

/**
 * The UI resource a tool declares (`_meta.ui.resourceUri`, MCP Apps). The reference 0.169 sends it only with
 * its apps feature on; we send it whenever the tool has one.
 */
function resourceUriOf(tool: McpToolInfo): string | undefined {
  const ui = tool._meta?.ui as { resourceUri?: unknown } | undefined;
  return typeof ui?.resourceUri === "string" ? ui.resourceUri : undefined;
}
