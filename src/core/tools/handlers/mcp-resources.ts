// list_mcp_resources, list_mcp_resource_templates, read_mcp_resource: resources of the configured servers.
import { z } from "zod";
import type { McpCaller } from "../../mcp/caller.js";
import { defineTool, ToolError, type ToolContext, type ToolHandler } from "../contract.js";

const listArgs = (what: string) =>
  z
    .object({
      cursor: z.string().optional().describe(`Opaque cursor from a previous ${what} call; omit for the first page.`),
      server: z.string().optional().describe(`MCP server name. Omit to list ${what === "list_mcp_resources" ? "resources" : "resource templates"} from every configured server.`),
    })
    .strict();

export function mcpResourceTools(caller: McpCaller): ToolHandler[] {
  const servers = (server: string | undefined): string[] => {
    if (server === undefined) return caller.serverNames();
    if (!caller.serverNames().includes(server)) throw ToolError.toModel(`unknown MCP server '${server}'`);
    return [server];
  };
  const json = (value: unknown) => ({ content: JSON.stringify(value), success: true });

  async function collect<T>(
    server: string | undefined,
    ctx: ToolContext,
    run: (name: string) => Promise<{ items: T[]; nextCursor?: string }>,
  ): Promise<{ items: Array<T & { server: string }>; nextCursor?: string }> {
    const items: Array<T & { server: string }> = [];
    let nextCursor: string | undefined;
    for (const name of servers(server)) {
      try {
        const page = await run(name);
        items.push(...page.items.map((i) => ({ ...i, server: name })));
        if (server !== undefined) nextCursor = page.nextCursor;
      } catch (err) {
        if (server !== undefined) throw ToolError.toModel((err as Error).message);
        if (ctx.signal.aborted) throw err;
      }
    }
    return { items, ...(nextCursor ? { nextCursor } : {}) };
  }

  return [
    defineTool({
      name: "list_mcp_resources",
      description:
        "Lists resources provided by MCP servers. Resources allow servers to share data that provides context to language models, such as files, database schemas, or application-specific information. Prefer resources over web search when possible.",
      args: listArgs("list_mcp_resources"),
      isMutating: () => false,
      async handle({ cursor, server }, ctx) {
        const out = await collect(server, ctx, (name) =>
          caller.request(name, ctx, async (c) => {
            const r = await c.listResources(cursor ? { cursor } : undefined, { signal: ctx.signal });
            return { items: r.resources, ...(r.nextCursor ? { nextCursor: r.nextCursor } : {}) };
          }),
        );
        return json({ resources: out.items, ...(out.nextCursor ? { nextCursor: out.nextCursor } : {}) });
      },
    }),
    defineTool({
      name: "list_mcp_resource_templates",
      description:
        "Lists resource templates provided by MCP servers. Parameterized resource templates allow servers to share data that takes parameters and provides context to language models, such as files, database schemas, or application-specific information. Prefer resource templates over web search when possible.",
      args: listArgs("list_mcp_resource_templates"),
      isMutating: () => false,
      async handle({ cursor, server }, ctx) {
        const out = await collect(server, ctx, (name) =>
          caller.request(name, ctx, async (c) => {
            const r = await c.listResourceTemplates(cursor ? { cursor } : undefined, { signal: ctx.signal });
            return { items: r.resourceTemplates, ...(r.nextCursor ? { nextCursor: r.nextCursor } : {}) };
          }),
        );
        return json({ resourceTemplates: out.items, ...(out.nextCursor ? { nextCursor: out.nextCursor } : {}) });
      },
    }),
    defineTool({
      name: "read_mcp_resource",
      description: "Read a specific resource from an MCP server given the server name and resource URI.",
      args: z
        .object({
          server: z.string().describe("MCP server name exactly as configured. Must match the 'server' field returned by list_mcp_resources."),
          uri: z.string().describe("Resource URI to read. Must be one of the URIs returned by list_mcp_resources."),
        })
        .strict(),
      isMutating: () => false,
      async handle({ server, uri }, ctx) {
        servers(server);
        try {
          const r = await caller.request(server, ctx, (c) => c.readResource({ uri }, { signal: ctx.signal }));
          return json({ server, uri, ...r });
        } catch (err) {
          if (ctx.signal.aborted) throw err;
          throw ToolError.toModel(`resources/read failed: ${(err as Error).message}`);
        }
      },
    }),
  ];
}
