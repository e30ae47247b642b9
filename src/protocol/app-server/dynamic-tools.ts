import { z } from "zod";
import type { ServerRequestDef } from "./jsonrpc.js";

// Experimental client-defined ("dynamic") tools: `thread/start { dynamicTools }`, the `item/tool/call` server
// request that asks the client to run one, and the `dynamicToolCall` thread item.

export const DynamicToolFunctionSpec = z.object({
  name: z.string(),
  description: z.string(),
  inputSchema: z.unknown(),
  deferLoading: z.boolean().optional(),
});

export const DynamicToolSpec = z.discriminatedUnion("type", [
  DynamicToolFunctionSpec.extend({ type: z.literal("function") }),
  z.object({
    type: z.literal("namespace"),
    name: z.string(),
    description: z.string(),
    tools: z.array(DynamicToolFunctionSpec.extend({ type: z.literal("function") })),
  }),
]).meta({ id: "DynamicToolSpec" });
export type DynamicToolSpec = z.infer<typeof DynamicToolSpec>;

/** The older flat form some clients still send: no `type`, an optional `namespace`, `exposeToContext`. */
export const LegacyDynamicToolSpec = z.object({
  name: z.string(),
  description: z.string(),
  inputSchema: z.unknown(),
  namespace: z.string().nullish(),
  deferLoading: z.boolean().optional(),
  exposeToContext: z.boolean().optional(),
});

const isLegacy = (v: unknown): boolean => {
  if (typeof v !== "object" || v === null) return false;
  const o = v as Record<string, unknown>;
  return "namespace" in o || "exposeToContext" in o || !("type" in o);
};

/**
 * `dynamicTools` as thread/start takes it: the canonical list, or the legacy flat list (grouped into namespaces
 * in first-seen order; `exposeToContext: false` means `deferLoading: true`). Mixing the two forms is refused.
 */
export const DynamicTools = z.array(z.unknown()).transform((values, ctx): DynamicToolSpec[] => {
  const legacy = values.some((v) => isLegacy(v) || nestedLegacy(v));
  const canonical = values.some((v) => typeof v === "object" && v !== null && "type" in v);
  if (legacy && canonical) {
    ctx.addIssue({ code: "custom", message: "dynamic tools must use either canonical or legacy format consistently" });
    return z.NEVER;
  }
  const out: DynamicToolSpec[] = [];
  if (!legacy) {
    for (const [i, v] of values.entries()) {
      const parsed = DynamicToolSpec.safeParse(v);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, path: [i, ...issue.path] } as never);
        return z.NEVER;
      }
      out.push(parsed.data);
    }
    return out;
  }
  const namespaces = new Map<string, Extract<DynamicToolSpec, { type: "namespace" }>>();
  for (const [i, v] of values.entries()) {
    const parsed = LegacyDynamicToolSpec.safeParse(v);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, path: [i, ...issue.path] } as never);
      return z.NEVER;
    }
    const t = parsed.data;
    const fn = {
      type: "function" as const,
      name: t.name,
      description: t.description,
      inputSchema: t.inputSchema,
      deferLoading: t.deferLoading ?? (t.exposeToContext === undefined ? false : !t.exposeToContext),
    };
    if (!t.namespace) {
      out.push(fn);
      continue;
    }
    const existing = namespaces.get(t.namespace);
    if (existing) {
      existing.tools.push(fn);
      continue;
    }
    const ns = { type: "namespace" as const, name: t.namespace, description: "", tools: [fn] };
    namespaces.set(t.namespace, ns);
    out.push(ns);
  }
  return out;
});

function nestedLegacy(v: unknown): boolean {
  const tools = typeof v === "object" && v !== null ? (v as { tools?: unknown }).tools : undefined;
  return Array.isArray(tools) && tools.some(isLegacy);
}

export const DynamicToolCallOutputContentItem = z.discriminatedUnion("type", [
  z.object({ type: z.literal("inputText"), text: z.string() }),
  z.object({ type: z.literal("inputImage"), imageUrl: z.string() }),
  z.object({ type: z.literal("inputAudio"), audioUrl: z.string() }),
]).meta({ id: "DynamicToolCallOutputContentItem" });
export type DynamicToolCallOutputContentItem = z.infer<typeof DynamicToolCallOutputContentItem>;

/** Server → client request `item/tool/call`. */
export const DynamicToolCallParams = z.object({
  threadId: z.string(),
  turnId: z.string(),
  callId: z.string(),
  namespace: z.string().nullable(),
  tool: z.string(),
  arguments: z.unknown(),
}).meta({ id: "DynamicToolCallParams" });
export type DynamicToolCallParams = z.infer<typeof DynamicToolCallParams>;

export const DynamicToolCallResponse = z.object({
  contentItems: z.array(DynamicToolCallOutputContentItem),
  success: z.boolean(),
}).meta({ id: "DynamicToolCallResponse" });
export type DynamicToolCallResponse = z.infer<typeof DynamicToolCallResponse>;

/** The `dynamicToolCall` ThreadItem. */
export const DynamicToolCallItem = z.object({
  type: z.literal("dynamicToolCall"),
  id: z.string(),
  namespace: z.string().nullable(),
  tool: z.string(),
  arguments: z.unknown(),
  status: z.enum(["inProgress", "completed", "failed"]),
  contentItems: z.array(DynamicToolCallOutputContentItem).nullable(),
  success: z.boolean().nullable(),
  durationMs: z.number().int().nullable(),
});
export type DynamicToolCallItem = z.infer<typeof DynamicToolCallItem>;

/** The server→client request that asks the client to run one of its dynamic tools. */
export const DynamicToolCallRequest: ServerRequestDef<DynamicToolCallParams, DynamicToolCallResponse> = {
  method: "item/tool/call",
  params: DynamicToolCallParams,
  result: DynamicToolCallResponse,
};
