// Client-defined ("dynamic") tools: a front end (the app-server's `thread/start { dynamicTools }`) declares tools
// the model may call, and answers each call itself. A tool whose `deferLoading` is set (the legacy
// `exposeToContext: false`) is left out of what the model is sent — found through `tool_search` and callable from
// code mode — but stays callable by name.
import { z } from "zod";
import type { ToolOutputContent } from "../../../protocol/items.js";
import { defineTool, type ToolHandler, type ToolSpec } from "../contract.js";
import type { ToolSource } from "../registry.js";
import { TOOL_SEARCH_SPEC, toolSearchTool, type SearchableTool } from "./tool-search.js";

export interface DynamicToolDef {
  /** The namespace the model calls it in (`namespace: "crm", name: "find"`), or null for a top-level tool. */
  namespace: string | null;
  /** The namespace's description (sent with its namespace spec). */
  namespaceDescription?: string;
  name: string;
  description: string;
  inputSchema: unknown;
  /** Hidden from the model's tool list (reachable through tool_search and code mode). */
  deferLoading: boolean;
}

export type DynamicToolContentItem =
  | { type: "inputText"; text: string }
  | { type: "inputImage"; imageUrl: string }
  | { type: "inputAudio"; audioUrl: string };

export interface DynamicToolCall {
  threadId: string;
  turnId: string;
  callId: string;
  namespace: string | null;
  tool: string;
  arguments: unknown;
}

export interface DynamicToolResult {
  contentItems: DynamicToolContentItem[];
  success: boolean;
}

/** Asks whoever declared the tools to run one call; the signal ends with the turn (interrupt, shutdown). */
export type AnswerDynamicToolCall = (call: DynamicToolCall, signal: AbortSignal) => Promise<DynamicToolResult>;

export interface DynamicToolsSetup {
  tools: DynamicToolDef[];
  answer: AnswerDynamicToolCall;
}

/** Where the registry finds a dynamic tool: `ns__name` for a namespaced one (how namespaced calls are looked up). */
export const dynamicToolRegistryName = (t: Pick<DynamicToolDef, "namespace" | "name">): string =>
  t.namespace ? `${t.namespace}__${t.name}` : t.name;

/** JSON schema as the reference sends it: an object schema always has `properties`. */
function parametersOf(schema: unknown): Record<string, unknown> {
  const s = typeof schema === "object" && schema !== null && !Array.isArray(schema) ? { ...(schema as Record<string, unknown>) } : {};
  if (s.type === undefined) s.type = "object";
  if (s.type === "object" && s.properties === undefined) s.properties = {};
  return s;
}

function functionSpec(t: DynamicToolDef): Extract<ToolSpec, { type: "function" }> {
  return { type: "function", name: t.name, description: t.description, strict: false, parameters: parametersOf(t.inputSchema) };
}

/** What the model gets back: the text alone when the answer is one text, else content items. */
export function dynamicToolOutput(items: readonly DynamicToolContentItem[]): ToolOutputContent {
  if (items.every((i) => i.type === "inputText")) {
    return items.map((i) => (i as { text: string }).text).join("\n");
  }
  const out: Exclude<ToolOutputContent, string> = [];
  for (const i of items) {
    if (i.type === "inputText") out.push({ type: "input_text", text: i.text });
    else if (i.type === "inputImage") out.push({ type: "input_image", image_url: i.imageUrl });
    // Audio has no function-output form in the Responses API; it is left out.
  }
  return out;
}

function handlerFor(t: DynamicToolDef, answer: AnswerDynamicToolCall): ToolHandler {
  return defineTool({
    name: dynamicToolRegistryName(t),
    description: t.description,
    args: z.unknown(),
    parameters: parametersOf(t.inputSchema),
    // The client's tool may do anything: it never runs alongside other calls.
    isMutating: () => true,
    async handle(args, ctx) {
      const base = { callId: ctx.callId, namespace: t.namespace, tool: t.name, arguments: args };
      const started = Date.now();
      ctx.emit({ type: "dynamic_tool_call_begin", ...base });
      let result: DynamicToolResult;
      try {
        result = await answer(
          { threadId: ctx.turn?.threadId ?? "", turnId: ctx.turn?.turnId ?? "", ...base },
          ctx.signal,
        );
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        ctx.emit({ type: "dynamic_tool_call_end", ...base, contentItems: null, success: false, durationMs: Date.now() - started, error: message });
        throw err;
      }
      ctx.emit({ type: "dynamic_tool_call_end", ...base, contentItems: result.contentItems, success: result.success, durationMs: Date.now() - started });
      return { content: dynamicToolOutput(result.contentItems), success: result.success };
    },
  });
}

/**
 * The registry source of one thread's dynamic tools: every tool is callable; `specs()` (what the model is sent)
 * leaves the deferred ones out and groups namespaced ones into namespace specs; `callableSpecs()` lists every one
 * flat (code mode's `tools.<name>()`).
 */
export function dynamicToolSource(setup: DynamicToolsSetup, o: { toolSearch: boolean }): ToolSource {
  const handlers = setup.tools.map((t) => handlerFor(t, setup.answer));
  const deferred = setup.tools.filter((t) => t.deferLoading);
  const searchable: SearchableTool[] = deferred.map((t) => ({
    qualifiedName: dynamicToolRegistryName(t),
    namespace: t.namespace ?? "",
    namespaceDescription: t.namespaceDescription ?? "",
    description: t.description,
    parameters: parametersOf(t.inputSchema),
    keywords: [t.name, ...(t.namespace ? [t.namespace] : [])],
  }));
  const search = o.toolSearch && deferred.length > 0 ? toolSearchTool(() => searchable) : undefined;
  const specs: ToolSpec[] = [];
  const namespaces = new Map<string, { type: "namespace"; name: string; description: string; tools: ToolSpec[] }>();
  for (const t of setup.tools) {
    if (t.deferLoading) continue;
    if (!t.namespace) {
      specs.push(functionSpec(t));
      continue;
    }
    let ns = namespaces.get(t.namespace);
    if (!ns) {
      ns = { type: "namespace", name: t.namespace, description: t.namespaceDescription ?? "", tools: [] };
      namespaces.set(t.namespace, ns);
      specs.push(ns);
    }
    ns.tools.push(functionSpec(t));
  }
  if (search) specs.push(TOOL_SEARCH_SPEC);
  const callable: ToolSpec[] = setup.tools.map((t) => ({ ...functionSpec(t), name: dynamicToolRegistryName(t) }));
  const tools = search ? [...handlers, search] : handlers;
  return { tools: () => tools, specs: () => specs, callableSpecs: () => callable };
}
