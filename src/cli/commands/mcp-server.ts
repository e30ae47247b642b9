import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Command } from "commander";

// `codex mcp-server`: serve the agent over MCP on stdin/stdout (src/mcp-server). Diagnostics go to stderr;
// stdout carries only JSON-RPC.

const collect = (v: string, prev: string[] | undefined): string[] => [...(prev ?? []), v];

/** `-c` values of the command and of its ancestors (`codex -c k=v mcp-server -c k2=v2`), outermost first. */
function overridesOf(cmd: Command): string[] {
  const chain: Command[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) chain.unshift(c);
  return chain.flatMap((c) => (c.opts()["config"] as string[] | undefined) ?? []);
}

export function registerMcpServerCommand(program: Command, version: string): Command {
  return program
    .command("mcp-server")
    .description("run Codex as an MCP server over stdio (tools `codex` and `codex-reply`)")
    .option("-c, --config <key=value>", "override a config value (TOML, repeatable)", collect)
    .action(async (_opts: Record<string, unknown>, cmd: Command) => {
      const { runMcpServer } = await import("../../mcp-server/server.js");
      await runMcpServer({
        stdin: process.stdin,
        stdout: process.stdout,
        env: process.env,
        cwd: process.cwd(),
        version,
        // `bin/` of this package, seen from the bundle in dist/: it holds the `apply_patch` binary.
        helperBinDirs: [path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "bin")],
        baseOverrides: overridesOf(cmd),
      });
    });
}
