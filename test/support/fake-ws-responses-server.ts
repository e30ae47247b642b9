// The scripted Responses fake, reachable over a websocket as well: `GET /v1/responses` upgrades (or is refused,
// or hangs, as a test chooses), each `response.create` message takes the next ScriptedResponse from the SAME
// queue as the HTTP fake, and its SSE events come back as websocket messages. Plain POSTs still go to the HTTP
// fake, so a client that falls back is served from the same script.
// Refused as the real API refuses them (an `error` message, status 400, no script consumed): a message that is
// not `response.create`, a missing model, a `previous_response_id` that is not this connection's last completed
// response, a second request while one is streaming, and a tool call without its output in the full input.
import type http from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";
import { startFakeResponsesServer, unpairedToolCallError, type FakeServer, type ScriptedResponse } from "./fake-responses-server.js";
import { flattenEvents, RawSse } from "./sse.js";

export type UpgradeMode = "accept" | "hang" | { refuse: number };

/* eslint-disable @typescript-eslint/no-explicit-any */
export interface RecordedWsRequest {
  /** 1-based connection number (reuse = the same number across requests). */
  connection: number;
  /** The message as sent. */
  body: any;
  /** The message's own `input` (only the new items when it continues a response). */
  input: any[];
  /** What the server holds as the request's input: the previous response's input and output, then `input`. */
  fullInput: any[];
}
/* eslint-enable @typescript-eslint/no-explicit-any */

export interface Handshake {
  connection: number;
  path: string;
  headers: Record<string, string>;
}

export interface FakeWsServer {
  /** The HTTP fake sharing the script (its `requests` are the POSTs). */
  http: FakeServer;
  url: string;
  enqueue(...responses: ScriptedResponse[]): void;
  /** How the next upgrades are answered (default accept). */
  upgrade: UpgradeMode;
  handshakes: Handshake[];
  wsRequests: RecordedWsRequest[];
  /** Messages refused with an error (reasons). */
  refused: string[];
  /** Connections open right now. */
  openConnections(): number;
  waitForWsRequests(n: number, opts?: { timeoutMs?: number }): Promise<RecordedWsRequest[]>;
  /** Resolves when `n` upgrades have arrived (accepted, refused or hung). */
  waitForHandshakes(n: number, opts?: { timeoutMs?: number }): Promise<Handshake[]>;
  /** Drops what every connection holds (a server that expired its cache): the next previous_response_id is refused. */
  forgetResponses(): void;
  close(): Promise<void>;
}

export async function startFakeWsResponsesServer(): Promise<FakeWsServer> {
  const wss = new WebSocketServer({ noServer: true });
  const handshakes: Handshake[] = [];
  const wsRequests: RecordedWsRequest[] = [];
  const refused: string[] = [];
  const hung = new Set<Duplex>();
  const sockets = new Set<WebSocket>();
  const waiters = new Set<() => void>();
  const wakeAll = (): void => {
    for (const w of [...waiters]) w();
  };
  const self = { upgrade: "accept" as UpgradeMode, generation: 0 };
  let http: FakeServer;

  const onUpgrade = (req: http.IncomingMessage, socket: Duplex, head: Buffer): void => {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(", ") : v;
    const connection = handshakes.length + 1;
    handshakes.push({ connection, path: req.url ?? "", headers });
    wakeAll();
    const mode = self.upgrade;
    if (mode === "hang") {
      hung.add(socket);
      socket.on("close", () => hung.delete(socket));
      socket.on("error", () => {});
      return;
    }
    if (typeof mode === "object") {
      socket.end(`HTTP/1.1 ${mode.refuse} Refused\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
      return;
    }
    if (new URL(req.url ?? "/", "http://x").pathname !== "/v1/responses") {
      socket.end("HTTP/1.1 404 Not Found\r\nconnection: close\r\ncontent-length: 0\r\n\r\n");
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => serveConnection(ws, connection));
  };

  function serveConnection(ws: WebSocket, connection: number): void {
    sockets.add(ws);
    ws.on("close", () => sockets.delete(ws));
    ws.on("error", () => {});
    // What the server holds after the last completed response on this connection.
    let held: { responseId: string; items: unknown[]; generation: number } | null = null;
    let streaming = false;
    const refuse = (message: string, code: string | null = null): void => {
      refused.push(message);
      process.stderr.write(`fake ws server: refused request (${message})\n`);
      ws.send(JSON.stringify({ type: "error", status: 400, error: { type: "invalid_request_error", code, message, param: null } }));
    };
    ws.on("message", (raw) => {
      let msg: Record<string, unknown>;
      try {
        msg = JSON.parse(raw.toString()) as Record<string, unknown>;
      } catch {
        return refuse("message is not JSON");
      }
      if (msg.type !== "response.create") return refuse(`unsupported message type: ${String(msg.type)}`);
      if (streaming) return refuse("a response is already in progress on this connection", "conversation_already_has_active_response");
      if (typeof msg.model !== "string") return refuse("Missing required parameter: 'model'.");
      const input = Array.isArray(msg.input) ? (msg.input as unknown[]) : [];
      let fullInput: unknown[] = input;
      if (msg.previous_response_id !== undefined) {
        if (!held || held.responseId !== msg.previous_response_id || held.generation !== self.generation) {
          return refuse(`Previous response with id '${String(msg.previous_response_id)}' not found.`, "previous_response_not_found");
        }
        fullInput = [...held.items, ...input];
      }
      wsRequests.push({ connection, body: msg, input, fullInput });
      wakeAll();
      const unpaired = unpairedToolCallError(fullInput as never[]);
      if (unpaired !== null) return refuse(unpaired);
      const script = http.takeScript();
      if (!script) {
        ws.send(JSON.stringify({ type: "error", status: 500, error: { type: "server_error", message: "fake ws server: no scripted response left" } }));
        return;
      }
      held = null;
      if ("status" in script) {
        const body = (script.body ?? {}) as { error?: unknown };
        ws.send(JSON.stringify({ type: "error", status: script.status, error: body.error ?? { message: String(script.body ?? "") } }));
        return;
      }
      const output: unknown[] = [];
      let completedId: string | null = null;
      for (const ev of flattenEvents(script.events)) {
        if (ev instanceof RawSse) continue; // SSE-only text has no websocket form
        if (ev.type === "response.output_item.done") output.push(ev.item);
        if (ev.type === "response.completed") completedId = String((ev.response as { id?: unknown } | undefined)?.id ?? "");
        ws.send(JSON.stringify(ev));
      }
      const then = script.then ?? "end";
      if (then === "drop") {
        ws.terminate();
        return;
      }
      if (then === "stall") {
        streaming = true;
        return;
      }
      if (completedId !== null) held = { responseId: completedId, items: [...fullInput, ...output], generation: self.generation };
    });
  }

  http = await startFakeResponsesServer({ onUpgrade });
  const waitFor = <T>(what: string, n: number, list: T[], timeoutMs: number): Promise<T[]> => {
    if (list.length >= n) return Promise.resolve(list.slice());
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (list.length < n) return;
        cleanup();
        resolve(list.slice());
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`fake ws server: waited ${timeoutMs}ms for ${n} ${what}, got ${list.length}`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      waiters.add(check);
    });
  };
  return {
    http,
    url: http.url,
    enqueue: (...r) => http.enqueue(...r),
    get upgrade() {
      return self.upgrade;
    },
    set upgrade(m: UpgradeMode) {
      self.upgrade = m;
    },
    handshakes,
    wsRequests,
    refused,
    openConnections: () => sockets.size,
    forgetResponses: () => void (self.generation += 1),
    waitForWsRequests: (n, o = {}) => waitFor("websocket request(s)", n, wsRequests, o.timeoutMs ?? 10_000),
    waitForHandshakes: (n, o = {}) => waitFor("handshake(s)", n, handshakes, o.timeoutMs ?? 10_000),
    async close() {
      for (const s of hung) s.destroy();
      for (const ws of sockets) ws.terminate();
      wss.close();
      await http.close();
    },
  };
}
