import type { z } from "zod";
import type { ClientInfo, InitializeCapabilities } from "../protocol/app-server/initialize.js";
import type { NotificationDef, ServerRequestDef } from "../protocol/app-server/jsonrpc.js";
import type { ClientHandle } from "./connection.js";
import type { RuntimeFactory } from "./runtime-factory.js";
import type { ThreadRegistry } from "./thread-registry.js";

/*
 * The one method table of `codex app-server`: every client→server request is a MethodDef (its method
 * name, zod params and result, whether it is experimental, and its handler). The dispatcher
 * (dispatcher.ts) looks a method up here, parses params with its zod schema (-32602 naming the path on
 * failure), refuses experimental methods to clients that did not ask for `experimentalApi`, calls
 * `handle`, and checks the result against `result` before sending it. `codex app-server
 * generate-json-schema` / `generate-ts` (schema-export.ts) walk the same table, so wire shapes cannot drift.
 *
 * How to add methods: an area writes `src/app-server/methods/<area>.ts` exporting
 * `export const <area>Methods: MethodDef[] = [defineMethod({...}), ...]` (schemas in
 * `src/protocol/app-server/<area>.ts`), and adds one spread line to `methods/index.ts`, the single list
 * file. Notifications and server→client requests are NotificationDef / ServerRequestDef values from
 * `src/protocol/app-server/`, listed in `methods/index.ts` too (for the schema export); handlers send them
 * through `ctx.notify(def, params)` / `ctx.request(def, params)`, which are typed by the def.
 */

export interface MethodDef<P = any, R = any> {
  method: string;
  params: z.ZodType<P>;
  result: z.ZodType<R>;
  /** Needs `capabilities.experimentalApi: true` at initialize. */
  experimental?: boolean;
  handle(params: P, ctx: MethodContext): Promise<R>;
}

/** Builds a MethodDef whose handler is typed from its schemas. */
export function defineMethod<PS extends z.ZodType, RS extends z.ZodType>(def: {
  method: string;
  params: PS;
  result: RS;
  experimental?: boolean;
  handle(params: z.output<PS>, ctx: MethodContext): Promise<z.input<RS>>;
}): MethodDef<z.output<PS>, z.input<RS>> {
  return def as MethodDef<z.output<PS>, z.input<RS>>;
}

/** What the connection negotiated at initialize. */
export interface ConnectionInfo {
  /** Process-unique connection number (logs, thread subscriptions). */
  id: number;
  clientInfo: ClientInfo;
  capabilities: InitializeCapabilities;
}

/** Server-wide settings a handler may read: where Codex lives and what the server was started with. */
export interface ConfigAccess {
  codexHome: string;
  /** The server's working directory (the default cwd of a thread). */
  cwd: string;
  env: Record<string, string | undefined>;
  /** `-c key=value` given to `codex app-server` itself (applied before a request's own settings). */
  baseOverrides: string[];
  version: string;
}

/** What a handler gets: only what a method may use. */
export interface MethodContext {
  connection: ConnectionInfo;
  /** Threads loaded in this server (shared by connections; events go to subscribed connections). */
  threads: ThreadRegistry;
  /** Loads config and builds a core runtime for a thread's settings. */
  runtimes: RuntimeFactory;
  /** A notification to this connection (dropped when the client opted out of the method). */
  notify<P>(def: NotificationDef<P>, params: P): void;
  /** A server→client request on this connection; resolves with the client's validated result. */
  request<P, R>(def: ServerRequestDef<P, R>, params: P): Promise<R>;
  config: ConfigAccess;
  /** This connection as threads see it (subscribe it to a thread's events and approvals). */
  client: ClientHandle;
  /** A diagnostic line on stderr (never stdout, which carries JSON-RPC). */
  log(line: string): void;
  /** The request's W3C trace context (JSON-RPC `trace`), the parent of what the request starts. */
  trace?: { traceparent: string; tracestate?: string };
  /** Runs once this request's response is written (e.g. `thread/started` follows thread/start's answer). */
  afterResponse(run: () => void): void;
}

/** An error a handler throws to answer with a JSON-RPC error (anything else becomes -32603). */
export class JsonRpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
  }

  /** -32600, which the reference uses for requests it cannot serve (unknown thread, no active turn...). */
  static invalidRequest(message: string): JsonRpcError {
    return new JsonRpcError(-32600, message);
  }
}

/** The table as a lookup; a method defined twice is a programming error caught at start-up. */
export function methodTable(defs: readonly MethodDef[]): ReadonlyMap<string, MethodDef> {
  const table = new Map<string, MethodDef>();
  for (const def of defs) {
    if (table.has(def.method)) throw new Error(`app-server: method ${def.method} is defined twice`);
    table.set(def.method, def);
  }
  return table;
}
