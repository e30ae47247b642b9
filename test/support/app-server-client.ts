// A small JSONL client for `codex app-server` over stdio: spawns the built binary (or another binary, e.g. the
// reference), records every message it reads, and waits on messages with deadlines (never sleeps).
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { CODEX_BIN } from "./codex-env.js";

/* eslint-disable @typescript-eslint/no-explicit-any */
export type Message = Record<string, any>;

export interface AppServerClient {
  child: ChildProcess;
  /** Every message the server wrote, in order. */
  seen: Message[];
  /** Every message the client sent (requests map response ids to methods). */
  sent: Message[];
  stderr(): string;
  send(message: Message): void;
  sendRaw(line: string): void;
  /** Sends a request and resolves with the whole response (result or error). */
  request(method: string, params?: unknown): Promise<Message>;
  /** Like request, but throws on an error response and resolves with `result`. */
  call(method: string, params?: unknown): Promise<any>;
  initialize(o?: { experimentalApi?: boolean; optOut?: string[]; name?: string }): Promise<Message>;
  /** The first message (already seen or to come, after index `from`) that matches. */
  waitFor(match: (m: Message) => boolean, o?: { timeoutMs?: number; from?: number; what?: string }): Promise<Message>;
  notification(method: string, match?: (params: any) => boolean, o?: { timeoutMs?: number; from?: number }): Promise<Message>;
  close(): Promise<number | null>;
}

export function spawnAppServer(o: { env: Record<string, string>; cwd: string; args?: string[]; bin?: string }): AppServerClient {
  const child = o.bin
    ? spawn(o.bin, ["app-server", ...(o.args ?? [])], { cwd: o.cwd, env: o.env, stdio: ["pipe", "pipe", "pipe"] })
    : spawn(process.execPath, [CODEX_BIN, "app-server", ...(o.args ?? [])], { cwd: o.cwd, env: o.env, stdio: ["pipe", "pipe", "pipe"] });
  const seen: Message[] = [];
  const sent: Message[] = [];
  const waiters = new Set<() => void>();
  let err = "";
  child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
  createInterface({ input: child.stdout! }).on("line", (line) => {
    try {
      seen.push(JSON.parse(line));
    } catch {
      seen.push({ unparsable: line });
    }
    for (const wake of [...waiters]) wake();
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  let nextId = 1000;

  const waitFor: AppServerClient["waitFor"] = (match, w = {}) => {
    const from = w.from ?? 0;
    const timeoutMs = w.timeoutMs ?? 15_000;
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        for (let i = from; i < seen.length; i++) {
          if (match(seen[i]!)) {
            cleanup();
            resolve(seen[i]!);
            return true;
          }
        }
        return false;
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`app-server: waited ${timeoutMs} ms for ${w.what ?? "a message"}; saw ${seen.map((m) => m.method ?? `#${m.id}`).join(", ")}\n${err}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        waiters.delete(wake);
      };
      const wake = () => void check();
      if (!check()) waiters.add(wake);
    });
  };

  const client: AppServerClient = {
    child,
    seen,
    sent,
    stderr: () => err,
    send: (m) => {
      sent.push(m);
      child.stdin!.write(JSON.stringify(m) + "\n");
    },
    sendRaw: (line) => void child.stdin!.write(line + "\n"),
    request(method, params) {
      const id = nextId++;
      client.send(params === undefined ? { id, method } : { id, method, params });
      return waitFor((m) => m.id === id && !("method" in m), { what: `the answer to ${method}` });
    },
    async call(method, params) {
      const answer = await client.request(method, params);
      if (answer.error) throw new Error(`${method}: ${JSON.stringify(answer.error)}`);
      return answer.result;
    },
    async initialize(i = {}) {
      const answer = await client.request("initialize", {
        clientInfo: { name: i.name ?? "codex_test_client", title: null, version: "1.0.0" },
        capabilities: { experimentalApi: i.experimentalApi ?? false, ...(i.optOut ? { optOutNotificationMethods: i.optOut } : {}) },
      });
      client.send({ method: "initialized" });
      return answer;
    },
    waitFor,
    notification: (method, match, w) => waitFor((m) => m.method === method && !("id" in m) && (!match || match(m.params)), { ...w, what: method }),
    async close() {
      child.stdin!.end();
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
  return client;
}
/* eslint-enable @typescript-eslint/no-explicit-any */
