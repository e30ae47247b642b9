// The MCP client through the built binary: stdio servers (a real one from npm and the SDK-written fault
// server), qualified names, _meta, results and images as the model sees them, JSONL items, env isolation.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { fakeProviderConfig, parseJsonl, runCodex, type TestEnv, useFakeServerEnv } from "../support/codex-env.js";
import { sse, type FakeServer } from "../support/fake-responses-server.js";
import { faultServerToml, FILESYSTEM_SERVER, readMcpLog } from "../support/mcp-env.js";
import { completed, created, functionCall, textMessage } from "../support/sse.js";

let server: FakeServer;
let t: TestEnv;
useFakeServerEnv((s, e) => ((server = s), (t = e)));

const PNG_B64 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";
const logFile = () => path.join(t.home, "mcp.log");

function scriptCalls(calls: Array<[string, unknown]>): void {
  calls.forEach(([name, args], i) => server.enqueue(sse(created(`r${i}`), functionCall(`call_${i}`, name, args), completed(`r${i}`))));
  server.enqueue(sse(created("rz"), textMessage("done"), completed("rz")));
}

async function exec(extraToml: string, env: Record<string, string> = {}) {
  t.writeConfig(fakeProviderConfig(server.url, extraToml));
  const r = await runCodex(["exec", "--json", "--skip-git-repo-check", "use the tools"], { env: { ...t.env, ...env }, cwd: t.repo });
  return { ...r, events: parseJsonl(r.stdout) };
}

describe("MCP over stdio", () => {
  test("the real filesystem server: its tools are offered, a file is read through a model call", async () => {
    writeFileSync(path.join(t.repo, "notes.txt"), "hello from a file\n");
    scriptCalls([["mcp__fs__read_text_file", { path: path.join(t.repo, "notes.txt") }]]);
    const r = await exec(`[mcp_servers.fs]\ncommand = ${JSON.stringify(FILESYSTEM_SERVER)}\nargs = [${JSON.stringify(t.repo)}]\n`);
    expect(r.code, r.stderr).toBe(0);
    const names = server.requests[0]!.body.tools.map((x: { name?: string }) => x.name);
    expect(names).toEqual(expect.arrayContaining(["mcp__fs__read_text_file", "mcp__fs__list_directory", "list_mcp_resources", "read_mcp_resource"]));
    const output = JSON.stringify(server.requests[1]!.functionCallOutput("call_0").output);
    expect(output).toContain("hello from a file");
    const done = r.events.find((e) => e.type === "item.completed" && e.item.type === "mcp_tool_call");
    expect(done.item).toMatchObject({ server: "fs", tool: "read_text_file", status: "completed", error: null });
    expect(r.stderr).not.toContain("Secure MCP Filesystem Server"); // the server's stderr banner stays out of our terminal
  });

  test("names are normalised (get-sum -> mcp__srv__get_sum), the original name and _meta reach the server", async () => {
    scriptCalls([["mcp__srv__get_sum", { a: 2, b: 3 }], ["mcp__srv__widget", {}]]);
    const r = await exec(faultServerToml("srv", { log: logFile(), args: ["--long-name"] }));
    expect(r.code, r.stderr).toBe(0);
    const names: string[] = server.requests[0]!.body.tools.map((x: { name?: string }) => x.name);
    expect(names).toContain("mcp__srv__get_sum");
    const long = names.filter((n) => n.startsWith("mcp__srv__xxx"));
    expect(long).toHaveLength(1);
    expect(long[0]!.length).toBeLessThanOrEqual(64);
    expect(long[0]).toMatch(/_[0-9a-f]{8}$/);
    for (const n of names) expect(n).toMatch(/^[A-Za-z0-9_]+$/);
    const call = readMcpLog(logFile()).find((l) => l.kind === "call");
    expect(call.name).toBe("get-sum");
    // The server's stderr stays out of our terminal, and the server is gone once exec has exited.
    expect(r.stderr).not.toContain("fault-server: starting on stdio");
    const { pid } = readMcpLog(logFile()).find((l) => l.kind === "start");
    expect(() => process.kill(pid, 0)).toThrow();
    expect(call.arguments).toEqual({ a: 2, b: 3 });
    const threadId = r.events.find((e) => e.type === "thread.started").thread_id;
    expect(call._meta).toMatchObject({
      callId: "call_0",
      threadId,
      sessionId: threadId,
      windowId: `${threadId}:0`,
      itemId: "fc_call_0",
      "x-codex-turn-metadata": { session_id: threadId, thread_id: threadId },
    });
    expect(call._meta.resource_uri).toBeUndefined();
    expect(typeof call._meta["x-codex-turn-metadata"].turn_id).toBe("string");
    // structuredContent is what the model sees, after the wall-time header
    expect(server.requests[1]!.functionCallOutput("call_0").output).toMatch(/^Wall time: \d+\.\d{4} seconds\nOutput:\n\{"sum":5\}$/);
    // A tool with a UI resource has it in _meta as resource_uri.
    expect(readMcpLog(logFile()).filter((l) => l.kind === "call")[1]._meta.resource_uri).toBe("ui://widget/main.html");
    const items = r.events.filter((e) => e.item?.type === "mcp_tool_call" && e.item.tool === "get-sum");
    expect(items.map((e) => e.type)).toEqual(["item.started", "item.completed"]);
    expect(items[1].item).toEqual({
      id: items[0].item.id,
      type: "mcp_tool_call",
      server: "srv",
      tool: "get-sum",
      arguments: { a: 2, b: 3 },
      result: { content: [{ type: "text", text: "5" }], structured_content: { sum: 5 } },
      error: null,
      status: "completed",
    });
  });

  test("an image result reaches the model as an input image; isError is a failed item whose text the model sees", async () => {
    scriptCalls([["mcp__srv__image", {}], ["mcp__srv__fail", {}]]);
    const r = await exec(faultServerToml("srv", { log: logFile() }));
    expect(r.code, r.stderr).toBe(0);
    const image = server.requests[1]!.functionCallOutput("call_0").output;
    expect(image).toEqual([
      { type: "input_text", text: expect.stringMatching(/^Wall time: .* seconds\nOutput:$/) },
      { type: "input_text", text: "a dot" },
      { type: "input_image", image_url: `data:image/png;base64,${PNG_B64}`, detail: "original" },
    ]);
    expect(JSON.stringify(server.requests[2]!.functionCallOutput("call_1").output)).toContain("it broke");
    const failed = r.events.find((e) => e.type === "item.completed" && e.item.tool === "fail");
    expect(failed.item).toMatchObject({ status: "failed", error: null, result: { content: [{ type: "text", text: "it broke" }] } });
  });

  test("a tool that is not read-only is refused where nobody can approve it (exec); full access runs it", async () => {
    scriptCalls([["mcp__srv__write_note", {}]]);
    const r = await exec(faultServerToml("srv", { log: logFile() }));
    expect(r.code, r.stderr).toBe(0);
    const refused = "MCP tool call requires approval, but approval policy is never";
    const item = r.events.find((e) => e.type === "item.completed" && e.item.type === "mcp_tool_call");
    expect(item.item).toMatchObject({ tool: "write_note", status: "failed", result: null, error: { message: refused } });
    expect(server.requests[1]!.functionCallOutput("call_0").output[1]).toEqual({ type: "input_text", text: refused });
    expect(readMcpLog(logFile()).filter((l) => l.kind === "call")).toEqual([]);

    scriptCalls([["mcp__srv__write_note", {}]]);
    t.writeConfig(fakeProviderConfig(server.url, faultServerToml("srv", { log: logFile() })));
    const full = await runCodex(["exec", "--json", "--skip-git-repo-check", "--dangerously-bypass-approvals-and-sandbox", "go"], { env: t.env, cwd: t.repo });
    expect(full.code, full.stderr).toBe(0);
    expect(readMcpLog(logFile()).filter((l) => l.kind === "call").map((l) => l.name)).toEqual(["write_note"]);
  });

  test("the client declares elicitation as the reference does; a server's own question is declined in exec", async () => {
    scriptCalls([["mcp__srv__ask", {}]]);
    const r = await exec(faultServerToml("srv", { log: logFile() }));
    expect(r.code, r.stderr).toBe(0);
    const init = readMcpLog(logFile()).find((l) => l.kind === "initialized");
    expect(init.capabilities).toEqual({ elicitation: { form: {}, url: {} } });
    expect(init.clientInfo).toMatchObject({ name: "codex-mcp-client", title: "Codex" });
    expect(JSON.stringify(server.requests[1]!.functionCallOutput("call_0").output)).toContain('{\\"action\\":\\"decline\\"}');
  });

  test("the server sees only its configured env and a minimal base: no API keys", async () => {
    scriptCalls([["mcp__srv__echo_env", {}]]);
    const extra = `env_vars = ["PASSED_ON"]\ncwd = ${JSON.stringify(t.home)}\ndisabled_tools = ["image"]`;
    const r = await exec(faultServerToml("srv", { log: logFile(), env: { GIVEN: "yes" }, extra }), {
      OPENAI_API_KEY: "sk-openai-secret-0123456789",
      SOME_OTHER: "not for servers",
      PASSED_ON: "named in env_vars",
    });
    expect(r.code, r.stderr).toBe(0);
    const start = readMcpLog(logFile()).find((l) => l.kind === "start");
    expect(start.env.OPENAI_API_KEY).toBeUndefined();
    expect(start.env.CODEX_API_KEY).toBeUndefined();
    expect(start.env.SOME_OTHER).toBeUndefined();
    expect(start.env).toMatchObject({ GIVEN: "yes", PASSED_ON: "named in env_vars", HOME: t.home });
    expect(start.cwd).toBe(t.home);
    const names = server.requests[0]!.body.tools.map((x: { name?: string }) => x.name);
    expect(names).toContain("mcp__srv__echo_env");
    expect(names).not.toContain("mcp__srv__image");
    expect(JSON.stringify(server.requests.map((q) => q.body))).not.toContain("sk-openai-secret");
  });

  test("server instructions go into the developer message; resources can be listed and read", async () => {
    scriptCalls([
      ["list_mcp_resources", {}],
      ["read_mcp_resource", { server: "srv", uri: "mem://notes/today" }],
      ["list_mcp_resource_templates", { server: "srv" }],
    ]);
    const r = await exec(faultServerToml("srv", { log: logFile(), args: ["--instructions", "Use srv tools wisely."] }));
    expect(r.code, r.stderr).toBe(0);
    const developer = server.requests[0]!.input.filter((i) => i.type === "message" && i.role === "developer");
    const texts = developer.flatMap((m) => m.content.map((c: { text: string }) => c.text));
    expect(texts).toContain("<tools>\nTool namespaces:\n- mcp__srv: Use srv tools wisely.\n</tools>");
    expect(JSON.parse(server.requests[1]!.functionCallOutput("call_0").output)).toEqual({
      resources: [{ uri: "mem://notes/today", name: "today", mimeType: "text/plain", server: "srv" }],
    });
    expect(JSON.parse(server.requests[2]!.functionCallOutput("call_1").output)).toMatchObject({
      server: "srv",
      uri: "mem://notes/today",
      contents: [{ uri: "mem://notes/today", text: "notes for mem://notes/today" }],
    });
    expect(server.requests[3]!.functionCallOutput("call_2").output).toContain("mem://notes/{day}");
  });
});
