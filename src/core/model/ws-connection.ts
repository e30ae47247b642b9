// One websocket to the Responses API: a bounded, cancellable connect, then JSON messages in and out.
// The `ws` library is imported only when a connection is opened, so start-up without websockets never loads it.
import type WebSocket from "ws";
import { abortError } from "./abort.js";

/** Why a connection could not be opened (or stopped working). */
export class WsConnectError extends Error {
  constructor(
    message: string,
    readonly kind: "refused" | "timeout" | "failed",
    readonly status?: number,
  ) {
    super(message);
    this.name = "WsConnectError";
  }
}

export interface WsConnection {
  send(message: unknown): void;
  /** The next message (parsed JSON); rejects with `closed` when the socket ends, AbortError on `signal`. */
  next(o: { signal: AbortSignal; timeoutMs: number }): Promise<WsNext>;
  readonly open: boolean;
  close(): void;
}

export type WsNext = { kind: "message"; data: unknown } | { kind: "closed"; reason: string } | { kind: "timeout" };

export async function openWsConnection(o: {
  url: string;
  headers: Record<string, string>;
  connectTimeoutMs: number;
  signal: AbortSignal;
}): Promise<WsConnection> {
  if (o.signal.aborted) throw abortError();
  const { default: WebSocketCtor } = await import("ws");
  const socket = new WebSocketCtor(o.url, { headers: o.headers, perMessageDeflate: true });
  await new Promise<void>((resolve, reject) => {
    let settled = false;
    const finish = (err?: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      o.signal.removeEventListener("abort", onAbort);
      socket.off("open", onOpen);
      socket.off("unexpected-response", onUnexpected);
      socket.off("error", onError);
      if (err) {
        socket.on("error", () => {}); // a late error of the discarded socket must not crash the process
        socket.terminate();
        reject(err);
      } else resolve();
    };
    const onOpen = (): void => finish();
    const onUnexpected = (_req: unknown, res: { statusCode?: number; resume(): void }): void => {
      res.resume();
      const status = res.statusCode ?? 0;
      finish(new WsConnectError(`websocket upgrade refused (HTTP ${status})`, "refused", status));
    };
    const onError = (e: Error): void => finish(new WsConnectError(`websocket connect failed: ${e.message}`, "failed"));
    const onAbort = (): void => finish(abortError());
    const timer = setTimeout(
      () => finish(new WsConnectError(`websocket connect timed out after ${o.connectTimeoutMs} ms`, "timeout")),
      o.connectTimeoutMs,
    );
    socket.on("open", onOpen);
    socket.on("unexpected-response", onUnexpected);
    socket.on("error", onError);
    o.signal.addEventListener("abort", onAbort, { once: true });
  });
  return wrap(socket);
}

function wrap(socket: WebSocket): WsConnection {
  const inbox: WsNext[] = [];
  let wake: (() => void) | null = null;
  let closedReason: string | null = null;
  const push = (n: WsNext): void => {
    inbox.push(n);
    wake?.();
  };
  socket.on("message", (raw: WebSocket.RawData, isBinary: boolean) => {
    if (isBinary) return;
    try {
      push({ kind: "message", data: JSON.parse(raw.toString()) });
    } catch {
      // a malformed frame is skipped, as a malformed SSE data line is
    }
  });
  socket.on("close", (code: number, reason: Buffer) => {
    closedReason ??= `websocket closed (${code}${reason.length > 0 ? `: ${reason.toString()}` : ""})`;
    push({ kind: "closed", reason: closedReason });
  });
  socket.on("error", (e: Error) => {
    closedReason ??= `websocket error: ${e.message}`;
  });
  return {
    get open() {
      return closedReason === null && socket.readyState === socket.OPEN;
    },
    send(message) {
      socket.send(JSON.stringify(message));
    },
    next({ signal, timeoutMs }) {
      const ready = inbox.shift();
      if (ready) return Promise.resolve(ready);
      if (closedReason !== null) return Promise.resolve({ kind: "closed", reason: closedReason });
      if (signal.aborted) return Promise.reject(abortError());
      return new Promise<WsNext>((resolve, reject) => {
        const cleanup = (): void => {
          wake = null;
          clearTimeout(timer);
          signal.removeEventListener("abort", onAbort);
        };
        const onAbort = (): void => {
          cleanup();
          reject(abortError());
        };
        const timer = setTimeout(() => {
          cleanup();
          resolve({ kind: "timeout" });
        }, timeoutMs);
        signal.addEventListener("abort", onAbort, { once: true });
        wake = () => {
          cleanup();
          resolve(inbox.shift()!);
        };
      });
    },
    close() {
      closedReason ??= "websocket closed by client";
      socket.on("error", () => {});
      // Dropped without a closing handshake, as the reference does (its server sees 1006): a close frame would
      // leave ws's 30 s close timer holding the process open when the server does not answer it.
      socket.terminate();
    },
  };
}
