import { randomBytes, timingSafeEqual } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { IncomingMessage } from "node:http";
import { WebSocketServer, type WebSocket } from "ws";
import type { AcceptConnection } from "./transport.js";

// `--listen ws://IP:PORT`: one JSON message per WebSocket text frame. Clients present a capability token
// (`Authorization: Bearer <token>`): the one in --ws-token-file, or a fresh one written (0600) to
// $CODEX_HOME/app-server-ws-token. Only loopback addresses unless a token file is given explicitly.

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

export async function serveWebSocket(o: {
  host: string;
  port: number;
  codexHome: string;
  tokenFile?: string;
  accept: AcceptConnection;
  log(line: string): void;
  signal: AbortSignal;
}): Promise<void> {
  if (!LOOPBACK.test(o.host) && !o.tokenFile) {
    throw new Error(`--listen ws://${o.host}:${o.port}: only loopback addresses are allowed without --ws-token-file`);
  }
  const token = await capabilityToken(o);
  const expected = Buffer.from(`Bearer ${token}`);
  const authorized = (req: IncomingMessage) => {
    const given = Buffer.from(String(req.headers.authorization ?? ""));
    return given.length === expected.length && timingSafeEqual(given, expected);
  };
  const wss = new WebSocketServer({
    host: o.host,
    port: o.port,
    verifyClient: (info: { req: IncomingMessage }, done: (ok: boolean, code?: number, message?: string) => void) =>
      authorized(info.req) ? done(true) : done(false, 401, "Unauthorized"),
  });
  await new Promise<void>((resolve, reject) => {
    wss.once("listening", () => resolve());
    wss.once("error", reject);
  });
  const address = wss.address();
  const port = typeof address === "object" && address ? address.port : o.port;
  o.log(`app-server: listening on ws://${o.host}:${port}`);
  wss.on("connection", (socket: WebSocket) => {
    let closed = false;
    const peer = o.accept({
      label: `ws:${o.host}:${port}`,
      send: (frame) => {
        if (!closed) socket.send(frame);
      },
      bufferedBytes: () => socket.bufferedAmount,
      close: () => socket.terminate(),
    });
    socket.on("message", (data, isBinary) => {
      if (!isBinary) peer.onFrame(data.toString());
    });
    socket.on("close", () => {
      if (closed) return;
      closed = true;
      peer.onClose();
    });
    socket.on("error", () => socket.terminate());
  });
  await new Promise<void>((resolve) => {
    if (o.signal.aborted) return resolve();
    o.signal.addEventListener("abort", () => resolve(), { once: true });
  });
  for (const client of wss.clients) client.terminate();
  await new Promise<void>((resolve) => wss.close(() => resolve()));
}

async function capabilityToken(o: { codexHome: string; tokenFile?: string }): Promise<string> {
  if (o.tokenFile) {
    const token = (await readFile(o.tokenFile, "utf8")).trim();
    if (!token) throw new Error(`--ws-token-file ${o.tokenFile}: the file is empty`);
    return token;
  }
  const token = randomBytes(32).toString("hex");
  await mkdir(o.codexHome, { recursive: true, mode: 0o700 });
  await writeFile(path.join(o.codexHome, "app-server-ws-token"), token + "\n", { mode: 0o600 });
  return token;
}
