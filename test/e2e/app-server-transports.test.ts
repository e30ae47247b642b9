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
