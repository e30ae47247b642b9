// How a tool handler reaches a server: by server name, with the call's context (for `_meta` and abort).
import type { ToolContext } from "../tools/contract.js";
import type { McpCallResult } from "./connection.js";

export interface McpCaller {
  callTool(o: {
    server: string;
    tool: string;
    args: Record<string, unknown>;
    ctx: ToolContext;
    resourceUri?: string;
  }): Promise<McpCallResult>;
  /** Resource requests (list/templates/read) on one server. */
  request<T>(server: string, ctx: ToolContext, run: (client: import("@modelcontextprotocol/sdk/client/index.js").Client) => Promise<T>): Promise<T>;
  serverNames(): string[];
}

/** `_meta` of a tools/call, in the reference's shape. */
export function callMeta(ctx: ToolContext, resourceUri: string | undefined): Record<string, unknown> {
  const turn = ctx.turn;
  return {
    callId: ctx.callId,
    ...(turn
      ? {
          "x-codex-turn-metadata": turn.metadata ?? { session_id: turn.threadId, thread_id: turn.threadId, turn_id: turn.turnId },
          threadId: turn.threadId,
          sessionId: turn.threadId,
          ...(typeof turn.metadata?.window_id === "string" ? { windowId: turn.metadata.window_id } : {}),
        }
      : {}),
    ...(ctx.itemId !== undefined ? { itemId: ctx.itemId } : {}),
    ...(resourceUri ? { resource_uri: resourceUri } : {}),
    ...(ctx.traceContext ? { traceparent: ctx.traceContext.traceparent } : {}),
    ...(ctx.traceContext?.tracestate ? { tracestate: ctx.traceContext.tracestate } : {}),
  };
}
