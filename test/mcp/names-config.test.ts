// Pure parts of the MCP client: qualified names, server settings, tool search ranking, dynamic tool sources.
import { describe, expect, test } from "vitest";
import { z } from "zod";
import { resolveMcpServers, toolAllowed } from "../../src/core/mcp/config.js";
import { qualifiedToolName } from "../../src/core/mcp/names.js";
import { stdioServerEnv } from "../../src/core/mcp/server-env.js";
import { defineTool } from "../../src/core/tools/contract.js";
import { searchTools, type SearchableTool } from "../../src/core/tools/handlers/tool-search.js";
import { createToolRegistry } from "../../src/core/tools/registry.js";

describe("qualified names", () => {
  test("characters outside [A-Za-z0-9_] become _, the prefix is mcp__server__", () => {
    expect(qualifiedToolName("srv", "get-sum", new Set())).toBe("mcp__srv__get_sum");
    expect(qualifiedToolName("my.server", "a b/c", new Set())).toBe("mcp__my_server__a_b_c");
  });

  test("overflow and collisions get a stable 8-hex suffix within 64 characters", () => {
    const long = qualifiedToolName("srv", "x".repeat(80), new Set());
    expect(long).toHaveLength(64);
    expect(long).toMatch(/^mcp__srv__x+_[0-9a-f]{8}$/);
    expect(qualifiedToolName("srv", "x".repeat(80), new Set())).toBe(long);
    const taken = new Set<string>();
    const a = qualifiedToolName("srv", "get-sum", taken);
    const b = qualifiedToolName("srv", "get_sum", taken);
    expect(a).toBe("mcp__srv__get_sum");
    expect(b).toMatch(/^mcp__srv__get_sum_[0-9a-f]{8}$/);
  });
});

describe("server settings", () => {
  test("stdio and http, defaults, disabled servers left out, bad ones warn", () => {
    const { servers, warnings } = resolveMcpServers({
      mcp_servers: {
        a: { command: "run-a", args: ["-x"], env: { K: "v" }, startup_timeout_sec: 2.5 },
        b: { url: "http://127.0.0.1:1/mcp", bearer_token_env_var: "TOKEN", tool_timeout_sec: 5, enabled_tools: ["t1"] },
        c: { command: "off", enabled: false },
        d: { args: ["no command"] },
      },
    });
    expect(servers.map((s) => s.name)).toEqual(["a", "b"]);
    expect(servers[0]).toMatchObject({ transport: { type: "stdio", command: "run-a", args: ["-x"], env: { K: "v" } }, startupTimeoutMs: 2500, toolTimeoutMs: 60_000 });
    expect(servers[1]).toMatchObject({ transport: { type: "http", bearerTokenEnvVar: "TOKEN" }, startupTimeoutMs: 10_000, toolTimeoutMs: 5000 });
    expect(toolAllowed(servers[1]!, "t1")).toBe(true);
    expect(toolAllowed(servers[1]!, "t2")).toBe(false);
    expect(warnings).toEqual(["MCP server `d`: mcp_servers.d needs `command` or `url`; it is not started"]);
  });

  test("a stdio server's env: the base, env_vars it names, its env table; never the rest", () => {
    const env = stdioServerEnv(
      { type: "stdio", command: "x", args: [], env: { SET: "1" }, envVars: ["WANTED"] },
      { PATH: "/bin", HOME: "/h", OPENAI_API_KEY: "sk-x", WANTED: "w", OTHER: "o" },
    );
    expect(env).toEqual({ PATH: "/bin", HOME: "/h", WANTED: "w", SET: "1" });
  });
});

describe("tool search ranking", () => {
  const tool = (name: string, description: string): SearchableTool => ({
    qualifiedName: `mcp__s__${name}`,
    namespace: "mcp__s",
    namespaceDescription: "",
    description,
    parameters: { type: "object" },
    keywords: ["s", name],
  });
  test("matches by words of name and description, best first, limited", () => {
    const all = [tool("weather", "Current weather for a city"), tool("sum", "Adds numbers"), tool("forecast", "Weather forecast, weather maps")];
    expect(searchTools(all, "weather", 5).map((t) => t.qualifiedName)).toEqual(["mcp__s__weather", "mcp__s__forecast"]);
    expect(searchTools(all, "weather", 1)).toHaveLength(1);
    expect(searchTools(all, "nothing matches", 5)).toEqual([]);
  });
});

describe("dynamic tool sources", () => {
  test("tools added later are in specs and dispatchable, also by namespace + name", async () => {
    const registry = createToolRegistry([]);
    expect(registry.specs()).toEqual([]);
    let tools: ReturnType<typeof defineTool<{ x?: number }>>[] = [];
    registry.addSource({ tools: () => tools });
    tools = [
      defineTool({
        name: "mcp__s__echo",
        description: "echo",
        args: z.object({ x: z.number().optional() }),
        parameters: { type: "object", properties: { x: { type: "number" } } },
        isMutating: () => false,
        handle: async (a) => ({ content: `x=${a.x}`, success: true }),
      }),
    ];
    expect(registry.specs()).toEqual([
      { type: "function", name: "mcp__s__echo", description: "echo", strict: false, parameters: { type: "object", properties: { x: { type: "number" } } } },
    ]);
    const ctx = { signal: new AbortController().signal } as never;
    const direct = await registry.dispatch({ type: "function_call", name: "mcp__s__echo", arguments: '{"x":1}', call_id: "c1" }, ctx);
    expect(direct).toEqual({ type: "function_call_output", call_id: "c1", output: "x=1" });
    const namespaced = await registry.dispatch({ type: "function_call", namespace: "mcp__s", name: "echo", arguments: '{"x":2}', call_id: "c2" }, ctx);
    expect(namespaced).toEqual({ type: "function_call_output", call_id: "c2", output: "x=2" });
  });
});
