import type { z } from "zod";
import { InitializeParams, type InitializeCapabilities, type InitializeResponse } from "../protocol/app-server/initialize.js";
import { ErrorCode, type JsonRpcErrorBody, type NotificationDef, type RequestId, type ServerRequestDef } from "../protocol/app-server/jsonrpc.js";
import { JsonRpcError, type ConfigAccess, type ConnectionInfo, type MethodContext, type MethodDef } from "./method-table.js";
import type { RuntimeFactory } from "./runtime-factory.js";
import type { ThreadRegistry } from "./thread-registry.js";
import type { ConnectionPeer, Transport } from "./transports/transport.js";
import { zodIssuePath } from "./zod-issue.js";

// One client connection: the handshake, request dispatch through the method table, and everything the
// server writes to the client (responses, notifications, its own requests with ids from 0).

export interface ServerServices {
  threads: ThreadRegistry;
  runtimes: RuntimeFactory;
  config: ConfigAccess;
  /** `<clientInfo.name>/<version> (<os>; <arch>) …` for the initialize result. */
  userAgent(clientInfo: InitializeParams["clientInfo"]): string;
  platform: { family: string; os: string };
  log(line: string): void;
}

export interface ConnectionOptions {
  id: number;
  transport: Transport;
  table: ReadonlyMap<string, MethodDef>;
  services: ServerServices;
  /** Past this many unread bytes the client counts as gone (it stopped reading): dropped with a log line. */
  maxBufferedBytes: number;
}

/** The handle threads use to reach a connection (notifications, approval requests). */
export interface ClientHandle {
  readonly id: number;
  readonly closed: boolean;
  notify<P>(def: NotificationDef<P>, params: P): void;
  request<P, R>(def: ServerRequestDef<P, R>, params: P): { id: RequestId; result: Promise<R> };
  whenClosed(listener: () => void): void;
}

export class ClientGoneError extends Error {
  constructor() {
    super("the client disconnected");
  }
}

interface PendingRequest {
  schema: z.ZodType;
  resolve(value: unknown): void;
  reject(err: Error): void;
}

export function createConnection(o: ConnectionOptions): ConnectionPeer & ClientHandle {
  const { transport, services } = o;
  let info: ConnectionInfo | null = null;
  let closed = false;
  let nextServerRequestId = 0;
  const pending = new Map<RequestId, PendingRequest>();
  const closeListeners: Array<() => void> = [];

  const write = (message: Record<string, unknown>): void => {
    if (closed) return;
    transport.send(JSON.stringify(message));
    if (transport.bufferedBytes() > o.maxBufferedBytes) {
      services.log(
        `app-server: client on ${transport.label} stopped reading (${transport.bufferedBytes()} bytes unread); dropping the connection`,
      );
      transport.close();
      handleClose();
    }
  };
  const respond = (id: RequestId, result: unknown) => write({ id, result });
  const fail = (id: RequestId | null, error: JsonRpcErrorBody) => write({ error, id });

  const wants = (method: string): boolean => {
    const optOut = info?.capabilities.optOutNotificationMethods;
    return !(optOut && optOut.includes(method));
  };

  const handle: ConnectionPeer & ClientHandle = {
    id: o.id,
    get closed() {
      return closed;
    },
    notify(def, params) {
      if (!info || !wants(def.method)) return;
      if (def.experimental && !info.capabilities.experimentalApi) return;
      write({ method: def.method, params, emittedAtMs: Date.now() });
    },
    request(def, params) {
      const id = nextServerRequestId++;
      const result = new Promise<never>((resolve, reject) => {
        if (closed) return reject(new ClientGoneError());
        pending.set(id, { schema: def.result, resolve: resolve as (v: unknown) => void, reject });
      });
      write({ method: def.method, id, params });
      return { id, result };
    },
    whenClosed(listener) {
      if (closed) listener();
      else closeListeners.push(listener);
    },
    onFrame(frame) {
      let message: unknown;
      try {
        message = JSON.parse(frame);
      } catch (err) {
        fail(null, { code: ErrorCode.parseError, message: `Parse error: ${(err as Error).message}` });
        return;
      }
      if (typeof message !== "object" || message === null || Array.isArray(message)) {
        fail(null, { code: ErrorCode.invalidRequest, message: "Invalid request: expected a JSON object" });
        return;
      }
      const m = message as Record<string, unknown>;
      const id = typeof m.id === "string" || typeof m.id === "number" ? m.id : undefined;
      if (typeof m.method === "string") {
        // Client notifications (`initialized`, ...) need no answer.
        if (id === undefined) return;
        void onRequest(id, m.method, m.params, traceOf(m.trace));
        return;
      }
      if (id !== undefined && ("result" in m || "error" in m)) return onResponse(id, m);
      fail(id ?? null, { code: ErrorCode.invalidRequest, message: "Invalid request: not a request, notification or response" });
    },
    onClose: () => handleClose(),
  };

  function handleClose(): void {
    if (closed) return;
    closed = true;
    for (const p of pending.values()) p.reject(new ClientGoneError());
    pending.clear();
    for (const listener of closeListeners.splice(0)) listener();
  }

  function onResponse(id: RequestId, m: Record<string, unknown>): void {
    const waiting = pending.get(id);
    if (!waiting) return;
    pending.delete(id);
    if ("error" in m) {
      const err = m.error as { message?: unknown } | undefined;
      waiting.reject(new Error(typeof err?.message === "string" ? err.message : "the client answered with an error"));
      return;
    }
    const parsed = waiting.schema.safeParse(m.result);
    if (parsed.success) waiting.resolve(parsed.data);
    else waiting.reject(new Error(`invalid response to server request ${id}: ${zodIssuePath(parsed.error)}`));
  }

  async function onRequest(id: RequestId, method: string, rawParams: unknown, trace: MethodContext["trace"]): Promise<void> {
    if (method === "initialize") return initialize(id, rawParams);
    if (!info) return fail(id, { code: ErrorCode.invalidRequest, message: "Not initialized" });
    const def = o.table.get(method);
    if (!def) return fail(id, { code: ErrorCode.invalidRequest, message: `Invalid request: unknown variant \`${method}\`` });
    if (def.experimental && !info.capabilities.experimentalApi) {
      return fail(id, { code: ErrorCode.invalidRequest, message: `${method} requires experimentalApi capability` });
    }
    const params = def.params.safeParse(rawParams ?? {});
    if (!params.success) {
      return fail(id, { code: ErrorCode.invalidParams, message: `Invalid params: ${zodIssuePath(params.error)}` });
    }
    const after: Array<() => void> = [];
    try {
      const result = await def.handle(params.data, context(info, after, trace));
      const checked = def.result.safeParse(result);
      if (!checked.success) {
        services.log(`app-server: ${method} produced a result outside its schema: ${zodIssuePath(checked.error)}`);
        return fail(id, { code: ErrorCode.internalError, message: `Internal error: ${method} result is invalid` });
      }
      respond(id, checked.data);
      for (const run of after) run();
    } catch (err) {
      if (err instanceof JsonRpcError) {
        return fail(id, { code: err.code, message: err.message, ...(err.data !== undefined ? { data: err.data } : {}) });
      }
      fail(id, { code: ErrorCode.internalError, message: (err as Error).message ?? String(err) });
    }
  }

  function initialize(id: RequestId, rawParams: unknown): void {
    if (info) return fail(id, { code: ErrorCode.invalidRequest, message: "Already initialized" });
    const params = InitializeParams.safeParse(rawParams);
    if (!params.success) {
      return fail(id, { code: ErrorCode.invalidParams, message: `Invalid params: ${zodIssuePath(params.error)}` });
    }
    const capabilities: InitializeCapabilities = params.data.capabilities ?? { experimentalApi: false, requestAttestation: false };
    info = { id: o.id, clientInfo: params.data.clientInfo, capabilities };
    const result: InitializeResponse = {
      userAgent: services.userAgent(params.data.clientInfo),
      codexHome: services.config.codexHome,
      platformFamily: services.platform.family,
      platformOs: services.platform.os,
    };
    respond(id, result);
  }

  function context(connection: ConnectionInfo, after: Array<() => void>, trace: MethodContext["trace"]): MethodContext {
    return {
      ...(trace ? { trace } : {}),
      connection,
      threads: services.threads,
      runtimes: services.runtimes,
      config: services.config,
      notify: (def, params) => handle.notify(def, params),
      request: (def, params) => handle.request(def, params).result,
      client: handle,
      log: services.log,
      afterResponse: (run) => void after.push(run),
    };
  }

  return handle;
}

/** The envelope's `trace` (W3C trace context), when it carries a traceparent. */
function traceOf(value: unknown): { traceparent: string; tracestate?: string } | undefined {
  const t = value as { traceparent?: unknown; tracestate?: unknown } | null | undefined;
  if (!t || typeof t.traceparent !== "string") return undefined;
  return { traceparent: t.traceparent, ...(typeof t.tracestate === "string" ? { tracestate: t.tracestate } : {}) };
}
