import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeTestEnv, type TestEnv } from "../support/codex-env.js";
import { faultServerToml } from "../support/mcp-env.js";
import { methodsSchemaProblems, startAppServer, type AppServerClient } from "./app-server-methods-client.js";

// command/exec, hooks/list and mcpServerStatus/list over stdio against the built binary.

let t: TestEnv;
let c: AppServerClient;

beforeEach(() => {
  t = makeTestEnv();
});
afterEach(async () => {
  // Every message the test saw validates against the reference's schema and ours.
  const problems = c ? methodsSchemaProblems(c) : [];
  await c?.close();
  t.cleanup();
  expect(problems).toEqual([]);
});
const start = async () => (c = await startAppServer({ env: t.env, cwd: t.repo }));

describe("command/exec", () => {
  it("runs a command and answers its exit code and both streams", async () => {
    await start();
    const { result } = await c.request("command/exec", { command: ["bash", "-c", "echo out; echo err >&2; exit 4"] });
    expect(result).toEqual({ exitCode: 4, stdout: "out\n", stderr: "err\n" });
  });

  it("streams output as base64 deltas before the answer, which then has empty streams", async () => {
    await start();
    const answer = await c.request("command/exec", {
      command: ["bash", "-c", "printf hello; printf oops >&2"],
      processId: "p1",
      streamStdoutStderr: true,
    });
    expect(answer.result).toEqual({ exitCode: 0, stdout: "", stderr: "" });
    const deltas = c.seen.filter((m) => m.method === "command/exec/outputDelta");
    const text = (stream: string) =>
      deltas.filter((d) => d.params.stream === stream).map((d) => Buffer.from(d.params.deltaBase64, "base64").toString()).join("");
    expect(text("stdout")).toBe("hello");
    expect(text("stderr")).toBe("oops");
    expect(deltas.every((d) => d.params.processId === "p1")).toBe(true);
    expect(c.seen.indexOf(deltas.at(-1)!)).toBeLessThan(c.seen.indexOf(answer));
  });

  it("runs in the configured sandbox (read-only by default): the repo cannot be written; full access can", async () => {
    await start();
    const denied = await c.request("command/exec", { command: ["bash", "-c", "echo x > f.txt"] });
    expect(denied.result.exitCode).not.toBe(0);
    expect(fs.existsSync(path.join(t.repo, "f.txt"))).toBe(false);
    const allowed = await c.request("command/exec", {
      command: ["bash", "-c", "echo x > f.txt"],
      sandboxPolicy: { type: "workspaceWrite", writableRoots: [], networkAccess: false, excludeTmpdirEnvVar: false, excludeSlashTmp: false },
    });
    expect(allowed.result.exitCode).toBe(0);
    expect(fs.readFileSync(path.join(t.repo, "f.txt"), "utf8")).toBe("x\n");
  });

  it("times out (124), and terminate ends a running command", async () => {
    await start();
    const slow = await c.request("command/exec", { command: ["sleep", "5"], timeoutMs: 200 });
    expect(slow.result.exitCode).toBe(124);
    const started = Date.now();
    const running = c.request("command/exec", { command: ["sleep", "30"], processId: "long", disableTimeout: true });
    // The server registers the process id as it reads the request, so a terminate sent next finds it.
    expect((await c.request("command/exec/terminate", { processId: "long" })).result).toEqual({});
    const ended = await running;
    expect(ended.result.exitCode).not.toBe(0);
    expect(Date.now() - started).toBeLessThan(20_000);
    const unknown = await c.request("command/exec/terminate", { processId: "long" });
    expect(unknown.error?.message).toBe('no active command/exec for process id "long"');
  });

  it("bad input: wrong type is -32602 naming the field; an empty command and conflicting options are refused", async () => {
    await start();
    const notArray = await c.request("command/exec", { command: "ls" });
    expect(notArray.error).toMatchObject({ code: -32602, message: expect.stringContaining("command") });
    const empty = await c.request("command/exec", { command: [] });
    expect(empty.error).toEqual({ code: -32600, message: "command must not be empty" });
    const both = await c.request("command/exec", { command: ["true"], disableTimeout: true, timeoutMs: 5 });
    expect(both.error).toEqual({ code: -32602, message: "command/exec cannot set both timeoutMs and disableTimeout" });
    const stream = await c.request("command/exec", { command: ["true"], streamStdoutStderr: true });
    expect(stream.error).toEqual({ code: -32600, message: "command/exec tty or streaming requires a client-supplied processId" });
  });
});

describe("hooks/list", () => {
  it("lists each handler with its trust status; a field of the wrong type is -32602", async () => {
    fs.writeFileSync(
      path.join(t.codexHome, "hooks.json"),
      JSON.stringify({ hooks: { PreToolUse: [{ matcher: "Bash", hooks: [{ type: "command", command: "echo pre", timeout: 7 }] }] } }),
    );
    await start();
    const { result } = await c.request("hooks/list", {});
    expect(result.data).toHaveLength(1);
    expect(result.data[0].cwd).toBe(t.repo);
    expect(result.data[0].hooks).toEqual([
      expect.objectContaining({
        eventName: "preToolUse",
        matcher: "Bash",
        handlerType: "command",
        command: "echo pre",
        timeoutSec: 7,
        source: "user",
        sourcePath: path.join(t.codexHome, "hooks.json"),
        enabled: true,
        trustStatus: "untrusted",
        currentHash: expect.stringMatching(/./),
      }),
    ]);
    const bad = await c.request("hooks/list", { cwds: "nope" });
    expect(bad.error).toMatchObject({ code: -32602, message: expect.stringContaining("cwds") });
  });
});

describe("mcpServerStatus/list", () => {
  it("starts each configured server once and lists its tools; a server that cannot start says why", async () => {
    t.writeConfig(
      [
        faultServerToml("fault", { log: path.join(t.home, "mcp.log") }),
        "[mcp_servers.broken]",
        'command = "/nonexistent/mcp-server"',
        "startup_timeout_sec = 5",
      ].join("\n"),
    );
    await start();
    const { result } = await c.request("mcpServerStatus/list", {});
    const byName = Object.fromEntries(result.data.map((s: { name: string }) => [s.name, s]));
    expect(byName.fault).toMatchObject({ runtimeStatus: "connected", toolsError: null, authStatus: "unsupported" });
    expect(byName.fault.tools["get-sum"]).toMatchObject({ name: "get-sum", inputSchema: expect.any(Object) });
    expect(byName.broken).toMatchObject({ runtimeStatus: "failed", tools: {} });
    expect(byName.broken.toolsError).toMatch(/./);
    const paged = await c.request("mcpServerStatus/list", { limit: 1 });
    expect(paged.result.data).toHaveLength(1);
    expect(paged.result.nextCursor).toBe("1");
    const bad = await c.request("mcpServerStatus/list", { detail: "everything" });
    expect(bad.error).toMatchObject({ code: -32602, message: expect.stringContaining("detail") });
  });
});
