// A streamable-HTTP MCP server that restarts (and so loses its sessions) or is down for a while: the
// client opens a new session and the call goes through, as a crashed stdio server is restarted on next
// use. One long-lived `codex mcp-server` process keeps the MCP connection across turns; the test stops
// and starts the SDK-written HTTP server on the same port between them.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { appendConfig } from "../hooks/hook-env.js";
import { CODEX_BIN, type TestEnv, useFakeServerEnv } from "../support/codex-env.js";
import { sse, type FakeServer } from "../support/fake-responses-server.js";
import { FAULT_SERVER, readMcpLog } from "../support/mcp-env.js";
import { completed, created, functionCall, textMessage } from "../support/sse.js";

let server: FakeServer;
let t: TestEnv;
useFakeServerEnv((s, e) => ((server = s), (t = e)));

const logFile = () => path.join(t.home, "mcp.log");
let http: ChildProcess | null = null;
let client: Client | null = null;
afterEach(async () => {
  await client?.close();
  client = null;
  await stopHttp();
});

/** Starts the stateful HTTP fault server (on `port`, or any free one); resolves with its port. */
function startHttp(port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [FAULT_SERVER, "--http", "--stateful", "--port", String(port)], {
      env: { ...process.env, MCP_LOG: logFile() },
      stdio: ["ignore", "pipe", "inherit"],
    });
    http = child;
    let out = "";
    child.stdout!.on("data", (d) => {
      out += d;
      const m = /PORT (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.on("exit", (code) => reject(new Error(`http server exited ${code}`)));
  });
}
async function stopHttp(): Promise<void> {
  const child = http;
  http = null;
  if (!child || child.exitCode !== null) return;
  const gone = new Promise((r) => child.once("exit", r));
  child.kill("SIGKILL");
  await gone;
}

function turn(id: string, args: { a: number; b: number }): void {
  server.enqueue(sse(created(`r${id}`), functionCall(`call_${id}`, "mcp__web__get_sum", args), completed(`r${id}`)));
  server.enqueue(sse(created(`d${id}`), textMessage(`done ${id}`), completed(`d${id}`)));
}
function modelSaw(callId: string): string {
  const req = [...server.requests].reverse().find((r) => r.functionCallOutput(callId) !== undefined);
  return JSON.stringify(req?.functionCallOutput(callId).output);
}
const sessions = () => readMcpLog(logFile()).filter((l) => l.kind === "session").map((l) => l.id);
const callCount = () => readMcpLog(logFile()).filter((l) => l.kind === "call").length;

async function connect(): Promise<Client> {
  const transport = new StdioClientTransport({ command: process.execPath, args: [CODEX_BIN, "mcp-server"], env: t.env, cwd: t.repo, stderr: "pipe" });
  client = new Client({ name: "test-client", version: "1.0.0" });
  await client.connect(transport);
  return client;
}

describe("streamable HTTP MCP server restarts", () => {
  test("a restarted server (session lost) gets a new session and the call goes through; one that is down fails that call and is reached again later", async () => {
    const port = await startHttp();
    appendConfig(t, `[mcp_servers.web]\nurl = "http://127.0.0.1:${port}/mcp"`);
    const c = await connect();
    const args = { sandbox: "read-only", "approval-policy": "never" };

    turn("1", { a: 1, b: 1 });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const first: any = await c.callTool({ name: "codex", arguments: { prompt: "one", ...args } });
    expect(first.isError).toBeFalsy();
    const threadId = first.structuredContent.threadId as string;
    expect(modelSaw("call_1")).toContain('{\\"sum\\":2}');
    expect(sessions()).toHaveLength(1);

    // Restart on the same port: the old session id is unknown there (404), so the client starts a new one.
    await stopHttp();
    await startHttp(port);
    turn("2", { a: 2, b: 2 });
    await c.callTool({ name: "codex-reply", arguments: { threadId, prompt: "two" } });
    expect(modelSaw("call_2")).toContain('{\\"sum\\":4}');
    expect(sessions()).toHaveLength(2);
    const stale = readMcpLog(logFile()).filter((l) => l.kind === "http" && l.headers["mcp-session-id"] === sessions()[0]);
    expect(stale.length).toBeGreaterThan(0);

    // Down: that call fails (the model hears why, the turn completes); back up: the next call reconnects.
    await stopHttp();
    turn("3", { a: 3, b: 3 });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const down: any = await c.callTool({ name: "codex-reply", arguments: { threadId, prompt: "three" } });
    expect(down.isError).toBeFalsy();
    expect(modelSaw("call_3")).toMatch(/tool call error: .*web/);
    expect(callCount()).toBe(2);
    await startHttp(port);
    turn("4", { a: 4, b: 4 });
    await c.callTool({ name: "codex-reply", arguments: { threadId, prompt: "four" } });
    expect(modelSaw("call_4")).toContain('{\\"sum\\":8}');
    expect(sessions()).toHaveLength(3);
  });
});
