// `[mcp_servers.NAME]` tables (already validated against the config schema) as resolved server settings.
import { McpServerToml } from "../../protocol/config.js";
import type { McpToolApprovalMode } from "../approval/contract.js";

export type McpTransportConfig =
  | { type: "stdio"; command: string; args: string[]; env: Record<string, string>; envVars: string[]; cwd?: string }
  | {
      type: "http";
      url: string;
      bearerTokenEnvVar?: string;
      httpHeaders: Record<string, string>;
      envHttpHeaders: Record<string, string>;
    };

export interface McpServerConfig {
  name: string;
  transport: McpTransportConfig;
  startupTimeoutMs: number;
  toolTimeoutMs: number;
  enabledTools?: string[];
  disabledTools: string[];
  /** `default_tools_approval_mode` (absent: `auto`). */
  defaultToolsApprovalMode?: McpToolApprovalMode;
  /** `tools.<name>.approval_mode` per tool name. */
  toolApprovalModes: Record<string, McpToolApprovalMode>;
}

export const DEFAULT_STARTUP_TIMEOUT_SEC = 10;
export const DEFAULT_TOOL_TIMEOUT_SEC = 60;

export interface McpConfigResult {
  servers: McpServerConfig[];
  /** One line per server that cannot be used as written (it is left out; the session goes on). */
  warnings: string[];
}

/** Reads `raw.mcp_servers`; disabled servers are left out, a server with neither `command` nor `url` warns. */
export function resolveMcpServers(raw: Record<string, unknown>): McpConfigResult {
  const table = raw.mcp_servers;
  const servers: McpServerConfig[] = [];
  const warnings: string[] = [];
  if (!table || typeof table !== "object") return { servers, warnings };
  for (const [name, value] of Object.entries(table as Record<string, unknown>)) {
    const parsed = McpServerToml.safeParse(value);
    if (!parsed.success) {
      warnings.push(`MCP server \`${name}\`: invalid settings in mcp_servers.${name}; it is not started`);
      continue;
    }
    const s = parsed.data;
    if (s.enabled === false) continue;
    let transport: McpTransportConfig;
    if (s.command !== undefined && s.url !== undefined) {
      warnings.push(`MCP server \`${name}\`: mcp_servers.${name} sets both \`command\` and \`url\`; it is not started`);
      continue;
    } else if (s.command !== undefined) {
      transport = {
        type: "stdio",
        command: s.command,
        args: s.args ?? [],
        env: s.env ?? {},
        envVars: s.env_vars ?? [],
        ...(s.cwd !== undefined ? { cwd: s.cwd } : {}),
      };
    } else if (s.url !== undefined) {
      transport = {
        type: "http",
        url: s.url,
        ...(s.bearer_token_env_var !== undefined ? { bearerTokenEnvVar: s.bearer_token_env_var } : {}),
        httpHeaders: s.http_headers ?? {},
        envHttpHeaders: s.env_http_headers ?? {},
      };
    } else {
      warnings.push(`MCP server \`${name}\`: mcp_servers.${name} needs \`command\` or \`url\`; it is not started`);
      continue;
    }
    const startupTimeoutMs =
      s.startup_timeout_sec !== undefined
        ? s.startup_timeout_sec * 1000
        : (s.startup_timeout_ms ?? DEFAULT_STARTUP_TIMEOUT_SEC * 1000);
    servers.push({
      name,
      transport,
      startupTimeoutMs,
      toolTimeoutMs: (s.tool_timeout_sec ?? DEFAULT_TOOL_TIMEOUT_SEC) * 1000,
      ...(s.enabled_tools !== undefined ? { enabledTools: s.enabled_tools } : {}),
      disabledTools: s.disabled_tools ?? [],
      ...(s.default_tools_approval_mode !== undefined ? { defaultToolsApprovalMode: s.default_tools_approval_mode } : {}),
      toolApprovalModes: Object.fromEntries(
        Object.entries(s.tools ?? {}).flatMap(([tool, t]) => (t.approval_mode !== undefined ? [[tool, t.approval_mode]] : [])),
      ),
    });
  }
  return { servers, warnings };
}

/** Whether `tool` of `server` is offered to the model (`enabled_tools` is an allow list, `disabled_tools` wins). */
export function toolAllowed(server: McpServerConfig, tool: string): boolean {
  if (server.enabledTools && !server.enabledTools.includes(tool)) return false;
  return !server.disabledTools.includes(tool);
}

/** The approval mode of one tool: its own `approval_mode`, else the server's default, else `auto`. */
export function toolApprovalMode(server: McpServerConfig, tool: string): McpToolApprovalMode {
  return server.toolApprovalModes[tool] ?? server.defaultToolsApprovalMode ?? "auto";
}
