// Helpers of the command/exec e2e tests: streamed output as text, and waiting (with a deadline) for a
// condition no message announces, such as a process disappearing.
import fs from "node:fs";
import type { Message } from "../support/app-server-client.js";

/** Everything `command/exec/outputDelta` carried for `processId` (optionally one stream), decoded. */
export function deltaText(seen: readonly Message[], processId: string, stream?: "stdout" | "stderr"): string {
  return seen
    .filter((m) => m.method === "command/exec/outputDelta" && m.params.processId === processId && (!stream || m.params.stream === stream))
    .map((m) => Buffer.from(m.params.deltaBase64, "base64").toString())
    .join("");
}

/** Resolves once `condition()` holds, checking every 25 ms; rejects naming `what` after `timeoutMs`. */
export function waitUntil(condition: () => boolean, o: { what: string; timeoutMs?: number }): Promise<void> {
  const deadline = Date.now() + (o.timeoutMs ?? 20_000);
  return new Promise((resolve, reject) => {
    const check = (): void => {
      if (condition()) return resolve();
      if (Date.now() > deadline) return reject(new Error(`waited ${o.timeoutMs ?? 20_000} ms for ${o.what}`));
      setTimeout(check, 25);
    };
    check();
  });
}

/** True while `pid` is a live process (a zombie awaiting its reaper counts as gone: it runs nothing). */
export function processAlive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // The state follows the parenthesised command name, which may itself contain spaces.
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

export function waitGone(pid: number): Promise<void> {
  return waitUntil(() => !processAlive(pid), { what: `process ${pid} to end` });
}

/** A minimal JSON-lines client over a unix socket (the server outlives this connection). */
export interface SocketClient {
  seen: Message[];
  request(method: string, params?: unknown): Promise<Message>;
  /** Sends without waiting for the answer. */
  send(method: string, params?: unknown): void;
  waitFor(match: (m: Message) => boolean, what: string): Promise<Message>;
  destroy(): void;
}

export async function connectUnix(sockPath: string): Promise<SocketClient> {
  const { connect } = await import("node:net");
  const socket = connect(sockPath);
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("error", reject);
  });
  const seen: Message[] = [];
  const wakers = new Set<() => void>();
  let rest = "";
  socket.on("data", (d: Buffer) => {
    const parts = (rest + d.toString()).split("\n");
    rest = parts.pop()!;
    for (const line of parts.filter(Boolean)) seen.push(JSON.parse(line));
    for (const wake of [...wakers]) wake();
  });
  let nextId = 1;
  const waitFor = (match: (m: Message) => boolean, what: string): Promise<Message> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        wakers.delete(check);
        reject(new Error(`waited for ${what}; saw ${JSON.stringify(seen).slice(0, 2000)}`));
      }, 20_000);
      const check = (): void => {
        const found = seen.find(match);
        if (!found) return;
        clearTimeout(timer);
        wakers.delete(check);
        resolve(found);
      };
      wakers.add(check);
      check();
    });
  const sendWithId = (method: string, params?: unknown): number => {
    const id = nextId++;
    socket.write(JSON.stringify(params === undefined ? { id, method } : { id, method, params }) + "\n");
    return id;
  };
  const client: SocketClient = {
    seen,
    request: (method, params) => {
      const id = sendWithId(method, params);
      return waitFor((m) => m.id === id && !("method" in m), `the answer to ${method}`);
    },
    send: (method, params) => void sendWithId(method, params),
    waitFor,
    destroy: () => socket.destroy(),
  };
  await client.request("initialize", { clientInfo: { name: "t", title: null, version: "1" }, capabilities: { experimentalApi: true } });
  socket.write(JSON.stringify({ method: "initialized" }) + "\n");
  return client;
}

/** Pids of live processes whose argv is exactly `argv` (how a test finds a command run inside a pid namespace). */
export function pidsRunning(argv: readonly string[]): number[] {
  const want = argv.join("\0");
  const pids: number[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, "utf8").replace(/\0$/, "");
      if (cmdline === want && processAlive(Number(entry))) pids.push(Number(entry));
    } catch {
      // Gone while we looked.
    }
  }
  return pids;
}
