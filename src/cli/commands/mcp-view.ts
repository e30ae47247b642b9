import { ConfigError } from "../../core/index.js";

// The reference's views of configured MCP servers: `mcp list` tables, `mcp get` lines and both --json
// shapes. Secrets (env values, static header values) are masked in text; --json prints the config as is.

export interface McpServerView {
  name: string;
  enabled: boolean;
  transport:
    | { type: "stdio"; command: string; args: string[]; env: Record<string, string> | null; env_vars: string[]; cwd: string | null }
    | {
        type: "streamable_http";
        url: string;
        bearer_token_env_var: string | null;
        http_headers: Record<string, string> | null;
        env_http_headers: Record<string, string> | null;
        http_headers_helper: string | null;
      };
  enabled_tools: string[] | null;
  disabled_tools: string[] | null;
  startup_timeout_sec: number | null;
  tool_timeout_sec: number | null;
}

const str = (v: unknown): string | null => (typeof v === "string" ? v : null);
const strList = (v: unknown): string[] | null => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : null);
const strMap = (v: unknown): Record<string, string> | null => {
  if (v === null || typeof v !== "object" || Array.isArray(v)) return null;
  const entries = Object.entries(v as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === "string");
  return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
};

/** One server entry of config.toml as the views need it; a malformed entry is a one-line error naming it. */
export function toServerView(name: string, e: Record<string, unknown>, file: string): McpServerView {
  const at = `${file}: mcp_servers.${name}`;
  const num = (k: string): number | null => {
    const v = e[k];
    if (v === undefined) return null;
    if (typeof v !== "number" || !(v >= 0)) throw new ConfigError(`${at}.${k}: expected a non-negative number`, { file });
    return v;
  };
  let transport: McpServerView["transport"];
  if (typeof e["command"] === "string") {
    if (e["url"] !== undefined) throw new ConfigError(`${at}: set either command or url, not both`, { file });
    transport = {
      type: "stdio",
      command: e["command"],
      args: strList(e["args"]) ?? [],
      env: strMap(e["env"]),
      env_vars: strList(e["env_vars"]) ?? [],
      cwd: str(e["cwd"]),
    };
  } else if (typeof e["url"] === "string") {
    transport = {
      type: "streamable_http",
      url: e["url"],
      bearer_token_env_var: str(e["bearer_token_env_var"]),
      http_headers: strMap(e["http_headers"]),
      env_http_headers: strMap(e["env_http_headers"]),
      http_headers_helper: str(e["http_headers_helper"]),
    };
  } else {
    throw new ConfigError(`${at}: invalid transport (needs command = "…" or url = "…")`, { file });
  }
  const ms = num("startup_timeout_ms");
  return {
    name,
    enabled: e["enabled"] !== false,
    transport,
    enabled_tools: strList(e["enabled_tools"]),
    disabled_tools: strList(e["disabled_tools"]),
    startup_timeout_sec: num("startup_timeout_sec") ?? (ms === null ? null : ms / 1000),
    tool_timeout_sec: num("tool_timeout_sec"),
  };
}

/** Pretty JSON as the reference prints it: durations are floats (`5.0`). */
export function toJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(
    /^(\s*"(?:startup|tool)_timeout_sec": )(-?\d+)(,?)$/gm,
    (_m, pre: string, n: string, comma: string) => `${pre}${n}.0${comma}`,
  );
}

const authStatus = (v: McpServerView): "unsupported" | "bearer_token" | "unknown" =>
  v.transport.type === "stdio" ? "unsupported" : v.transport.bearer_token_env_var !== null ? "bearer_token" : "unknown";
const AUTH_LABEL = { unsupported: "Unsupported", bearer_token: "Bearer token", unknown: "Unknown" } as const;

export function listJson(views: McpServerView[]): unknown[] {
  return views.map((v) => ({
    name: v.name,
    enabled: v.enabled,
    disabled_reason: null,
    transport: v.transport,
    startup_timeout_sec: v.startup_timeout_sec,
    tool_timeout_sec: v.tool_timeout_sec,
    auth_status: authStatus(v),
  }));
}

export function getJson(v: McpServerView): unknown {
  return {
    name: v.name,
    enabled: v.enabled,
    disabled_reason: null,
    transport: v.transport,
    enabled_tools: v.enabled_tools,
    disabled_tools: v.disabled_tools,
    startup_timeout_sec: v.startup_timeout_sec,
    tool_timeout_sec: v.tool_timeout_sec,
  };
}

const masked = (m: Record<string, string> | null): string[] => Object.keys(m ?? {}).map((k) => `${k}=*****`);
const orDash = (parts: string[], sep: string): string => (parts.length === 0 ? "-" : parts.join(sep));

function stdioEnv(t: Extract<McpServerView["transport"], { type: "stdio" }>): string {
  return orDash([...masked(t.env), ...t.env_vars.map((k) => `${k}=*****`)], ", ");
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? "").length)));
  return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c]!)).join("  ")).join("\n");
}

export function listText(views: McpServerView[]): string {
  if (views.length === 0) return "No MCP servers configured yet. Try `codex mcp add my-tool -- my-command`.";
  const status = (v: McpServerView) => (v.enabled ? "enabled" : "disabled");
  const stdio: string[][] = [];
  const http: string[][] = [];
  for (const v of views) {
    const t = v.transport;
    if (t.type === "stdio") {
      stdio.push([v.name, t.command, orDash(t.args, " "), stdioEnv(t), t.cwd ?? "-", status(v), AUTH_LABEL[authStatus(v)]]);
    } else {
      http.push([v.name, t.url, t.bearer_token_env_var ?? "-", status(v), AUTH_LABEL[authStatus(v)]]);
    }
  }
  const parts: string[] = [];
  if (stdio.length > 0) parts.push(table([["Name", "Command", "Args", "Env", "Cwd", "Status", "Auth"], ...stdio]));
  if (http.length > 0) parts.push(table([["Name", "Url", "Bearer Token Env Var", "Status", "Auth"], ...http]));
  return parts.join("\n\n");
}

const secs = (n: number): string => String(n);

export function getText(v: McpServerView): string {
  if (!v.enabled) return `${v.name} (disabled)`;
  const lines = [v.name, "  enabled: true"];
  if (v.enabled_tools !== null) lines.push(`  enabled_tools: ${orDash(v.enabled_tools, ", ")}`);
  if (v.disabled_tools !== null) lines.push(`  disabled_tools: ${orDash(v.disabled_tools, ", ")}`);
  const t = v.transport;
  if (t.type === "stdio") {
    lines.push("  transport: stdio", `  command: ${t.command}`, `  args: ${orDash(t.args, " ")}`, `  cwd: ${t.cwd ?? "-"}`);
    lines.push(`  env: ${stdioEnv(t)}`);
  } else {
    lines.push(
      "  transport: streamable_http",
      `  url: ${t.url}`,
      `  bearer_token_env_var: ${t.bearer_token_env_var ?? "-"}`,
      `  http_headers: ${orDash(masked(t.http_headers), ", ")}`,
      `  env_http_headers: ${orDash(Object.entries(t.env_http_headers ?? {}).map(([k, x]) => `${k}=${x}`), ", ")}`,
      `  http_headers_helper: ${t.http_headers_helper ?? "-"}`,
    );
  }
  if (v.startup_timeout_sec !== null) lines.push(`  startup_timeout_sec: ${secs(v.startup_timeout_sec)}`);
  if (v.tool_timeout_sec !== null) lines.push(`  tool_timeout_sec: ${secs(v.tool_timeout_sec)}`);
  lines.push(`  remove: codex mcp remove ${v.name}`);
  return lines.join("\n");
}
