import { resolveMcpServers, type McpTransportConfig } from "./config.js";
import type { McpToolInfo } from "./connection.js";

// `codex doctor`'s question about MCP: does every configured server start and list its tools? Each server is
// started once (in parallel, each within its own startup timeout), asked for its tools, and closed again.

export interface McpServerProbe {
  name: string;
  ok: boolean;
  /** Tools the server listed (when it started). */
  tools?: number;
  /** Why it did not start, one line (also for a server the config leaves out as unusable). */
  problem?: string;
  /** The tools it listed (app-server mcpServerStatus/list shows them). */
  toolList?: McpToolInfo[];
  /** How it is reached (absent for an entry the config leaves out). */
  transport?: McpTransportConfig;
}

export async function probeMcpServers(o: {
  raw: Record<string, unknown>;
  env: Record<string, string | undefined>;
  cwd: string;
  version: string;
}): Promise<McpServerProbe[]> {
  const { servers, warnings } = resolveMcpServers(o.raw);
  const unusable: McpServerProbe[] = warnings.map((w) => ({ name: "(config)", ok: false, problem: w }));
  if (servers.length === 0) return unusable;
  // The SDK is loaded only when there is something to start.
  const { createMcpConnection } = await import("./connection.js");
  const probes = servers.map(async (config): Promise<McpServerProbe> => {
    const conn = createMcpConnection({ config, env: o.env, cwd: o.cwd, clientInfo: { name: "codex-doctor", version: o.version } });
    try {
      await conn.start();
      const transport = config.transport;
      if (conn.state() !== "ready") return { name: config.name, ok: false, problem: conn.problem() ?? `state ${conn.state()}`, transport };
      return { name: config.name, ok: true, tools: conn.tools().length, toolList: conn.tools(), transport };
    } finally {
      await conn.close().catch(() => undefined);
    }
  });
  return [...unusable, ...(await Promise.all(probes))];
}
