import { z } from "zod";

// JSON-RPC 2.0 envelopes as Codex's app-server frames them: no `jsonrpc` field on what the server writes
// (a client may send one; it is ignored), one JSON object per line on stdio and unix sockets.

export const RequestId = z.union([z.string(), z.number().int()]).meta({ id: "RequestId" });
export type RequestId = z.infer<typeof RequestId>;

export const JsonRpcErrorBody = z
  .object({ code: z.number().int(), message: z.string(), data: z.unknown().optional() })
  .meta({ id: "JSONRPCErrorError" });
export type JsonRpcErrorBody = z.infer<typeof JsonRpcErrorBody>;

/** Anything a peer may send: a request, a notification, a response or an error response. */
export const IncomingMessage = z.union([
  z.object({ id: RequestId, method: z.string(), params: z.unknown().optional() }),
  z.object({ method: z.string(), params: z.unknown().optional() }),
  z.object({ id: RequestId, result: z.unknown() }),
  z.object({ id: RequestId.nullable(), error: JsonRpcErrorBody }),
]);

export const ErrorCode = {
  parseError: -32700,
  invalidRequest: -32600,
  methodNotFound: -32601,
  invalidParams: -32602,
  internalError: -32603,
} as const;

/** A notification or server request as defined once (method name + params schema). */
export interface NotificationDef<P = unknown> {
  method: string;
  params: z.ZodType<P>;
  experimental?: boolean;
}

export interface ServerRequestDef<P = unknown, R = unknown> {
  method: string;
  params: z.ZodType<P>;
  result: z.ZodType<R>;
}
