import { probeMcpServers, type McpServerProbe } from "../../core/index.js";
import {
  ListMcpServerStatusParams,
  ListMcpServerStatusResponse,
  type McpServerStatus,
} from "../../protocol/app-server/mcp-server-status.js";
import { defineMethod, type MethodDef } from "../method-table.js";
import { loadServerConfig, page } from "./server-config.js";

// `mcpServerStatus/list`: each configured MCP server started once (core's probe), with its tools or why it
// did not start.

function status(probe: McpServerProbe): McpServerStatus {
  const t = probe.transport;
  let httpOrigin: string | null = null;
  if (t?.type === "http") {
    try {
      httpOrigin = new URL(t.url).origin;
    } catch {
      httpOrigin = null;
    }
  }
  return {
    name: probe.name,
    runtimeStatus: probe.ok ? "connected" : "failed",
    pluginId: null,
    httpOrigin,
    serverInfo: null,
    serverCapabilities: null,
    toolListMeta: null,
    tools: Object.fromEntries(
      (probe.toolList ?? []).map((tool) => [
        tool.name,
        {
          name: tool.name,
          ...(tool.description !== undefined ? { description: tool.description } : {}),
          inputSchema: tool.inputSchema,
          ...(tool.annotations !== undefined ? { annotations: tool.annotations } : {}),
          ...(tool._meta !== undefined ? { _meta: tool._meta } : {}),
        },
      ]),
    ),
    toolsError: probe.ok ? null : (probe.problem ?? "the server did not start"),
    resources: [],
    resourceTemplates: [],
    authStatus: t?.type === "http" && t.bearerTokenEnvVar ? "bearerToken" : "unsupported",
  };
}

const list = defineMethod({
  method: "mcpServerStatus/list",
  params: ListMcpServerStatusParams,
  result: ListMcpServerStatusResponse,
  async handle(p, ctx) {
    const config = await loadServerConfig(ctx);
    const probes = await probeMcpServers({ raw: config.raw, env: ctx.config.env, cwd: config.cwd, version: ctx.config.version });
    const servers = probes.filter((s) => s.transport !== undefined && (!p.serverName || s.name === p.serverName)).map(status);
    return page(servers, p);
  },
});

export const mcpServerStatusMethods: MethodDef[] = [list];
