import { z } from "zod";
import type { ServerRequestDef } from "./jsonrpc.js";

// `mcpServer/elicitation/request`: a question from an MCP server (or Codex's own MCP tool-call approval form)
// asked of the client; the answer's action is accept / decline / cancel.

const PrimitiveSchema = z.record(z.string(), z.unknown()).meta({ id: "McpElicitationPrimitiveSchema" });

export const McpElicitationSchema = z
  .object({
    $schema: z.string().optional(),
    type: z.literal("object"),
    properties: z.record(z.string(), PrimitiveSchema),
    required: z.array(z.string()).optional(),
  })
  .meta({ id: "McpElicitationSchema" });

const common = { threadId: z.string(), turnId: z.string().nullable(), serverName: z.string() };
const form = { _meta: z.unknown(), message: z.string() };

export const McpServerElicitationRequestParams = z
  .discriminatedUnion("mode", [
    z.object({ ...common, mode: z.literal("form"), ...form, requestedSchema: McpElicitationSchema }),
    z.object({ ...common, mode: z.literal("openai/form"), ...form, requestedSchema: z.unknown() }),
    z.object({ ...common, mode: z.literal("openaiForm"), ...form, requestedSchema: z.unknown() }),
    z.object({ ...common, mode: z.literal("url"), ...form, url: z.string(), elicitationId: z.string() }),
  ])
  .meta({ id: "McpServerElicitationRequestParams" });
export type McpServerElicitationRequestParams = z.infer<typeof McpServerElicitationRequestParams>;

export const McpServerElicitationAction = z.enum(["accept", "decline", "cancel"]).meta({ id: "McpServerElicitationAction" });

export const McpServerElicitationRequestResponse = z
  .object({
    action: McpServerElicitationAction,
    content: z.unknown().optional(),
    _meta: z.unknown().optional(),
  })
  .meta({ id: "McpServerElicitationRequestResponse" });
export type McpServerElicitationRequestResponse = z.infer<typeof McpServerElicitationRequestResponse>;

export const mcpServerElicitationRequest: ServerRequestDef<McpServerElicitationRequestParams, McpServerElicitationRequestResponse> = {
  method: "mcpServer/elicitation/request",
  params: McpServerElicitationRequestParams,
  result: McpServerElicitationRequestResponse,
};
