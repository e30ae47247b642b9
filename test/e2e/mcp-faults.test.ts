// MCP faults through the built binary: streamable HTTP, a tool past its timeout, a crashing server
// restarted on next use, a server that cannot start, a server slower than its startup timeout.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { fakeProviderConfig, parseJsonl, runCodex, type TestEnv, useFakeServerEnv } from "../support/codex-env.js";
import { sse, type FakeServer } from "../support/fake-responses-server.js";
import { FAULT_SERVER, faultServerToml, readMcpLog } from "../support/mcp-env.js";
import { completed, created, functionCall, textMessage } from "../support/sse.js";

let server: FakeServer;
let t: TestEnv;
useFakeServerEnv((s, e) => ((server = s), (t = e)));
const logFile = () => path.join(t.home, "mcp.log");

let httpServer: ChildProcess | undefined;
afterEach(() => {
  httpServer?.kill("SIGKILL");
  httpServer = undefined;
});

function scriptCalls(calls: Array<[string, unknown]>): void {
  calls.forEach(([name, args], i) => server.enqueue(sse(created(`r${i}`), functionCall(`call_${i}`, name, args), completed(`r${i}`))));
  server.enqueue(sse(created("rz"), textMessage("done"), completed("rz")));
}

async function exec(extraToml: string, env: Record<string, string> = {}) {
  t.writeConfig(fakeProviderConfig(server.url, extraToml));
  const r = await runCodex(["exec", "--json", "--skip-git-repo-check", "use the tools"], { env: { ...t.env, ...env }, cwd: t.repo });
  return { ...r, events: parseJsonl(r.stdout) };
}

/** Starts the fault server in HTTP mode and resolves with its URL once it printed its port. */
function startHttpServer(log: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [FAULT_SERVER, "--http"], { env: { ...process.env, MCP_LOG: log }, stdio: ["ignore", "pipe", "inherit"] });
    httpServer = child;
    let out = "";
    child.stdout!.on("data", (d) => {
      out += d;
      const m = /PORT (\d+)/.exec(out);
      if (m) resolve(`http://127.0.0.1:${m[1]}/mcp`);
    });
    child.on("exit", (code) => reject(new Error(`http server exited ${code}`)));
  });
}

describe("MCP faults", () => {
  test("streamable HTTP: tools listed and called; static, env and bearer headers sent", async () => {
    const url = await startHttpServer(logFile());
    scriptCalls([["mcp__web__get_sum", { a: 1, b: 1 }]]);
    const r = await exec(
      [
        `[mcp_servers.web]`,
        `url = ${JSON.stringify(url)}`,
        `bearer_token_env_var = "WEB_TOKEN"`,
        `http_headers = { "X-Static" = "s1" }`,
        `env_http_headers = { "X-From-Env" = "WEB_HEADER" }`,
      ].join("\n"),
      { WEB_TOKEN: "tok-123", WEB_HEADER: "h-456" },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(server.requests[1]!.functionCallOutput("call_0").output).toContain('{"sum":2}');
    const posts = readMcpLog(logFile()).filter((l) => l.kind === "http" && l.method === "POST");
    expect(posts.length).toBeGreaterThan(0);
    expect(posts[0].headers).toMatchObject({ authorization: "Bearer tok-123", "x-static": "s1", "x-from-env": "h-456" });
    expect(readMcpLog(logFile()).find((l) => l.kind === "call")).toMatchObject({ name: "get-sum" });
  });

  test("a tool past tool_timeout_sec fails its item, the model hears why, the turn goes on", async () => {
    scriptCalls([["mcp__srv__slow", { ms: 20_000 }]]);
    const r = await exec(faultServerToml("srv", { log: logFile(), extra: "tool_timeout_sec = 0.5" }));
    expect(r.code, r.stderr).toBe(0);
    const item = r.events.find((e) => e.type === "item.completed" && e.item.type === "mcp_tool_call");
    expect(item.item).toMatchObject({ tool: "slow", status: "failed", result: null, error: { message: expect.stringContaining("timed out") } });
    expect(server.requests[1]!.functionCallOutput("call_0").output).toMatch(/timed out after 0\.5 s/);
    expect(r.events.at(-1).type).toBe("turn.completed");
  });

  test("a server that crashes warns once and is restarted on its next use", async () => {
    const marker = path.join(t.home, "crashed");
    scriptCalls([["mcp__srv__crash", {}], ["mcp__srv__crash", {}]]);
    const r = await exec(faultServerToml("srv", { log: logFile(), args: ["--crash-once", marker] }));
    expect(r.code, r.stderr).toBe(0);
    const items = r.events.filter((e) => e.type === "item.completed" && e.item.type === "mcp_tool_call");
    expect(items.map((e) => e.item.status)).toEqual(["failed", "completed"]);
    expect(JSON.stringify(server.requests[2]!.functionCallOutput("call_1").output)).toContain("alive again");
    const warnings = r.events.filter((e) => e.type === "item.completed" && e.item.type === "error" && /srv/.test(e.item.message));
    expect(warnings).toHaveLength(1);
    expect(warnings[0].item.message).toMatch(/MCP server `srv` exited.*restarted on next use/);
    expect(readMcpLog(logFile()).filter((l) => l.kind === "start")).toHaveLength(2);
  });

  test("a server that cannot start gives one warning naming it; the session goes on without it", async () => {
    scriptCalls([]);
    const r = await exec(`[mcp_servers.broken]\ncommand = "/nonexistent/mcp-server-binary"\n`);
    expect(r.code, r.stderr).toBe(0);
    const warnings = r.events.filter((e) => e.item?.type === "error" && /broken/.test(e.item.message));
    expect(warnings).toHaveLength(1);
    expect(warnings[0].item.message).toMatch(/^MCP client for `broken` failed to start: /);
    expect(server.requests[0]!.body.tools.some((x: { name?: string }) => x.name?.startsWith("mcp__broken"))).toBe(false);
    expect(r.events.at(-1).type).toBe("turn.completed");
  });

  test("a server slower than startup_timeout_sec is waited for that long only; a quick one still serves", async () => {
    scriptCalls([["mcp__quick__get_sum", { a: 4, b: 5 }]]);
    const slow = faultServerToml("slow", { log: logFile(), args: ["--slow-start", "30000"], extra: "startup_timeout_sec = 1" });
    const quick = faultServerToml("quick", { log: path.join(t.home, "quick.log") });
    const started = Date.now();
    const r = await exec(`${slow}\n${quick}`);
    expect(r.code, r.stderr).toBe(0);
    expect(Date.now() - started).toBeLessThan(25_000);
    const warnings = r.events.filter((e) => e.item?.type === "error" && /`slow`/.test(e.item.message));
    expect(warnings).toHaveLength(1);
    expect(warnings[0].item.message).toMatch(/did not start within 1 s/);
    expect(server.requests[1]!.functionCallOutput("call_0").output).toContain('{"sum":9}');
  });
});

describe("MCP servers end with the CLI", () => {
  test("Ctrl-C mid-call: the CLI exits and takes along a server that ignores TERM and the end of its stdin", async () => {
    const { spawnCodex } = await import("../support/codex-env.js");
    const { readFileSync, existsSync } = await import("node:fs");
    server.enqueue(sse(created("r0"), functionCall("call_0", "mcp__srv__slow", { ms: 60_000 }), completed("r0")));
    t.writeConfig(fakeProviderConfig(server.url, faultServerToml("srv", { log: logFile(), args: ["--stubborn"] })));
    const child = spawnCodex(["exec", "--json", "--skip-git-repo-check", "go"], { env: t.env, cwd: t.repo });
    const closed = new Promise((resolve) => child.on("close", resolve));
    const deadline = Date.now() + 20_000;
    const calls = () => readMcpLog(logFile()).filter((l) => l.kind === "call");
    while (calls().length === 0) {
      if (Date.now() > deadline) throw new Error("the slow call never reached the server");
      await new Promise((r) => setTimeout(r, 20));
    }
    const { pid } = readMcpLog(logFile()).find((l) => l.kind === "start");
    child.kill("SIGINT");
    child.kill("SIGINT");
    await closed;
    const gone = () => !existsSync(`/proc/${pid}`) || /\) [ZX] /.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
    const until = Date.now() + 5_000;
    while (!gone()) {
      if (Date.now() > until) {
        process.kill(pid, "SIGKILL");
        throw new Error(`MCP server ${pid} outlived the CLI`);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  });
});
