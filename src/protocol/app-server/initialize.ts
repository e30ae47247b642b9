import { z } from "zod";

// `initialize`: the first request of every connection.

export const ClientInfo = z.object({ name: z.string(), title: z.string().nullable().optional(), version: z.string() }).meta({ id: "ClientInfo" });
export type ClientInfo = z.infer<typeof ClientInfo>;

export const InitializeCapabilities = z
  .object({
    experimentalApi: z.boolean().default(false),
    requestAttestation: z.boolean().default(false),
    requiredHumanApproval: z.boolean().optional(),
    explicitGatewayOauth: z.boolean().optional(),
    mcpServerOpenaiFormElicitation: z.boolean().optional(),
    /** Exact notification method names this connection does not want. */
    optOutNotificationMethods: z.array(z.string()).nullable().optional(),
    extensions: z.record(z.string(), z.unknown()).nullable().optional(),
  })
  .meta({ id: "InitializeCapabilities" });
export type InitializeCapabilities = z.infer<typeof InitializeCapabilities>;

export const InitializeParams = z
  .object({ clientInfo: ClientInfo, capabilities: InitializeCapabilities.nullable().optional() })
  .meta({ id: "InitializeParams" });
export type InitializeParams = z.infer<typeof InitializeParams>;

export const InitializeResponse = z
  .object({ userAgent: z.string(), codexHome: z.string(), platformFamily: z.string(), platformOs: z.string() })
  .meta({ id: "InitializeResponse" });
export type InitializeResponse = z.infer<typeof InitializeResponse>;
