// --listen unix://PATH and ws://127.0.0.1:PORT: the same JSON-RPC, a 0600 socket, a capability token for ws,
// and no non-loopback ws without an explicit token file.
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { afterEach, beforeEach, expect, test } from "vitest";
import WebSocket from "ws";
import { CODEX_BIN, makeTestEnv, type TestEnv } from "../support/codex-env.js";
import { startFakeResponsesServer, type FakeServer } from "../support/fake-responses-server.js";

let server: FakeServer;
let env: TestEnv;
let child: ChildProcess | undefined;

beforeEach(async () => {
  server = await startFakeResponsesServer();
  env = makeTestEnv({ baseUrl: server.url });
});
afterEach(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child!.once("exit", r));
    child.kill("SIGTERM");
    await exited;
  }
  await server.close();
  env.cleanup();
});

function startListening(listen: string): Promise<string> {
  child = spawn(process.execPath, [CODEX_BIN, "app-server", "--listen", listen], { cwd: env.repo, env: env.env, stdio: ["ignore", "pipe", "pipe"] });
  return new Promise((resolve, reject) => {
    let err = "";
    const timer = setTimeout(() => reject(new Error(`no listening line: ${err}`)), 15_000);
    child!.stderr!.on("data", (d: Buffer) => {
      err += d.toString();
      const m = /listening on (\S+)/.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child!.once("exit", (code) => reject(new Error(`exited ${code}: ${err}`)));
  });
}

const INIT = { id: 1, method: "initialize", params: { clientInfo: { name: "t", title: null, version: "1" }, capabilities: null } };

test("unix socket: JSON lines, mode 0600, the socket file removed at exit", async () => {
  const sock = path.join(env.home, "as.sock");
  expect(await startListening(`unix://${sock}`)).toBe(`unix://${sock}`);
  expect(statSync(sock).mode & 0o777).toBe(0o600);
  const socket = net.connect(sock);
  const lines: string[] = [];
  let rest = "";
  const got = (n: number) =>
    new Promise<void>((resolve) => {
      const check = () => (lines.length >= n ? resolve() : undefined);
      socket.on("data", (d) => {
        rest += d.toString();
        const parts = rest.split("\n");
        rest = parts.pop()!;
        lines.push(...parts.filter(Boolean));
        check();
      });
      check();
    });
  socket.write(JSON.stringify(INIT) + "\n" + JSON.stringify({ id: 2, method: "thread/list", params: {} }) + "\n");
  await got(2);
  expect(JSON.parse(lines[0]!)).toMatchObject({ id: 1, result: { codexHome: env.codexHome } });
  expect(JSON.parse(lines[1]!)).toEqual({ id: 2, result: { data: [], nextCursor: null, backwardsCursor: null } });
  socket.destroy();
  const exited = new Promise((r) => child!.once("exit", r));
  child!.kill("SIGTERM");
  await exited;
  expect(() => statSync(sock)).toThrow();
});

test("websocket: refused without the token, served with it", async () => {
  const url = await startListening("ws://127.0.0.1:0");
  expect(url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
  const refused = await new Promise<number>((resolve) => {
    const ws = new WebSocket(url);
    ws.on("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
    ws.on("open", () => resolve(101));
  });
  expect(refused).toBe(401);
  const tokenFile = path.join(env.codexHome, "app-server-ws-token");
  expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
  const token = readFileSync(tokenFile, "utf8").trim();
  const ws = new WebSocket(url, { headers: { authorization: `Bearer ${token}` } });
  await new Promise((resolve, reject) => {
    ws.once("open", resolve);
    ws.once("error", reject);
  });
  const answer = new Promise<Record<string, unknown>>((resolve) => ws.once("message", (d) => resolve(JSON.parse(d.toString()))));
  ws.send(JSON.stringify(INIT));
  expect(await answer).toMatchObject({ id: 1, result: { platformFamily: "unix" } });
  ws.close();
});

test("websocket on a non-loopback address needs --ws-token-file", async () => {
  const r = spawn(process.execPath, [CODEX_BIN, "app-server", "--listen", "ws://0.0.0.0:0"], { cwd: env.repo, env: env.env, stdio: ["ignore", "pipe", "pipe"] });
  let err = "";
  r.stderr!.on("data", (d: Buffer) => (err += d.toString()));
  const code = await new Promise<number | null>((resolve) => r.once("exit", resolve));
  expect(code).toBe(1);
  expect(err).toContain("only loopback addresses are allowed without --ws-token-file");
});

/** A JSON-lines client over a unix socket. */
function lineClient(sock: string) {
  const socket = net.connect(sock);
  const seen: Array<Record<string, any>> = [];
  const waiters = new Set<() => void>();
  let rest = "";
  socket.on("data", (d) => {
    rest += d.toString();
    const parts = rest.split("\n");
    rest = parts.pop()!;
    for (const p of parts.filter(Boolean)) seen.push(JSON.parse(p));
    for (const w of [...waiters]) w();
  });
  const waitFor = (match: (m: Record<string, any>) => boolean) =>
    new Promise<Record<string, any>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out; saw ${seen.map((m) => m.method ?? m.id).join(", ")}`)), 15_000);
      const check = () => {
        const hit = seen.find(match);
        if (!hit) return;
        clearTimeout(timer);
        waiters.delete(check);
        resolve(hit);
      };
      waiters.add(check);
      check();
    });
  let id = 10;
  return {
    socket,
    seen,
    waitFor,
    send: (m: unknown) => socket.write(JSON.stringify(m) + "\n"),
    async call(method: string, params: unknown) {
      const n = id++;
      socket.write(JSON.stringify({ id: n, method, params }) + "\n");
      const answer = await waitFor((m) => m.id === n && !("method" in m));
      if (answer.error) throw new Error(JSON.stringify(answer.error));
      return answer.result;
    },
  };
}

test("a client that leaves with an approval pending: the turn ends interrupted, the server stays up, the next client is asked again", async () => {
  const { sse } = await import("../support/fake-responses-server.js");
  const { completed, created, functionCall } = await import("../support/sse.js");
  const { fakeProviderConfig } = await import("../support/codex-env.js");
  env.writeConfig(`approval_policy = "untrusted"\nsandbox_mode = "workspace-write"\n` + fakeProviderConfig(server.url));
  server.enqueue(sse(created("r1"), functionCall("call_1", "exec_command", { cmd: "touch left.txt" }), completed("r1")));
  const sock = path.join(env.home, "as.sock");
  await startListening(`unix://${sock}`);
  const a = lineClient(sock);
  await a.call("initialize", INIT.params);
  const { thread } = await a.call("thread/start", {});
  const { turn } = await a.call("turn/start", { threadId: thread.id, input: [{ type: "text", text: "go", text_elements: [] }] });
  await a.waitFor((m) => m.method === "item/commandExecution/requestApproval");
  a.socket.destroy();
  const b = lineClient(sock);
  await b.call("initialize", INIT.params);
  // The thread is still loaded in this server: resume subscribes b; a turn still running ends interrupted.
  const resumed = await b.call("thread/resume", { threadId: thread.id });
  if (resumed.thread.status.type === "active") await b.waitFor((m) => m.method === "turn/completed" && m.params.turn.id === turn.id);
  // The approval nobody answered is asked again of b, in a new turn, under the same item id.
  const again = await b.waitFor((m) => m.method === "item/commandExecution/requestApproval");
  expect(again.params).toMatchObject({ threadId: thread.id, itemId: "call_1" });
  expect(again.params.turnId).not.toBe(turn.id);
  // The rollout's last line can still be on its way to disk: read until it shows the turn's end (bounded).
  const deadline = Date.now() + 10_000;
  type Read = { turns: Array<{ id: string; status: string }>; status: unknown; path: string };
  let last: Read;
  const first = (t: Read) => t.turns.find((x) => x.id === turn.id);
  do last = (await b.call("thread/read", { threadId: thread.id, includeTurns: true })).thread;
  while (first(last)?.status !== "interrupted" && Date.now() < deadline);
  expect(first(last)?.status).toBe("interrupted");
  expect(last.status).toEqual({ type: "active", activeFlags: ["waitingOnApproval"] });
  expect(readFileSync(last.path, "utf8")).toContain('"call_id":"call_1"');
  b.socket.destroy();
});
