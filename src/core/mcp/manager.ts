// All MCP servers of a session: started in parallel in the background, waited for at most their
// startup timeouts, exposed as tool handlers through a dynamic tool source, stopped on dispose.
// A server that fails or crashes yields one warning; the session goes on without it.
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { ErrorCode, McpError } from "@modelcontextprotocol/sdk/types.js";
import { toolSpec, type ToolHandler, type ToolSpec } from "../tools/contract.js";
import { TOOL_SEARCH_SPEC, toolSearchTool, type SearchableTool } from "../tools/handlers/tool-search.js";
import { mcpResourceTools } from "../tools/handlers/mcp-resources.js";
import { mcpToolHandler } from "../tools/handlers/mcp-tool.js";
import type { ToolSource } from "../tools/registry.js";
import { callMeta, type McpCaller } from "./caller.js";
import { toolAllowed, toolApprovalMode, type McpServerConfig } from "./config.js";
import { createMcpConnection, sessionLost, type McpCallResult, type McpConnection, type McpToolInfo } from "./connection.js";
import { toolsInstructionsText } from "./instructions.js";
import { qualifiedToolName, sanitizeName } from "./names.js";

export interface McpManagerDeps {
  servers: McpServerConfig[];
  env: Record<string, string | undefined>;
  cwd: string;
  clientInfo: { name: string; version: string };
  /**
   * Given when the model supports tool search: past `threshold` MCP tools, only `tool_search` is sent
   * and the tools it finds come back in its output. Without it every tool's spec is sent.
   */
  toolSearch?: { threshold: number };
}

export interface McpManager extends McpCaller {
  /** Starts every server (in parallel, in the background); later calls restart closed ones. */
  start(): void;
  /** Resolves once every server is ready or failed, or its startup timeout has passed. Never rejects. */
  ready(): Promise<void>;
  /** Startup problems not yet reported, one line each (each reported once). */
  takeWarnings(): string[];
  /** The MCP tools (and the resource tools) for the tool registry. */
  source: ToolSource;
  /** The `<tools>` developer text built from server instructions ("" when none). */
  instructionsText(): string;
  dispose(): Promise<void>;
}

export function createMcpManager(deps: McpManagerDeps): McpManager {
  const connections = new Map<string, McpConnection>(
    deps.servers.map((config) => [
      config.name,
      createMcpConnection({ config, env: deps.env, cwd: deps.cwd, clientInfo: deps.clientInfo }),
    ]),
  );
  const reported = new Set<string>();
  // A CLI that exits without closing its threads (a second Ctrl-C, a crash) takes its stdio servers along,
  // also those that would ignore the end of their stdin.
  const killOnExit = (): void => {
    for (const c of connections.values()) {
      const pid = c.pid();
      if (pid === undefined) continue;
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
  };
  let exitHook = false;
  let started: Promise<void>[] = [];
  let cache: { key: McpToolInfo[][]; tools: ToolHandler[]; specs: ToolSpec[]; deferred: boolean } | undefined;

  const connection = (server: string): McpConnection => {
    const c = connections.get(server);
    if (!c) throw new Error(`unknown MCP server \`${server}\``);
    return c;
  };

  /**
   * Runs a request on the server's client. An HTTP server that lost our session (it restarted) or refused
   * the connection gets a new session and the request once more, as a crashed stdio server is restarted.
   */
  async function withClient<T>(server: string, run: (client: Client) => Promise<T>, signal?: AbortSignal): Promise<T> {
    const conn = connection(server);
    try {
      return await run(await conn.client());
    } catch (err) {
      if (conn.config.transport.type !== "http" || !sessionLost(err) || signal?.aborted) throw err;
      await conn.reconnect();
      if (conn.state() !== "ready") throw new Error(conn.problem() ?? `MCP server \`${server}\` is not available`, { cause: err });
      return run(await conn.client());
    }
  }

  /** Handlers and specs from the servers' current tool lists (rebuilt when a list changes). */
  function catalog(): NonNullable<typeof cache> {
    const lists = [...connections.values()].map((c) => c.tools());
    if (cache && cache.key.length === lists.length && cache.key.every((l, i) => l === lists[i])) return cache;
    const taken = new Set<string>();
    const resources = connections.size > 0 ? mcpResourceTools(manager) : [];
    const mcpTools: ToolHandler[] = [];
    const searchable: SearchableTool[] = [];
    for (const c of connections.values()) {
      const namespace = `mcp__${sanitizeName(c.config.name)}`;
      for (const tool of c.tools()) {
        if (!toolAllowed(c.config, tool.name)) continue;
        const qualifiedName = qualifiedToolName(c.config.name, tool.name, taken);
        mcpTools.push(
          mcpToolHandler({ server: c.config.name, tool, qualifiedName, caller: manager, approvalMode: toolApprovalMode(c.config, tool.name) }),
        );
        searchable.push({
          qualifiedName,
          namespace,
          namespaceDescription: c.instructions() ?? "",
          description: tool.description ?? "",
          parameters: tool.inputSchema,
          keywords: [c.config.name, tool.name],
        });
      }
    }
    const deferred = deps.toolSearch !== undefined && mcpTools.length > deps.toolSearch.threshold;
    const tools = [...resources, ...(deferred ? [toolSearchTool(() => searchable)] : []), ...mcpTools];
    const specs = deferred ? [...resources.map(toolSpec), TOOL_SEARCH_SPEC] : [...resources, ...mcpTools].map(toolSpec);
    cache = { key: lists, tools, specs, deferred };
    return cache;
  }

  const manager: McpManager = {
    start() {
      if (!exitHook) {
        process.on("exit", killOnExit);
        exitHook = true;
      }
      started = [...connections.values()].map((c) => (c.state() === "closed" ? c.start() : Promise.resolve()));
    },
    async ready() {
      // Each connection enforces its own startup timeout, so this wait is bounded.
      await Promise.all(started);
    },
    takeWarnings() {
      const out: string[] = [];
      for (const c of connections.values()) {
        const problem = c.problem();
        if (c.state() === "failed" && problem && !reported.has(problem)) {
          reported.add(problem);
          out.push(problem);
        }
      }
      return out;
    },
    serverNames: () => [...connections.keys()],
    async callTool({ server, tool, args, ctx, resourceUri }) {
      const conn = connection(server);
      const params = { name: tool, arguments: args, _meta: callMeta(ctx, resourceUri) };
      try {
        const result = await withClient(
          server,
          (client) => client.callTool(params, undefined, { timeout: conn.config.toolTimeoutMs, signal: ctx.signal }),
          ctx.signal,
        );
        return result as McpCallResult;
      } catch (err) {
        const problem = conn.problem();
        if (conn.state() === "crashed" && problem && !reported.has(problem)) {
          reported.add(problem);
          ctx.emit({ type: "warning", message: problem });
        }
        if (err instanceof McpError && err.code === ErrorCode.RequestTimeout) {
          throw new Error(`request timed out after ${conn.config.toolTimeoutMs / 1000} s (tool_timeout_sec)`, { cause: err });
        }
        throw err;
      }
    },
    request: (server, ctx, run) => withClient(server, run, ctx.signal),
    source: {
      tools: () => catalog().tools,
      specs: () => catalog().specs,
    },
    instructionsText() {
      return toolsInstructionsText(
        [...connections.values()].map((c) => ({ name: `mcp__${sanitizeName(c.config.name)}`, instructions: c.instructions() })),
        { deferred: catalog().deferred },
      );
    },
    async dispose() {
      process.removeListener("exit", killOnExit);
      exitHook = false;
      await Promise.all([...connections.values()].map((c) => c.close()));
    },
  };
  return manager;
}
