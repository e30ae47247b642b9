import { isToolSearchView, type ResponseItem, type ToolCallItem } from "../../protocol/items.js";
import { ToolError, toolSpec, type ToolContext, type ToolHandler, type ToolOutput, type ToolSpec } from "./contract.js";

export interface ToolRegistry {
  specs(): ToolSpec[];
  isMutating(call: ToolCallItem): boolean;
  /**
   * True when the call must run alone: it waits for every earlier call of the response and blocks every
   * later one (a write lock). Others share a read lock: read-only calls, and tools that declare
   * `supportsParallel` (shell commands), as the reference's parallel-execution lock does.
   */
  isExclusive(call: ToolCallItem): boolean;
  /** Runs one call and returns the output item for the model. Throws only fatal errors. */
  dispatch(call: ToolCallItem, ctx: ToolContext): Promise<ResponseItem>;
  /**
   * Runs one call and returns the tool's own output (with its structured result); a tool's error is
   * thrown, not turned into text. Code mode's nested calls use it.
   */
  run?(call: ToolCallItem, ctx: ToolContext): Promise<ToolOutput>;
  /**
   * Every tool a program may call (code mode's `tools.<name>()`), as flat specs: `specs()` plus the tools
   * hidden from the model (deferred dynamic tools). Absent: the same as `specs()`.
   */
  callableSpecs?(): ToolSpec[];
}

/**
 * Tools that appear after the registry is built (MCP servers start in the background): asked on every
 * lookup and every `specs()`, so a wrapper of the registry (code mode) sees them too.
 */
export interface ToolSource {
  tools(): readonly ToolHandler[];
  /** What the model is sent for this source, when not every tool's own spec (deferred tools behind tool_search). */
  specs?(): readonly ToolSpec[];
  /** Flat specs of every callable tool, hidden ones included, when they differ from `specs()`. */
  callableSpecs?(): readonly ToolSpec[];
}

export interface DynamicToolRegistry extends ToolRegistry {
  addSource(source: ToolSource): void;
}

export function createToolRegistry(tools: ToolHandler[], extraSpecs: ToolSpec[] = []): DynamicToolRegistry {
  const staticByName = new Map(tools.map((t) => [t.name, t]));
  const sources: ToolSource[] = [];
  const dynamicSpecs = new WeakMap<ToolHandler, ToolSpec>();
  const byName = {
    get(name: string): ToolHandler | undefined {
      const found = staticByName.get(name);
      if (found) return found;
      for (const source of sources) {
        const tool = source.tools().find((t) => t.name === name);
        if (tool) return tool;
      }
      return undefined;
    },
  };
  const lookup = (call: ToolCallItem): ToolHandler | undefined =>
    byName.get(call.name) ??
    // A call into a namespaced tool (`namespace: "mcp__srv", name: "get_sum"`) names the qualified tool.
    (call.type === "function_call" && call.namespace ? byName.get(`${call.namespace}__${call.name}`) : undefined);
  const dynamicSpec = (tool: ToolHandler): ToolSpec => {
    let spec = dynamicSpecs.get(tool);
    if (!spec) dynamicSpecs.set(tool, (spec = toolSpec(tool)));
    return spec;
  };

  const outputItem = (call: ToolCallItem, output: ToolOutput): ResponseItem =>
    isToolSearchView(call)
      ? { type: "tool_search_output", call_id: call.call_id, status: "completed", execution: "client", tools: output.tools ?? [] }
      : call.type === "custom_tool_call"
      ? { type: "custom_tool_call_output", call_id: call.call_id, output: output.content }
      : { type: "function_call_output", call_id: call.call_id, output: output.content };

  const toModel = (text: string): ToolOutput => ({ content: text, success: false });

  async function invoke(call: ToolCallItem, ctx: ToolContext): Promise<ToolOutput> {
    const tool = lookup(call);
    if (!tool) return toModel(`unsupported call: ${call.name}`);
    const raw = call.type === "custom_tool_call" ? call.input : call.arguments;
    if (tool.kind === "freeform") {
      // A freeform tool called as a JSON function still carries its text in `input`.
      const input = call.type === "function_call" ? extractInputField(raw) : raw;
      return tool.handle(input, ctx);
    }
    let json: unknown;
    try {
      json = raw.trim() === "" ? {} : JSON.parse(raw);
    } catch (err) {
      return toModel(`failed to parse function arguments: ${(err as Error).message}`);
    }
    const parsed = tool.args.safeParse(json);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
      return toModel(`failed to parse function arguments: ${issues}`);
    }
    return tool.handle(parsed.data, ctx);
  }

  // Tool specs never change for a registry; derive the JSON schemas once, not on every request.
  let specs: ToolSpec[] | undefined;
  const isMutating = (call: ToolCallItem): boolean => {
    const tool = lookup(call);
    if (!tool) return false;
    if (tool.kind === "freeform") return tool.isMutating(call.type === "custom_tool_call" ? call.input : "");
    if (call.type !== "function_call") return true;
    try {
      const parsed = tool.args.safeParse(JSON.parse(call.arguments || "{}"));
      return parsed.success ? tool.isMutating(parsed.data) : false;
    } catch {
      return false;
    }
  };
  // Every handler, MCP tools deferred behind tool search included (a source's own flat list when it has
  // one); the same array while nothing changed, so code mode re-derives its view only on a change.
  let ownSpecs: ToolSpec[] | undefined;
  let callable: ToolSpec[] | undefined;
  const callableSpecs = (): ToolSpec[] => {
    ownSpecs ??= tools.map(toolSpec);
    if (sources.length === 0) return ownSpecs;
    const next = [
      ...ownSpecs,
      ...sources.flatMap((s) => s.callableSpecs?.() ?? s.tools().filter((t) => !staticByName.has(t.name)).map(dynamicSpec)),
    ];
    if (callable && callable.length === next.length && callable.every((spec, i) => spec === next[i])) return callable;
    return (callable = next);
  };
  return {
    callableSpecs,
    specs: () => {
      specs ??= [...(ownSpecs ??= tools.map(toolSpec)), ...extraSpecs];
      if (sources.length === 0) return specs;
      const extra = sources.flatMap((s) => s.specs?.() ?? s.tools().filter((t) => !staticByName.has(t.name)).map(dynamicSpec));
      return extra.length === 0 ? specs : [...specs, ...extra];
    },
    addSource: (source) => void sources.push(source),
    isMutating,
    isExclusive: (call) => lookup(call)?.supportsParallel !== true && isMutating(call),
    run: (call, ctx) => invoke(call, ctx),
    async dispatch(call, ctx) {
      try {
        return outputItem(call, await invoke(call, ctx));
      } catch (err) {
        if (err instanceof ToolError && err.kind !== "respond_to_model") throw err;
        if (ctx.signal.aborted) throw err;
        const message = err instanceof Error ? err.message : String(err);
        return outputItem(call, toModel(message));
      }
    },
  };
}

function extractInputField(raw: string): string {
  try {
    const parsed = JSON.parse(raw) as { input?: unknown };
    return typeof parsed.input === "string" ? parsed.input : raw;
  } catch {
    return raw;
  }
}
