#!/usr/bin/env node
// An MCP server written with the SDK for the client's fault tests (plain ESM so node runs it as is).
// Behaviour comes from its arguments:
//   --tools N         N extra tools `tool_0`…`tool_{N-1}` (tool-search path)
//   --long-name       a tool whose qualified name overflows 64 characters
//   --crash-once FILE the first `crash` call exits the process (FILE remembers it happened)
//   --http            serve streamable HTTP on 127.0.0.1 (port printed as `PORT <n>` on stdout)
//   --port N          listen on port N (with --http; default: any free port)
//   --stateful        with --http: sessions with ids, kept in this process only (a restart loses them)
//   --slow-start MS   wait MS before answering initialize
//   --instructions T  server instructions
//   --stubborn        ignores SIGTERM and the end of its stdin (only SIGKILL ends it)
// Every tools/call (name, arguments, _meta) and the process env are appended as JSON lines to $MCP_LOG.
import { randomUUID } from "node:crypto";
import { appendFileSync, existsSync, writeFileSync } from "node:fs";
import http from "node:http";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import {
  CallToolRequestSchema,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  ReadResourceRequestSchema,
} from "@modelcontextprotocol/sdk/types.js";

const argv = process.argv.slice(2);
const flag = (name) => argv.includes(name);
const value = (name) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const log = (entry) => {
  if (process.env.MCP_LOG) appendFileSync(process.env.MCP_LOG, JSON.stringify(entry) + "\n");
};
const PNG_B64 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";
const obj = (properties = {}, required = []) => ({ type: "object", properties, required });

function tools() {
  const list = [
    {
      name: "get-sum",
      description: "Adds a and b.",
      inputSchema: obj({ a: { type: "number" }, b: { type: "number" } }, ["a", "b"]),
      annotations: { readOnlyHint: true },
    },
    { name: "echo_env", description: "Returns the server's environment.", inputSchema: obj(), annotations: { readOnlyHint: true } },
    {
      name: "slow",
      description: "Sleeps for ms milliseconds.",
      inputSchema: obj({ ms: { type: "number" } }),
      annotations: { readOnlyHint: true },
    },
    { name: "image", description: "Returns a PNG.", inputSchema: obj(), annotations: { readOnlyHint: true } },
    { name: "fail", description: "Returns isError.", inputSchema: obj(), annotations: { readOnlyHint: true } },
    { name: "crash", description: "Exits the server once.", inputSchema: obj(), annotations: { readOnlyHint: true } },
    { name: "write_note", description: "Changes state (not read-only).", inputSchema: obj() },
    {
      name: "drop_table",
      description: "Deletes a table.",
      inputSchema: obj({ name: { type: "string" } }),
      annotations: { destructiveHint: true, readOnlyHint: false },
    },
    { name: "ask", description: "Asks the user a question.", inputSchema: obj(), annotations: { readOnlyHint: true } },
    {
      name: "widget",
      description: "A tool with a UI resource.",
      inputSchema: obj(),
      annotations: { readOnlyHint: true },
      _meta: { ui: { resourceUri: "ui://widget/main.html" } },
    },
  ];
  if (flag("--long-name")) {
    list.push({ name: "x".repeat(70), description: "Long.", inputSchema: obj(), annotations: { readOnlyHint: true } });
  }
  const n = Number(value("--tools") ?? 0);
  for (let i = 0; i < n; i++) {
    list.push({
      name: `tool_${i}`,
      description: `Generated tool number ${i} about topic${i}.`,
      inputSchema: obj(),
      annotations: { readOnlyHint: true },
    });
  }
  return list;
}

async function call(name, args, meta, server) {
  log({ kind: "call", name, arguments: args, _meta: meta ?? null });
  const text = (t) => ({ content: [{ type: "text", text: t }] });
  switch (name) {
    case "get-sum":
      return { ...text(String(Number(args.a) + Number(args.b))), structuredContent: { sum: Number(args.a) + Number(args.b) } };
    case "echo_env":
      return text(JSON.stringify(process.env));
    case "slow":
      await new Promise((r) => setTimeout(r, Number(args.ms ?? 10_000)));
      return text("slept");
    case "image":
      return { content: [{ type: "text", text: "a dot" }, { type: "image", data: PNG_B64, mimeType: "image/png" }] };
    case "fail":
      return { content: [{ type: "text", text: "it broke" }], isError: true };
    case "crash": {
      const marker = value("--crash-once");
      if (marker && !existsSync(marker)) {
        writeFileSync(marker, "crashed");
        process.exit(3);
      }
      return text("alive again");
    }
    case "ask": {
      // Asks the client for input mid-call (server-initiated elicitation) and reports the answer.
      try {
        const answer = await server.elicitInput({
          message: "Which colour?",
          requestedSchema: { type: "object", properties: { colour: { type: "string" } }, required: ["colour"] },
        });
        return text(JSON.stringify(answer));
      } catch (err) {
        return text(`elicitation failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    default:
      return text(`called ${name}`);
  }
}

function makeServer() {
  const server = new Server(
    { name: "fault-server", version: "1.0.0" },
    {
      capabilities: { tools: {}, resources: {} },
      ...(value("--instructions") ? { instructions: value("--instructions") } : {}),
    },
  );
  server.oninitialized = () =>
    log({ kind: "initialized", capabilities: server.getClientCapabilities() ?? null, clientInfo: server.getClientVersion() ?? null });
  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: tools() }));
  server.setRequestHandler(CallToolRequestSchema, async (req) => call(req.params.name, req.params.arguments ?? {}, req.params._meta, server));
  server.setRequestHandler(ListResourcesRequestSchema, async () => ({
    resources: [{ uri: "mem://notes/today", name: "today", mimeType: "text/plain" }],
  }));
  server.setRequestHandler(ListResourceTemplatesRequestSchema, async () => ({
    resourceTemplates: [{ uriTemplate: "mem://notes/{day}", name: "notes" }],
  }));
  server.setRequestHandler(ReadResourceRequestSchema, async (req) => ({
    contents: [{ uri: req.params.uri, mimeType: "text/plain", text: `notes for ${req.params.uri}` }],
  }));
  return server;
}

if (flag("--stubborn")) {
  process.on("SIGTERM", () => {});
  setInterval(() => {}, 1000);
}
log({ kind: "start", pid: process.pid, cwd: process.cwd(), env: process.env });
const slowStart = Number(value("--slow-start") ?? 0);
if (slowStart > 0) await new Promise((r) => setTimeout(r, slowStart));

// --stateful: sessions (mcp-session-id) live in this process only, so a restarted server answers a known
// client's next request with 404 "Session not found", as a real server that lost its sessions does.
const sessions = new Map();
async function statefulRequest(req, res) {
  const sid = req.headers["mcp-session-id"];
  if (typeof sid === "string" && sessions.has(sid)) return sessions.get(sid).handleRequest(req, res);
  if (typeof sid === "string") {
    res.writeHead(404, { "content-type": "application/json" });
    res.end(JSON.stringify({ jsonrpc: "2.0", error: { code: -32001, message: "Session not found" }, id: null }));
    return;
  }
  const transport = new StreamableHTTPServerTransport({
    sessionIdGenerator: () => randomUUID(),
    onsessioninitialized: (id) => {
      sessions.set(id, transport);
      log({ kind: "session", id });
    },
  });
  await makeServer().connect(transport);
  await transport.handleRequest(req, res);
}

if (flag("--http")) {
  const httpServer = http.createServer(async (req, res) => {
    log({ kind: "http", method: req.method, headers: req.headers });
    if (flag("--stateful")) return statefulRequest(req, res);
    // Stateless: one server and transport per request.
    const server = makeServer();
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on("close", () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res);
  });
  httpServer.listen(Number(value("--port") ?? 0), "127.0.0.1", () => {
    process.stdout.write(`PORT ${httpServer.address().port}\n`);
  });
} else {
  process.stderr.write("fault-server: starting on stdio\n");
  await makeServer().connect(new StdioServerTransport());
}
