import type { DynamicToolDef, DynamicToolsSetup, ThreadStartOptions } from "../../core/index.js";
import type { EventMsg } from "../../protocol/events.js";
import { DynamicToolCallRequest, type DynamicToolCallItem, type DynamicToolSpec } from "../../protocol/app-server/dynamic-tools.js";
import type { ClientHandle } from "../connection.js";
import { JsonRpcError, type MethodContext } from "../method-table.js";

// `thread/start { dynamicTools }` (experimental): the client's tools become a core thread option whose calls are
// answered by the client through the `item/tool/call` server request; and the core events of a call become the
// `dynamicToolCall` item (for the event mapper).

/** Flat tool definitions from the wire specs; refuses what the reference refuses (one line naming the tool). */
export function dynamicToolDefs(specs: readonly DynamicToolSpec[]): DynamicToolDef[] {
  const defs: DynamicToolDef[] = [];
  const seen = new Set<string>();
  const add = (t: { name: string; description: string; inputSchema: unknown; deferLoading?: boolean | undefined }, ns: { name: string; description: string } | null) => {
    if (t.name.trim() === "" || t.name !== t.name.trim()) throw JsonRpcError.invalidRequest(`dynamic tool name must be non-empty without surrounding spaces: "${t.name}"`);
    if (t.deferLoading && !ns) throw JsonRpcError.invalidRequest(`deferred dynamic tool must include a namespace: ${t.name}`);
    const key = ns ? `${ns.name}__${t.name}` : t.name;
    if (seen.has(key)) throw JsonRpcError.invalidRequest(`duplicate dynamic tool: ${ns ? `${ns.name}.` : ""}${t.name}`);
    seen.add(key);
    defs.push({
      namespace: ns?.name ?? null,
      ...(ns ? { namespaceDescription: ns.description } : {}),
      name: t.name,
      description: t.description,
      inputSchema: t.inputSchema,
      deferLoading: t.deferLoading === true,
    });
  };
  for (const spec of specs) {
    if (spec.type === "function") add(spec, null);
    else {
      if (spec.name.trim() === "") throw JsonRpcError.invalidRequest("dynamic tool namespace must be non-empty");
      for (const t of spec.tools) add(t, spec);
    }
  }
  return defs;
}

/** The core thread option: calls go to `client` as `item/tool/call`; an interrupted turn stops waiting. */
export function dynamicToolsSetup(specs: readonly DynamicToolSpec[], o: { client: ClientHandle }): DynamicToolsSetup {
  return {
    tools: dynamicToolDefs(specs),
    answer: async (call, signal) => {
      // The call's begin event travels through the thread's event pump, which maps each queued event
      // synchronously as microtasks drain; yielding one macrotask lets it send item/started before this
      // request, as the reference orders them.
      await new Promise<void>((resolve) => setImmediate(resolve));
      return new Promise((resolve, reject) => {
        if (signal.aborted) return reject(new Error("the turn was interrupted"));
        const onAbort = () => reject(new Error("the turn was interrupted"));
        signal.addEventListener("abort", onAbort, { once: true });
        o.client
          .request(DynamicToolCallRequest, call)
          .result.then(resolve, (err: unknown) => reject(err instanceof Error ? err : new Error(String(err))))
          .finally(() => signal.removeEventListener("abort", onAbort));
      });
    },
  };
}

/** thread/start's core options: its `dynamicTools` (experimental) answered by the connection that started it. */
export function dynamicToolsOption(specs: readonly DynamicToolSpec[] | null | undefined, ctx: MethodContext): ThreadStartOptions {
  if (!specs || specs.length === 0) return {};
  if (!ctx.connection.capabilities.experimentalApi) {
    throw JsonRpcError.invalidRequest("thread/start.dynamicTools requires experimentalApi capability");
  }
  return { dynamicTools: dynamicToolsSetup(specs, { client: ctx.client }) };
}

/** The `dynamicToolCall` item of a dynamic tool call's begin/end event (the mapper's item/started, item/completed). */
export function dynamicToolCallItem(msg: EventMsg): { phase: "started" | "completed"; item: DynamicToolCallItem } | null {
  if (msg.type === "dynamic_tool_call_begin") {
    return {
      phase: "started",
      item: { type: "dynamicToolCall", id: msg.callId, namespace: msg.namespace, tool: msg.tool, arguments: msg.arguments, status: "inProgress", contentItems: null, success: null, durationMs: null },
    };
  }
  if (msg.type === "dynamic_tool_call_end") {
    return {
      phase: "completed",
      item: {
        type: "dynamicToolCall",
        id: msg.callId,
        namespace: msg.namespace,
        tool: msg.tool,
        arguments: msg.arguments,
        status: msg.success ? "completed" : "failed",
        contentItems: msg.contentItems,
        success: msg.success,
        durationMs: msg.durationMs,
      },
    };
  }
  return null;
}
