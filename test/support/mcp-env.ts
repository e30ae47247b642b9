// Config snippets and log reading for MCP client tests (servers in test/support/mcp-fault-server.mjs).
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { REPO_ROOT } from "./codex-env.js";

export const FAULT_SERVER = path.join(REPO_ROOT, "test", "support", "mcp-fault-server.mjs");
export const FILESYSTEM_SERVER = path.join(REPO_ROOT, "node_modules", ".bin", "mcp-server-filesystem");

const toml = (v: unknown): string => JSON.stringify(v);

/** A `[mcp_servers.NAME]` table running the fault server over stdio; its calls are logged to `log`. */
export function faultServerToml(name: string, o: { log: string; args?: string[]; extra?: string; env?: Record<string, string> }): string {
  const env = { MCP_LOG: o.log, ...(o.env ?? {}) };
  return [
    `[mcp_servers.${name}]`,
    `command = ${toml(process.execPath)}`,
    `args = ${toml([FAULT_SERVER, ...(o.args ?? [])])}`,
    `env = { ${Object.entries(env).map(([k, v]) => `${k} = ${toml(v)}`).join(", ")} }`,
    o.extra ?? "",
  ].join("\n");
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function readMcpLog(file: string): any[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
}
