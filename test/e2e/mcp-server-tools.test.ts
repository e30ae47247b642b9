// `codex mcp-server` driven by the MCP SDK's own client over stdio (the built binary as a child process),
// with the fake Responses server as the model.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { ElicitRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { existsSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import { CODEX_BIN, spawnCodex, type TestEnv, useFakeServerEnv } from "../support/codex-env.js";
import { httpError, sse, stallAfter, type FakeServer } from "../support/fake-responses-server.js";
import { completed, created, functionCall, textMessage } from "../support/sse.js";

let server: FakeServer;
let t: TestEnv;
useFakeServerEnv((s, e) => ((server = s), (t = e)));

interface Notice {
  method: string;
  params?: Record<string, unknown>;
}

let open: { client: Client; transport: StdioClientTransport } | null = null;
afterEach(async () => {
  await open?.client.close();
  open = null;
});

async function connect(
  o: { elicit?: (params: Record<string, unknown>) => Record<string, unknown> } = {},
): Promise<{ client: Client; notices: Notice[]; transport: StdioClientTransport }> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CODEX_BIN, "mcp-server"],
    env: t.env,
    cwd: t.repo,
    stderr: "pipe",
  });
  const client = new Client({ name: "test-client", version: "1.0.0" }, o.elicit ? { capabilities: { elicitation: {} } } : {});
  if (o.elicit) {
    const elicit = o.elicit;
    client.setRequestHandler(ElicitRequestSchema, async (req) => elicit(req.params as Record<string, unknown>) as never);
  }
  const notices: Notice[] = [];
  client.fallbackNotificationHandler = async (n) => void notices.push(n as Notice);
  await client.connect(transport);
  open = { client, transport };
  return { client, notices, transport };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyResult = any;

describe("codex mcp-server", () => {
  test("tools/list: codex and codex-reply with the reference's schemas", async () => {
    const { client } = await connect();
    const { tools } = await client.listTools();
    expect(tools.map((x) => x.name)).toEqual(["codex", "codex-reply"]);
    const codex = tools[0]!;
    expect(codex.title).toBe("Codex");
    expect(codex.inputSchema.required).toEqual(["prompt"]);
    expect(Object.keys(codex.inputSchema.properties ?? {}).sort()).toEqual([
      "approval-policy",
      "base-instructions",
      "compact-prompt",
      "config",
      "cwd",
      "developer-instructions",
      "model",
      "profile",
      "prompt",
      "sandbox",
    ]);
    expect((codex.inputSchema.properties as AnyResult)["approval-policy"].enum).toEqual(["untrusted", "on-failure", "on-request", "never"]);
    expect((codex.inputSchema.properties as AnyResult).sandbox.enum).toEqual(["read-only", "workspace-write", "danger-full-access"]);
    expect(codex.outputSchema).toEqual({
      type: "object",
      properties: { threadId: { type: "string" }, content: { type: "string" } },
      required: ["threadId", "content"],
    });
    const reply = tools[1]!;
    expect(reply.inputSchema.required).toEqual(["prompt"]);
    expect(Object.keys(reply.inputSchema.properties ?? {}).sort()).toEqual(["conversationId", "prompt", "threadId"]);
  });

  test("codex answers with the model's message and a thread id; codex-reply continues that thread", async () => {
    const { client, notices } = await connect();
    server.enqueue(sse(created(), textMessage("first answer"), completed()));
    const first: AnyResult = await client.callTool({
      name: "codex",
      arguments: { prompt: "first question", model: "gpt-5.5", sandbox: "read-only", "approval-policy": "never" },
    });
    expect(first.isError).toBeFalsy();
    expect(first.content).toEqual([{ type: "text", text: "first answer" }]);
    const threadId = first.structuredContent.threadId as string;
    expect(threadId).toMatch(/^[0-9a-f-]{36}$/);
    expect(first.structuredContent).toEqual({ threadId, content: "first answer" });
    expect(server.requests[0]!.lastUserText()).toBe("first question");

    // Progress went out as codex/event notifications, tagged with the call's request id.
    const events = notices.filter((n) => n.method === "codex/event");
    const types = events.map((n) => (n.params!.msg as { type: string }).type);
    expect(types).toContain("session_configured");
    expect(types).toContain("task_complete");
    const configured = events.find((n) => (n.params!.msg as { type: string }).type === "session_configured")!;
    expect((configured.params!.msg as Record<string, unknown>).thread_id).toBe(threadId);
    expect((configured.params!.msg as Record<string, unknown>).session_id).toBe(threadId);
    expect((configured.params!.msg as Record<string, unknown>).sandbox_policy).toMatchObject({ mode: "read-only" });
    expect(typeof (configured.params!._meta as { requestId: unknown }).requestId).toBe("number");

    server.enqueue(sse(created("resp_2"), textMessage("second answer"), completed("resp_2")));
    const second: AnyResult = await client.callTool({ name: "codex-reply", arguments: { threadId, prompt: "second question" } });
    expect(second.isError).toBeFalsy();
    expect(second.structuredContent).toEqual({ threadId, content: "second answer" });
    // The second request carries the first turn's history, then the new prompt.
    const input = JSON.stringify(server.requests[1]!.input);
    expect(input).toContain("first question");
    expect(input).toContain("first answer");
    expect(server.requests[1]!.lastUserText()).toBe("second question");
    expect(server.requests[1]!.body.prompt_cache_key).toBe(threadId);

    // The deprecated conversationId names the thread too.
    server.enqueue(sse(created("resp_3"), textMessage("third answer"), completed("resp_3")));
    const third: AnyResult = await client.callTool({ name: "codex-reply", arguments: { conversationId: threadId, prompt: "q3" } });
    expect(third.structuredContent).toEqual({ threadId, content: "third answer" });
  });

  test("a failing turn (HTTP 400) is an isError result with the typed message; an unknown thread is an error", async () => {
    const { client } = await connect();
    server.enqueue(httpError(400, "Invalid value for 'input': bad request from the fake"));
    const r: AnyResult = await client.callTool({ name: "codex", arguments: { prompt: "hi" } });
    expect(r.isError).toBe(true);
    expect(r.content[0].text).toContain("bad request from the fake");
    expect(r.structuredContent.threadId).toMatch(/^[0-9a-f-]{36}$/);

    const lost: AnyResult = await client.callTool({
      name: "codex-reply",
      arguments: { threadId: "00000000-0000-0000-0000-000000000000", prompt: "x" },
    });
    expect(lost.isError).toBe(true);
    expect(lost.content[0].text).toBe("Session not found for thread_id: 00000000-0000-0000-0000-000000000000");

    const bad: AnyResult = await client.callTool({ name: "codex", arguments: { prompt: "x", sandbox: "nope" } });
    expect(bad.isError).toBe(true);
    expect(bad.content[0].text).toContain("invalid arguments for codex");
  });

  test("the per-call config object and settings reach the request", async () => {
    const { client } = await connect();
    server.enqueue(sse(created(), textMessage("ok"), completed()));
    const r: AnyResult = await client.callTool({
      name: "codex",
      arguments: {
        prompt: "hello",
        model: "gpt-5.4",
        "developer-instructions": "DEV-INSTRUCTIONS-MARK",
        "base-instructions": "BASE-INSTRUCTIONS-MARK",
        config: { model_reasoning_effort: "high" },
      },
    });
    expect(r.isError).toBeFalsy();
    const body = server.requests[0]!.body;
    expect(body.model).toBe("gpt-5.4");
    expect(body.reasoning?.effort).toBe("high");
    expect(JSON.stringify(body.input)).toContain("DEV-INSTRUCTIONS-MARK");
    // base-instructions replace ours: the first developer message is exactly that text.
    expect(body.input[0]).toMatchObject({ role: "developer", content: [{ type: "input_text", text: "BASE-INSTRUCTIONS-MARK" }] });
  });

  const touchScript = () =>
    server.enqueue(
      sse(created("r1"), functionCall("c1", "exec_command", { cmd: "touch made-by-model.txt", login: false }), completed("r1")),
      sse(created("r2"), textMessage("done"), completed("r2")),
    );
  const approvalArgs = { prompt: "make a file", sandbox: "danger-full-access", "approval-policy": "untrusted" };

  test("approvals are asked of the client by elicitation; accept runs the command", async () => {
    const asked: Record<string, unknown>[] = [];
    const { client } = await connect({ elicit: (p) => (asked.push(p), { action: "accept", content: {} }) });
    touchScript();
    const r: AnyResult = await client.callTool({ name: "codex", arguments: approvalArgs });
    expect(r.isError).toBeFalsy();
    expect(asked).toHaveLength(1);
    expect(asked[0]!._meta).toMatchObject({
      codex_elicitation: "exec-approval",
      codex_call_id: "c1",
      threadId: r.structuredContent.threadId,
      codex_cwd: t.repo,
    });
    expect(asked[0]!.message).toContain("touch made-by-model.txt");
    expect(existsSync(path.join(t.repo, "made-by-model.txt"))).toBe(true);
  });

  test("a declined elicitation, or a client without elicitation, denies the command", async () => {
    const { client } = await connect({ elicit: () => ({ action: "decline" }) });
    touchScript();
    const r: AnyResult = await client.callTool({ name: "codex", arguments: approvalArgs });
    expect(r.isError).toBeFalsy();
    expect(existsSync(path.join(t.repo, "made-by-model.txt"))).toBe(false);
    expect(JSON.stringify(server.requests[1]!.functionCallOutput("c1"))).toContain("rejected by user");
    await client.close();

    const plain = await connect();
    touchScript();
    const p: AnyResult = await plain.client.callTool({ name: "codex", arguments: approvalArgs });
    expect(p.isError).toBeFalsy();
    expect(existsSync(path.join(t.repo, "made-by-model.txt"))).toBe(false);
    expect(JSON.stringify(server.requests[3]!.functionCallOutput("c1"))).toContain("no one is available to approve");
  });

  test("a cancelled call interrupts its turn; the thread then takes the next codex-reply", async () => {
    const { client, notices } = await connect();
    server.enqueue(stallAfter(created()));
    const abort = new AbortController();
    const call = client.callTool({ name: "codex", arguments: { prompt: "long task" } }, undefined, { signal: abort.signal });
    await server.waitForRequests(1, { timeoutMs: 15_000 });
    abort.abort();
    await expect(call).rejects.toThrow();
    const configured = notices.find((n) => n.method === "codex/event" && (n.params!.msg as { type: string }).type === "session_configured");
    const threadId = (configured!.params!.msg as { thread_id: string }).thread_id;

    server.enqueue(sse(created("r2"), textMessage("after the interrupt"), completed("r2")));
    // The interrupted turn may still be winding down: the reply is refused as busy, never lost.
    let next: AnyResult;
    for (const deadline = Date.now() + 10_000; ; ) {
      next = await client.callTool({ name: "codex-reply", arguments: { threadId, prompt: "go on" } });
      if (!(next.isError && String(next.content[0].text).includes("already running")) || Date.now() > deadline) break;
    }
    expect(next.isError).toBeFalsy();
    expect(next.structuredContent).toEqual({ threadId, content: "after the interrupt" });
    // The interrupted turn stays in the thread's history; the SDK drops notifications of a cancelled call.
    expect(server.requests[1]!.lastUserText()).toBe("go on");
    expect(JSON.stringify(server.requests[1]!.input)).toContain("long task");
  });

  test("exits cleanly on stdin EOF, also in the middle of a turn", async () => {
    const idle = spawnCodex(["mcp-server"], { env: t.env, cwd: t.repo });
    expect(await exitOf(idle)).toEqual({ code: 0, signal: null });

    server.enqueue(stallAfter(created()));
    const busy = spawn(process.execPath, [CODEX_BIN, "mcp-server"], { env: t.env, cwd: t.repo, stdio: ["pipe", "pipe", "inherit"] });
    const send = (m: unknown) => busy.stdin!.write(JSON.stringify(m) + "\n");
    send({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } } });
    send({ jsonrpc: "2.0", method: "notifications/initialized" });
    send({ jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "codex", arguments: { prompt: "long task" } } });
    await server.waitForRequests(1, { timeoutMs: 15_000 });
    busy.stdin!.end();
    expect(await exitOf(busy)).toEqual({ code: 0, signal: null });
  });
});

function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => child.on("close", (code, signal) => resolve({ code, signal })));
}
