// A client that disconnects while an MCP tool approval (mcpServer/elicitation/request) is pending: the turn
// ends interrupted (it never waits forever) and the tool does not run. Served on a unix socket so a second
// client can look at the thread afterwards: resuming it, that client is asked again, and its accept runs the tool.
import { spawn, type ChildProcess } from "node:child_process";
import { appendFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { afterEach, expect, test } from "vitest";
import { CODEX_BIN, fakeProviderConfig, makeTestEnv, type TestEnv } from "../support/codex-env.js";
import { sse, startFakeResponsesServer, type FakeServer } from "../support/fake-responses-server.js";
import { faultServerToml, readMcpLog } from "../support/mcp-env.js";
import { completed, created, functionCall, textMessage } from "../support/sse.js";

let server: FakeServer;
let env: TestEnv;
let child: ChildProcess | undefined;

afterEach(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child!.once("exit", r));
    child.kill("SIGTERM");
    await exited;
  }
  await server.close();
  env.cleanup();
});

function listen(sock: string): Promise<void> {
  child = spawn(process.execPath, [CODEX_BIN, "app-server", "--listen", `unix://${sock}`], { cwd: env.repo, env: env.env, stdio: ["ignore", "pipe", "pipe"] });
  return new Promise((resolve, reject) => {
    let err = "";
    const timer = setTimeout(() => reject(new Error(`no listening line: ${err}`)), 20_000);
    child!.stderr!.on("data", (d: Buffer) => {
      err += d.toString();
      if (/listening on /.test(err)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child!.once("exit", (code) => reject(new Error(`exited ${code}: ${err}`)));
  });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Msg = Record<string, any>;

/** A JSON-lines client on the socket: send, and wait (with a deadline) for the first message that matches. */
function connect(sock: string) {
  const socket = net.connect(sock);
  const seen: Msg[] = [];
  const waiters: Array<{ match(m: Msg): boolean; resolve(m: Msg): void }> = [];
  let rest = "";
  socket.on("data", (d) => {
    rest += d.toString();
    const parts = rest.split("\n");
    rest = parts.pop()!;
    for (const line of parts.filter(Boolean)) {
      const m = JSON.parse(line) as Msg;
      seen.push(m);
      for (let i = waiters.length - 1; i >= 0; i--) if (waiters[i]!.match(m)) waiters.splice(i, 1)[0]!.resolve(m);
    }
  });
  let nextId = 1;
  const waitFor = (match: (m: Msg) => boolean, what: string): Promise<Msg> => {
    const already = seen.find(match);
    if (already) return Promise.resolve(already);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), 30_000);
      waiters.push({ match, resolve: (m) => (clearTimeout(timer), resolve(m)) });
    });
  };
  const call = async (method: string, params: unknown): Promise<Msg> => {
    const id = nextId++;
    socket.write(JSON.stringify({ id, method, params }) + "\n");
    const answer = await waitFor((m) => m.id === id && !("method" in m), method);
    if (answer.error) throw new Error(`${method}: ${JSON.stringify(answer.error)}`);
    return answer.result;
  };
  return { socket, seen, waitFor, call };
}

const INIT = { clientInfo: { name: "t", title: null, version: "1" }, capabilities: null };

test("the client leaves with the elicitation unanswered: the turn is interrupted and the tool never runs", async () => {
  server = await startFakeResponsesServer();
  env = makeTestEnv({ baseUrl: server.url });
  const log = path.join(env.home, "mcp.log");
  env.writeConfig(
    `approval_policy = "on-request"\nsandbox_mode = "workspace-write"\n` +
      fakeProviderConfig(server.url, `\n[projects.${JSON.stringify(env.repo)}]\ntrust_level = "trusted"\n`),
  );
  appendFileSync(path.join(env.codexHome, "config.toml"), `\n${faultServerToml("srv", { log })}\n`);
  server.enqueue(
    sse(created("r1"), functionCall("call_0", "mcp__srv__drop_table", { name: "users" }), completed("r1")),
    sse(created("r2"), textMessage("done"), completed("r2")),
  );
  const sock = path.join(env.home, "as.sock");
  await listen(sock);

  const a = connect(sock);
  await a.call("initialize", INIT);
  const { thread } = await a.call("thread/start", {});
  const { turn } = await a.call("turn/start", { threadId: thread.id, input: [{ type: "text", text: "drop it", text_elements: [] }] });
  await a.waitFor((m) => m.method === "mcpServer/elicitation/request", "the elicitation");
  a.socket.destroy();

  const b = connect(sock);
  await b.call("initialize", INIT);
  const resumed = await b.call("thread/resume", { threadId: thread.id });
  // Subscribed before the answer: either the turn already ended or its end comes to b. An ended turn's record is
  // read from the journal, which may trail the idle status by a moment: read it again until the turn is there.
  let status: string | undefined;
  if (resumed.thread.status.type === "idle") {
    const deadline = Date.now() + 10_000;
    for (let turns = resumed.thread.turns as Msg[]; ; ) {
      status = turns.find((t: Msg) => t.id === turn.id)?.status;
      if ((status !== undefined && status !== "inProgress") || Date.now() > deadline) break;
      turns = (await b.call("thread/read", { threadId: thread.id, includeTurns: true })).thread.turns;
    }
  } else {
    status = (await b.waitFor((m) => m.method === "turn/completed" && m.params.turn.id === turn.id, "turn/completed")).params.turn.status;
  }
  expect(status).toBe("interrupted");
  expect(readMcpLog(log).filter((l) => l.kind === "call")).toEqual([]);
  expect(server.requests).toHaveLength(1);
  // The unanswered approval is asked again of the client that resumed the thread; accepted, the tool runs once.
  const again = await b.waitFor((m) => m.method === "mcpServer/elicitation/request", "the elicitation asked again");
  expect(again.params).toMatchObject({ threadId: thread.id, serverName: "srv" });
  expect(again.params.turnId).not.toBe(turn.id);
  b.socket.write(JSON.stringify({ id: again.id, result: { action: "accept", content: {} } }) + "\n");
  const done = await b.waitFor((m) => m.method === "turn/completed" && m.params.turn.id === again.params.turnId, "the resumed turn's end");
  expect(done.params.turn.status).toBe("completed");
  expect(readMcpLog(log).filter((l) => l.kind === "call")).toHaveLength(1);
  expect(server.requests).toHaveLength(2);
  expect(JSON.stringify(server.requests[1]!.functionCallOutput("call_0"))).not.toContain("aborted");
  b.socket.destroy();
});
