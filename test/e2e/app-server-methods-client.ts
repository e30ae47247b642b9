// A minimal JSON-RPC client over `codex app-server` stdio for the secondary-method e2e tests: requests with
// ids, every message the server wrote (for assertions and schema checks), and answers to server requests.
import { spawn, type ChildProcess } from "node:child_process";
import { CODEX_BIN } from "../support/codex-env.js";

/* eslint-disable @typescript-eslint/no-explicit-any */
export interface AppServerClient {
  child: ChildProcess;
  /** Every message the server wrote, in order. */
  seen: any[];
  request(method: string, params?: unknown): Promise<{ result?: any; error?: { code: number; message: string; data?: unknown } }>;
  notify(method: string, params?: unknown): void;
  /** Resolves with the first message (already seen or coming) that matches; rejects after the deadline. */
  waitFor(pred: (m: any) => boolean, o?: { timeoutMs?: number; what?: string }): Promise<any>;
  /** Answers server requests of `method` with `answer(params)`. */
  onServerRequest(method: string, answer: (params: any) => unknown): void;
  close(): Promise<void>;
}

export async function startAppServer(o: { env: Record<string, string>; cwd: string; experimental?: boolean }): Promise<AppServerClient> {
  // Spawned here (not spawnCodex, which ends stdin at once): the conversation needs a live stdin.
  const child = spawn(process.execPath, [CODEX_BIN, "app-server"], { cwd: o.cwd, env: o.env, stdio: ["pipe", "pipe", "pipe"] });
  const seen: any[] = [];
  const waiters = new Set<{ pred: (m: any) => boolean; resolve: (m: any) => void }>();
  const answers = new Map<string, (params: any) => unknown>();
  let nextId = 1;
  let buf = "";
  let stderr = "";
  child.stderr!.on("data", (d) => (stderr += d));
  child.stdout!.on("data", (d: Buffer) => {
    buf += d.toString("utf8");
    let i: number;
    while ((i = buf.indexOf("\n")) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      if (line.trim() === "") continue;
      const m = JSON.parse(line);
      seen.push(m);
      if (m.method && m.id !== undefined && answers.has(m.method)) {
        const result = answers.get(m.method)!(m.params);
        child.stdin!.write(JSON.stringify({ id: m.id, result }) + "\n");
      }
      for (const w of [...waiters]) {
        if (w.pred(m)) {
          waiters.delete(w);
          w.resolve(m);
        }
      }
    }
  });
  const waitFor: AppServerClient["waitFor"] = (pred, w = {}) =>
    new Promise((resolve, reject) => {
      const found = seen.find(pred);
      if (found) return resolve(found);
      const entry = {
        pred,
        resolve: (m: any) => {
          clearTimeout(timer);
          resolve(m);
        },
      };
      const timer = setTimeout(() => {
        waiters.delete(entry);
        reject(new Error(`timed out waiting for ${w.what ?? "a message"}\nseen: ${JSON.stringify(seen).slice(-3000)}\nstderr: ${stderr}`));
      }, w.timeoutMs ?? 20_000);
      waiters.add(entry);
    });
  const client: AppServerClient = {
    child,
    seen,
    async request(method, params) {
      const id = nextId++;
      child.stdin!.write(JSON.stringify({ id, method, ...(params !== undefined ? { params } : {}) }) + "\n");
      return waitFor((m) => m.id === id && m.method === undefined, { what: `the answer to ${method}` });
    },
    notify(method, params) {
      child.stdin!.write(JSON.stringify({ method, ...(params !== undefined ? { params } : {}) }) + "\n");
    },
    waitFor,
    onServerRequest(method, answer) {
      answers.set(method, answer);
    },
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = new Promise((r) => child.once("close", r));
      child.stdin!.end();
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await gone;
      clearTimeout(timer);
    },
  };
  const init = await client.request("initialize", {
    clientInfo: { name: "methods-e2e", title: null, version: "1" },
    capabilities: { experimentalApi: o.experimental ?? true },
  });
  if (!init.result) throw new Error(`initialize failed: ${JSON.stringify(init)}\n${stderr}`);
  client.notify("initialized");
  return client;
}
