// What an MCP server process or request gets from our environment: a minimal base plus only what its
// config names. Never the rest of our environment (API keys stay with us).
import type { McpServerConfig } from "./config.js";

/** The base every stdio server gets (as the reference's and the SDK's sudo-like inherit lists). */
const BASE_ENV_VARS = ["HOME", "LOGNAME", "PATH", "SHELL", "USER", "LANG", "LC_ALL", "TERM", "TMPDIR", "TZ"];

export function stdioServerEnv(
  transport: Extract<McpServerConfig["transport"], { type: "stdio" }>,
  parent: Record<string, string | undefined>,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of [...BASE_ENV_VARS, ...transport.envVars]) {
    const value = parent[key];
    if (value !== undefined && !value.startsWith("()")) env[key] = value;
  }
  return { ...env, ...transport.env };
}

/** Headers of a streamable HTTP server: static ones, ones read from env vars, and the bearer token. */
export function httpServerHeaders(
  transport: Extract<McpServerConfig["transport"], { type: "http" }>,
  parent: Record<string, string | undefined>,
): Record<string, string> {
  const headers: Record<string, string> = { ...transport.httpHeaders };
  for (const [header, envVar] of Object.entries(transport.envHttpHeaders)) {
    const value = parent[envVar];
    if (value !== undefined && value !== "") headers[header] = value;
  }
  if (transport.bearerTokenEnvVar) {
    const token = parent[transport.bearerTokenEnvVar];
    if (token) headers.Authorization = `Bearer ${token}`;
  }
  return headers;
}
