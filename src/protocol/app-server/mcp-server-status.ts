import { z } from "zod";

// `mcpServerStatus/list` (v2), as the reference's generated schema has it.

export const ListMcpServerStatusParams = z.object({
  cursor: z.string().nullish(),
  limit: z.number().int().min(0).nullish(),
  detail: z.enum(["full", "toolsAndAuthOnly"]).nullish(),
  threadId: z.string().nullish(),
  serverName: z.string().nullish(),
}).meta({ id: "ListMcpServerStatusParams" });
export type ListMcpServerStatusParams = z.infer<typeof ListMcpServerStatusParams>;

export const McpTool = z.object({
  name: z.string(),
  title: z.string().optional(),
  description: z.string().optional(),
  inputSchema: z.unknown(),
  outputSchema: z.unknown().optional(),
  annotations: z.unknown().optional(),
  icons: z.array(z.unknown()).optional(),
  _meta: z.unknown().optional(),
});

export const McpServerStatus = z.object({
  name: z.string(),
  runtimeStatus: z
    .enum(["notStarted", "starting", "connected", "authenticationRequired", "failed", "cancelled", "disabled"])
    .nullable(),
  pluginId: z.string().nullable(),
  httpOrigin: z.string().nullable(),
  serverInfo: z
    .object({
      name: z.string(),
      title: z.string().nullable(),
      version: z.string(),
      description: z.string().nullable(),
      icons: z.array(z.unknown()).nullable(),
      websiteUrl: z.string().nullable(),
    })
    .nullable(),
  serverCapabilities: z.unknown().nullable(),
  toolListMeta: z.unknown().nullable(),
  tools: z.record(z.string(), McpTool),
  toolsError: z.string().nullable(),
  resources: z.array(z.object({ name: z.string(), uri: z.string() }).loose()),
  resourceTemplates: z.array(z.object({ name: z.string(), uriTemplate: z.string() }).loose()),
  authStatus: z.enum(["unknown", "unsupported", "notLoggedIn", "bearerToken", "oAuth"]),
}).meta({ id: "McpServerStatus" });
export type McpServerStatus = z.infer<typeof McpServerStatus>;

export const ListMcpServerStatusResponse = z.object({ data: z.array(McpServerStatus), nextCursor: z.string().nullable() }).meta({ id: "ListMcpServerStatusResponse" });
export type ListMcpServerStatusResponse = z.infer<typeof ListMcpServerStatusResponse>;
