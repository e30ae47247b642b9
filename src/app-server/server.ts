import os from "node:os";
import type { Readable, Writable } from "node:stream";
import { resolveCodexHome } from "../core/index.js";
import { createConnection, type ServerServices } from "./connection.js";
import { methodTable } from "./method-table.js";
import { ALL_METHODS } from "./methods/index.js";
import { createRuntimeFactory } from "./runtime-factory.js";
import { createThreadRegistry } from "./thread-registry.js";
import { serveStdio } from "./transports/stdio.js";
import { serveUnix } from "./transports/unix.js";
import { serveWebSocket } from "./transports/websocket.js";
import type { AcceptConnection } from "./transports/transport.js";

// `codex app-server`: wires the method table, the thread registry and a transport.

export type ListenTarget = { kind: "stdio" } | { kind: "unix"; path: string } | { kind: "ws"; host: string; port: number } | { kind: "off" };

export interface AppServerOptions {
  listen: ListenTarget;
  stdin: Readable;
  stdout: Writable;
  env: Record<string, string | undefined>;
  cwd: string;
  version: string;
  helperBinDirs: string[];
  baseOverrides: string[];
  /** Capability token file for ws:// clients (`Authorization: Bearer <token>`). */
  wsTokenFile?: string;
  log(line: string): void;
  /** Unread bytes per connection past which a client counts as gone. */
  maxBufferedBytes?: number;
  /** Ends a unix/ws server (SIGINT/SIGTERM); stdio ends with its input. */
  signal?: AbortSignal;
}

const DEFAULT_MAX_BUFFERED_BYTES = 64 * 1024 * 1024;

export async function runAppServer(o: AppServerOptions): Promise<void> {
  const codexHome = resolveCodexHome({ env: o.env });
  const config = { codexHome, cwd: o.cwd, env: o.env, baseOverrides: o.baseOverrides, version: o.version };
  const threads = createThreadRegistry();
  const services: ServerServices = {
    threads,
    runtimes: createRuntimeFactory({ config, helperBinDirs: o.helperBinDirs }),
    config,
    userAgent: (client) =>
      `${client.name}/${o.version} (${os.type()} ${os.release()}; ${os.arch()}) (${client.name}; ${client.version})`,
    platform: { family: process.platform === "win32" ? "windows" : "unix", os: platformOs() },
    log: o.log,
  };
  const table = methodTable(ALL_METHODS);
  let nextConnectionId = 1;
  const accept: AcceptConnection = (transport) =>
    createConnection({
      id: nextConnectionId++,
      transport,
      table,
      services,
      maxBufferedBytes: o.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES,
    });
  try {
    const signal = o.signal ?? new AbortController().signal;
    if (o.listen.kind === "stdio") await serveStdio({ stdin: o.stdin, stdout: o.stdout, accept, signal });
    else if (o.listen.kind === "unix") await serveUnix({ path: o.listen.path, accept, log: o.log, signal });
    else if (o.listen.kind === "ws") {
      await serveWebSocket({
        host: o.listen.host,
        port: o.listen.port,
        codexHome,
        ...(o.wsTokenFile ? { tokenFile: o.wsTokenFile } : {}),
        accept,
        log: o.log,
        signal,
      });
    }
  } finally {
    await threads.closeAll();
  }
}

function platformOs(): string {
  if (process.platform === "darwin") return "macos";
  if (process.platform === "win32") return "windows";
  return process.platform;
}

/** `stdio://`, `unix://`, `unix://PATH`, `ws://IP:PORT`, `off`. */
export function parseListen(value: string, o: { codexHome: string }): ListenTarget {
  if (value === "stdio://" || value === "stdio") return { kind: "stdio" };
  if (value === "off") return { kind: "off" };
  if (value.startsWith("unix://")) {
    const rest = value.slice("unix://".length);
    return { kind: "unix", path: rest || `${o.codexHome}/app-server.sock` };
  }
  const ws = /^ws:\/\/(\[[^\]]+\]|[^:/]+):(\d+)\/?$/.exec(value);
  if (ws) return { kind: "ws", host: ws[1]!.replace(/^\[|\]$/g, ""), port: Number(ws[2]) };
  throw new Error(`invalid --listen value: ${value} (expected stdio://, unix://, unix://PATH, ws://IP:PORT or off)`);
}
