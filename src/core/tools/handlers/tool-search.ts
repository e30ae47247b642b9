// tool_search: the model searches deferred tools (MCP tools past the threshold) by BM25 over their names
// and descriptions; what it finds goes back in a tool_search_output as namespaced specs, in the
// reference's shape, and becomes callable as `namespace` + `name`.
import { z } from "zod";
import { defineTool, type FunctionTool, type ToolSpec } from "../contract.js";

export interface SearchableTool {
  /** The registry name (`mcp__srv__tool`). */
  qualifiedName: string;
  /** `mcp__srv`: the model calls `name` inside it. */
  namespace: string;
  namespaceDescription: string;
  description: string;
  parameters: Record<string, unknown>;
  /** Extra words to match (the server name, the original tool name). */
  keywords: string[];
}

export const TOOL_SEARCH_DESCRIPTION =
  "# Tool discovery\n\nSearches over deferred tool metadata with BM25 and exposes matching tools for the next model call.\n\n" +
  "Some of the tools may not have been provided to you upfront, and you should use this tool (`tool_search`) to search for the required tools. " +
  "For MCP tool discovery, always use `tool_search` instead of `list_mcp_resources` or `list_mcp_resource_templates`.";

export const TOOL_SEARCH_SPEC: ToolSpec = {
  type: "tool_search",
  execution: "client",
  description: TOOL_SEARCH_DESCRIPTION,
  parameters: {
    type: "object",
    properties: {
      limit: { type: "number", description: "Maximum number of tools to return. Defaults to 8." },
      query: { type: "string", description: "Search query for deferred tools." },
    },
    required: ["query"],
    additionalProperties: false,
  },
};

const DEFAULT_LIMIT = 8;

export function toolSearchTool(catalog: () => readonly SearchableTool[]): FunctionTool<{ query: string; limit?: number | undefined }> {
  return defineTool({
    name: "tool_search",
    description: TOOL_SEARCH_DESCRIPTION,
    args: z.object({ query: z.string(), limit: z.number().int().min(1).optional() }),
    isMutating: () => false,
    async handle({ query, limit }) {
      const found = searchTools(catalog(), query, limit ?? DEFAULT_LIMIT);
      return { content: "", success: true, tools: namespacedSpecs(found) };
    },
  });
}

const tokens = (text: string): string[] => text.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);

/** BM25 (k1 1.2, b 0.75) over name, keywords and description; ties keep catalogue order. */
export function searchTools(all: readonly SearchableTool[], query: string, limit: number): SearchableTool[] {
  const docs = all.map((t) => tokens([t.qualifiedName, ...t.keywords, t.description].join(" ")));
  const avg = docs.reduce((n, d) => n + d.length, 0) / Math.max(docs.length, 1);
  const terms = [...new Set(tokens(query))];
  const df = new Map(terms.map((term) => [term, docs.filter((d) => d.includes(term)).length]));
  const scored = docs.map((doc, i) => {
    let score = 0;
    for (const term of terms) {
      const tf = doc.filter((w) => w === term).length;
      if (tf === 0) continue;
      const n = df.get(term) ?? 0;
      const idf = Math.log(1 + (docs.length - n + 0.5) / (n + 0.5));
      score += (idf * tf * 2.2) / (tf + 1.2 * (0.25 + 0.75 * (doc.length / (avg || 1))));
    }
    return { i, score };
  });
  return scored
    .filter((s) => s.score > 0)
    .sort((a, b) => b.score - a.score || a.i - b.i)
    .slice(0, limit)
    .map((s) => all[s.i]!);
}

function namespacedSpecs(found: readonly SearchableTool[]): unknown[] {
  const groups = new Map<string, { description: string; tools: unknown[] }>();
  const plain: unknown[] = [];
  for (const t of found) {
    const spec = (name: string) => ({ type: "function", name, description: t.description, strict: false, defer_loading: true, parameters: t.parameters });
    if (!t.qualifiedName.startsWith(`${t.namespace}__`)) {
      plain.push(spec(t.qualifiedName));
      continue;
    }
    const group = groups.get(t.namespace) ?? { description: t.namespaceDescription, tools: [] };
    group.tools.push(spec(t.qualifiedName.slice(t.namespace.length + 2)));
    groups.set(t.namespace, group);
  }
  return [
    ...[...groups].map(([name, g]) => ({ type: "namespace", name, description: g.description, tools: g.tools })),
    ...plain,
  ];
}
