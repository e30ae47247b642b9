// MCP tool calls pass the approval gate as in Codex 0.169: the tool's approval mode and annotations decide
// whether to ask; PermissionRequest hooks answer first (also under exec's approval policy never); a person
// is asked through the front end (here `codex mcp-server`, by elicitation). Asserted on the fake model
// server's requests, the MCP server's call log and the hook payloads.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { ElicitRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { CODEX_BIN, parseJsonl, runCodex, type TestEnv, useFakeServerEnv } from "../support/codex-env.js";
import { sse, type FakeServer } from "../support/fake-responses-server.js";
import { faultServerToml, readMcpLog } from "../support/mcp-env.js";
import { completed, created, functionCall, textMessage } from "../support/sse.js";
import { appendConfig, payloads, recordPayload, trustRepoByHand, writeProjectHooks } from "../hooks/hook-env.js";

let server: FakeServer;
let t: TestEnv;
useFakeServerEnv((s, e) => ((server = s), (t = e)));

const logFile = () => path.join(t.home, "mcp.log");
const calls = () => readMcpLog(logFile()).filter((l) => l.kind === "call").map((l) => l.name);
const NEVER = "MCP tool call requires approval, but approval policy is never";

function scriptCalls(list: Array<[string, unknown]>): void {
  list.forEach(([name, args], i) => server.enqueue(sse(created(`r${i}`), functionCall(`call_${i}`, name, args), completed(`r${i}`))));
  server.enqueue(sse(created("rz"), textMessage("done"), completed("rz")));
}
/** The text the model got back for a call, in the latest request that carries it. */
function modelSaw(callId: string): string {
  const req = [...server.requests].reverse().find((r) => r.functionCallOutput(callId) !== undefined);
  const out = req?.functionCallOutput(callId).output;
  return Array.isArray(out) ? out.map((p: { text?: string }) => p.text ?? "").join("\n") : String(out);
}
/** A PermissionRequest hook answering `behavior`, recording its payload under `tag`. */
function permissionHook(tag: string, behavior: "allow" | "deny", matcher = "^mcp__srv__"): void {
  const answer = `{"hookSpecificOutput":{"hookEventName":"PermissionRequest","decision":{"behavior":"${behavior}","message":"hook says ${behavior}"}}}`;
  writeProjectHooks(t, { PermissionRequest: [{ matcher, hooks: [{ type: "command", command: recordPayload(t, tag, `echo '${answer}'`) }] }] });
}
const configure = (extra = "") => {
  trustRepoByHand(t, server.url);
  appendConfig(t, faultServerToml("srv", { log: logFile(), extra }));
};

async function exec() {
  const r = await runCodex(["exec", "--json", "--skip-git-repo-check", "use the tools"], { env: t.env, cwd: t.repo });
  return { ...r, events: parseJsonl(r.stdout) };
}
const mcpItem = (events: ReturnType<typeof parseJsonl>, tool: string) =>
  events.find((e) => e.type === "item.completed" && e.item.type === "mcp_tool_call" && e.item.tool === tool)?.item;

describe("MCP approvals in exec (approval policy never)", () => {
  test("a PermissionRequest hook that allows runs a destructive tool; one that denies refuses it with its message", async () => {
    configure();
    permissionHook("perm", "allow");
    scriptCalls([["mcp__srv__drop_table", { name: "users" }]]);
    const r = await exec();
    expect(r.code, r.stderr).toBe(0);
    expect(calls()).toEqual(["drop_table"]);
    expect(mcpItem(r.events, "drop_table")).toMatchObject({ status: "completed", error: null });
    const [p] = payloads(t, "perm");
    expect(p).toMatchObject({ hook_event_name: "PermissionRequest", tool_name: "mcp__srv__drop_table", tool_input: { name: "users" }, cwd: t.repo });
    expect(typeof p.turn_id).toBe("string");

    permissionHook("perm2", "deny");
    scriptCalls([["mcp__srv__drop_table", { name: "users" }]]);
    const d = await exec();
    expect(d.code, d.stderr).toBe(0);
    expect(calls()).toEqual(["drop_table"]);
    expect(mcpItem(d.events, "drop_table")).toMatchObject({ status: "failed", result: null, error: { message: "hook says deny" } });
    expect(modelSaw("call_0")).toContain("hook says deny");
  });

  test("approval modes: approve runs a tool without annotations; prompt refuses even a read-only tool; read-only runs", async () => {
    configure(`default_tools_approval_mode = "approve"\n[mcp_servers.srv.tools.get-sum]\napproval_mode = "prompt"`);
    scriptCalls([["mcp__srv__write_note", {}], ["mcp__srv__get_sum", { a: 1, b: 2 }]]);
    const r = await exec();
    expect(r.code, r.stderr).toBe(0);
    expect(calls()).toEqual(["write_note"]);
    expect(mcpItem(r.events, "get-sum")).toMatchObject({ status: "failed", error: { message: NEVER } });

    configure();
    scriptCalls([["mcp__srv__get_sum", { a: 1, b: 2 }], ["mcp__srv__drop_table", { name: "x" }]]);
    const plain = await exec();
    expect(plain.code, plain.stderr).toBe(0);
    expect(calls()).toEqual(["write_note", "get-sum"]);
    expect(mcpItem(plain.events, "drop_table")).toMatchObject({ status: "failed", error: { message: NEVER } });
  });

  test("an invalid approval_mode is a one-line config error naming the field", async () => {
    configure(`default_tools_approval_mode = "sometimes"`);
    const r = await exec();
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/default_tools_approval_mode/);
    expect(server.requests).toHaveLength(0);
  });
});

let open: Client | null = null;
afterEach(async () => {
  await open?.close();
  open = null;
});

async function mcpServer(elicit?: (params: Record<string, unknown>) => Record<string, unknown>): Promise<Client> {
  const transport = new StdioClientTransport({ command: process.execPath, args: [CODEX_BIN, "mcp-server"], env: t.env, cwd: t.repo, stderr: "pipe" });
  const client = new Client({ name: "test-client", version: "1.0.0" }, elicit ? { capabilities: { elicitation: {} } } : {});
  if (elicit) client.setRequestHandler(ElicitRequestSchema, async (req) => elicit(req.params as Record<string, unknown>) as never);
  await client.connect(transport);
  open = client;
  return client;
}
const ON_REQUEST = { prompt: "use the tools", sandbox: "workspace-write", "approval-policy": "on-request" };

describe("MCP approvals asked through codex mcp-server (elicitation)", () => {
  test("a destructive tool asks with server, tool and arguments: decline refuses it, accept runs it; read-only does not ask", async () => {
    configure();
    const asked: Record<string, unknown>[] = [];
    const answers = ["decline", "accept"];
    const client = await mcpServer((p) => (asked.push(p), { action: answers.shift() ?? "decline" }));
    scriptCalls([["mcp__srv__get_sum", { a: 2, b: 3 }], ["mcp__srv__drop_table", { name: "users" }], ["mcp__srv__drop_table", { name: "logs" }]]);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const r: any = await client.callTool({ name: "codex", arguments: ON_REQUEST });
    expect(r.isError).toBeFalsy();
    expect(asked).toHaveLength(2);
    expect(asked[0]!.message).toBe('Allow the srv MCP server to run tool "drop_table"?');
    expect(asked[0]!._meta).toMatchObject({
      codex_approval_kind: "mcp_tool_call",
      codex_call_id: "call_1",
      server_name: "srv",
      tool_name: "drop_table",
      tool_params: { name: "users" },
      tool_description: "Deletes a table.",
      persist: ["session", "always"],
      threadId: r.structuredContent.threadId,
    });
    expect(modelSaw("call_1")).toContain("user rejected MCP tool call");
    expect(calls()).toEqual(["get-sum", "drop_table"]);
    expect(readMcpLog(logFile()).filter((l) => l.kind === "call")[1].arguments).toEqual({ name: "logs" });
  });

  test("accepted for the session (persist: session): the same tool runs again without asking", async () => {
    configure();
    const asked: unknown[] = [];
    const client = await mcpServer((p) => (asked.push(p), { action: "accept", content: {}, _meta: { persist: "session" } }));
    scriptCalls([["mcp__srv__drop_table", { name: "a" }], ["mcp__srv__drop_table", { name: "b" }]]);
    await client.callTool({ name: "codex", arguments: ON_REQUEST });
    expect(asked).toHaveLength(1);
    expect(calls()).toEqual(["drop_table", "drop_table"]);
  });
});

describe("don't ask again (persist: always)", () => {
  test("writes approval_mode = approve for that tool in config.toml; later sessions (even exec) run it without asking", async () => {
    configure();
    const asked: unknown[] = [];
    const client = await mcpServer((p) => (asked.push(p), { action: "accept", content: {}, _meta: { persist: "always" } }));
    scriptCalls([["mcp__srv__drop_table", { name: "a" }], ["mcp__srv__drop_table", { name: "b" }]]);
    await client.callTool({ name: "codex", arguments: ON_REQUEST });
    expect(asked).toHaveLength(1);
    expect(calls()).toEqual(["drop_table", "drop_table"]);
    const config = readFileSync(path.join(t.codexHome, "config.toml"), "utf8");
    expect(config).toContain(`[mcp_servers.srv.tools.drop_table]\napproval_mode = "approve"`);

    scriptCalls([["mcp__srv__drop_table", { name: "c" }], ["mcp__srv__write_note", {}]]);
    const r = await exec();
    expect(r.code, r.stderr).toBe(0);
    expect(calls()).toEqual(["drop_table", "drop_table", "drop_table"]);
    expect(mcpItem(r.events, "write_note")).toMatchObject({ status: "failed", error: { message: NEVER } });
  });
});

describe("PermissionRequest hooks through codex mcp-server", () => {
  test("allow: the MCP tool and the command run without asking the client; the payloads name the tools", async () => {
    configure();
    permissionHook("perm", "allow", "");
    const asked: unknown[] = [];
    const client = await mcpServer((p) => (asked.push(p), { action: "decline" }));
    scriptCalls([["mcp__srv__drop_table", { name: "users" }], ["exec_command", { cmd: "touch hooked.txt", login: false, sandbox_permissions: "require_escalated" }]]);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const r: any = await client.callTool({ name: "codex", arguments: ON_REQUEST });
    expect(r.isError).toBeFalsy();
    expect(asked).toEqual([]);
    expect(calls()).toEqual(["drop_table"]);
    expect(existsSync(path.join(t.repo, "hooked.txt"))).toBe(true);
    const got = payloads(t, "perm");
    expect(got.map((p) => p.tool_name)).toEqual(["mcp__srv__drop_table", "Bash"]);
    expect(got[0]).toMatchObject({ hook_event_name: "PermissionRequest", tool_input: { name: "users" }, cwd: t.repo });
    expect(got[1].tool_input.command).toBe("touch hooked.txt");
    expect(server.requests).toHaveLength(3);
    expect(modelSaw("call_0")).toContain("called drop_table");
  });

  test("deny: nothing runs, the client is not asked, the model sees the hook's message", async () => {
    configure();
    permissionHook("perm", "deny", "");
    const asked: unknown[] = [];
    const client = await mcpServer((p) => (asked.push(p), { action: "accept" }));
    scriptCalls([["mcp__srv__drop_table", { name: "users" }], ["exec_command", { cmd: "touch hooked.txt", login: false, sandbox_permissions: "require_escalated" }]]);
    await client.callTool({ name: "codex", arguments: ON_REQUEST });
    expect(asked).toEqual([]);
    expect(calls()).toEqual([]);
    expect(existsSync(path.join(t.repo, "hooked.txt"))).toBe(false);
    expect(modelSaw("call_0")).toContain("hook says deny");
    expect(modelSaw("call_1")).toContain("hook says deny");
    expect(payloads(t, "perm")).toHaveLength(2);
  });
});
