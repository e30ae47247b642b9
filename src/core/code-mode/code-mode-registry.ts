import type { ResponseItem, ToolCallItem } from "../../protocol/items.js";
import type { ToolContext, ToolOutput, ToolSpec } from "../tools/contract.js";
import type { ToolRegistry } from "../tools/registry.js";
import { createCellHost, type CellHost, type CellReport, type NestedTool } from "./cell-host.js";
import {
  DEFAULT_MAX_OUTPUT_TOKENS,
  DEFAULT_WAIT_YIELD_MS,
  EXEC_GRAMMAR,
  WAIT_DESCRIPTION,
  WAIT_PARAMETERS,
  execDescription,
  formatCellReport,
  jsToolName,
  parseExecInput,
} from "./format.js";
import type { WorkerLimits, WorkerPool } from "./worker-pool.js";
import { untilAborted } from "../../util/until-aborted.js";

export const EXEC_TOOL = "exec";
export const WAIT_TOOL = "wait";
const TOOL_SEARCH = "tool_search";

type CallableSpec = ToolSpec & { type: "function" | "custom" };

export interface CodeModeRegistry extends ToolRegistry {
  dispose(): Promise<void>;
}

export interface CodeModeOptions {
  inner: ToolRegistry;
  /** `code_mode_only`: the model gets exec and wait (plus hosted tools it cannot call from JS) only. */
  only: boolean;
  limits?: Partial<WorkerLimits>;
  /** The runtime's worker pool, shared by its threads (else the thread's host starts its own). */
  pool?: WorkerPool;
  host?: CellHost;
}

/**
 * Wraps a registry with `exec` and `wait`. Every function or freeform tool of the inner registry is
 * callable from JavaScript as `tools.<name>(args)`: the list is read from the registry's callable specs
 * at each exec (tools that join later — MCP servers, dynamic tools, also those deferred behind tool search
 * or hidden from the model — are included); exec's description declares the ones the model is sent. A
 * nested call is dispatched through the inner registry with its own call id, so its approvals, sandbox
 * and events are those of a direct call.
 */
/** Tools the model calls itself, never from JavaScript (as the reference: kept beside exec in code_mode_only). */
const DIRECT_ONLY = new Set(["request_user_input"]);

export function createCodeModeRegistry(o: CodeModeOptions): CodeModeRegistry {
  const { inner } = o;
  const host = o.host ?? createCellHost(o.pool ? { pool: o.pool } : o.limits ? { limits: o.limits } : {});
  let cached:
    | { model: ToolSpec[]; callable: ToolSpec[]; byName: Map<string, CallableSpec>; tools: NestedTool[]; specs: ToolSpec[] }
    | undefined;
  // `notify()` outputs not yet recorded: they go in the history after the output of the exec or wait call
  // that returns next (the exec call itself when the cell is still running under it), as the reference does.
  const notes: ResponseItem[] = [];

  const view = () => {
    const model = inner.specs();
    const callable = inner.callableSpecs?.() ?? model;
    if (cached && sameItems(cached.model, model) && sameItems(cached.callable, callable)) return cached;
    // tool_search finds specs for the model; a script calls the deferred tools themselves.
    const isNested = (s: ToolSpec): s is CallableSpec =>
      (s.type === "function" || s.type === "custom") && s.name !== EXEC_TOOL && s.name !== WAIT_TOOL && s.name !== TOOL_SEARCH && !DIRECT_ONLY.has(s.name);
    const nested = callable.filter(isNested);
    const exec: ToolSpec = {
      type: "custom",
      name: EXEC_TOOL,
      description: execDescription(model.filter(isNested)),
      format: { type: "grammar", syntax: "lark", definition: EXEC_GRAMMAR },
    };
    const wait: ToolSpec = { type: "function", name: WAIT_TOOL, description: WAIT_DESCRIPTION, strict: false, parameters: WAIT_PARAMETERS };
    const rest = o.only ? model.filter((s) => (s.type !== "function" && s.type !== "custom") || DIRECT_ONLY.has(s.name)) : model;
    const tools = nested.map((s) => ({ name: jsToolName(s.name), description: s.description }));
    const byName = new Map(nested.map((s) => [jsToolName(s.name), s] as const));
    cached = { model, callable, byName, tools, specs: [exec, wait, ...rest] };
    host.prime(tools);
    return cached;
  };

  // The tool list known now goes to the pool at once: the worker starting for this thread prepares its
  // first context with it instead of preparing one more later.
  view();

  /** Hands the queued notify outputs to the call returning now (outside a tool round there is no history: they only went out as events). */
  const deliverNotes = (ctx: ToolContext): void => {
    for (const note of notes.splice(0)) ctx.recordAfterOutput?.(note);
  };

  let nestedSeq = 0;
  const callNested = async (name: string, input: unknown, ctx: ToolContext): Promise<unknown> => {
    const spec = view().byName.get(name);
    if (!spec) throw new Error(`unknown tool \`${name}\``);
    nestedSeq += 1;
    const callId = `${ctx.callId}.${nestedSeq}`;
    let call: ToolCallItem;
    if (spec.type === "custom") {
      if (typeof input !== "string") throw new Error(`tool \`${name}\` expects a string input`);
      call = { type: "custom_tool_call", call_id: callId, name: spec.name, input };
    } else {
      if (input !== undefined && (input === null || typeof input !== "object" || Array.isArray(input))) {
        throw new Error(`tool \`${name}\` expects a JSON object for arguments`);
      }
      call = { type: "function_call", call_id: callId, name: spec.name, arguments: JSON.stringify(input ?? {}) };
    }
    // Its output goes back to the script, never into the history.
    const { recordAfterOutput: _history, ...outer } = ctx;
    const nestedCtx: ToolContext = { ...outer, callId };
    // The turn's seam (PreToolUse/PostToolUse hooks…) sees a nested call as it sees a direct one.
    const seam = ctx.nestedCallSeam;
    const verdict = await seam?.before(call);
    if (verdict?.type === "rewrite") call = verdict.call;
    if (verdict?.type === "block" || verdict?.type === "replace") {
      const text = verdict.type === "block" ? verdict.reason : verdict.output;
      await seam?.after(call, outputItem(call, text));
      if (verdict.type === "block") throw new Error(text);
      return text;
    }
    let out: ToolOutput;
    if (inner.run) {
      try {
        out = await inner.run(call, nestedCtx);
      } catch (err) {
        await seam?.after(call, outputItem(call, err instanceof Error ? err.message : String(err)));
        throw err;
      }
    } else {
      const item = await inner.dispatch(call, nestedCtx);
      out = { content: "output" in item ? (item.output as ToolOutput["content"]) : "", success: true };
    }
    await seam?.after(call, outputItem(call, out.content));
    return resultForScript(out);
  };

  const execCall = async (call: ToolCallItem, ctx: ToolContext): Promise<ResponseItem> => {
    const input = call.type === "custom_tool_call" ? call.input : inputField(call.arguments);
    const answer = (output: ToolOutput["content"]): ResponseItem => ({ type: "custom_tool_call_output", call_id: call.call_id, output });
    const parsed = parseExecInput(input);
    if ("error" in parsed) return answer(parsed.error);
    const { tools } = view();
    const report = await cellUntilAborted(
      host.start({
        source: parsed.source,
        yieldMs: parsed.pragma.yieldMs,
        tools,
        callTool: (name, args) => callNested(name, args, ctx),
        onNotify: (text) => {
          const item: ResponseItem = { type: "custom_tool_call_output", call_id: call.call_id, name: EXEC_TOOL, output: text };
          notes.push(item);
          ctx.emit({ type: "raw_response_item", item });
        },
      }),
      ctx,
      host,
    );
    deliverNotes(ctx);
    return answer(formatCellReport(report, { maxOutputTokens: parsed.pragma.maxOutputTokens }));
  };

  const waitCall = async (call: ToolCallItem, ctx: ToolContext): Promise<ResponseItem> => {
    const answer = (output: ToolOutput["content"]): ResponseItem => ({ type: "function_call_output", call_id: call.call_id, output });
    let args: { cell_id?: unknown; yield_time_ms?: unknown; max_tokens?: unknown; terminate?: unknown };
    try {
      args = JSON.parse(call.type === "function_call" ? call.arguments || "{}" : call.input) as typeof args;
    } catch (err) {
      return answer(`failed to parse function arguments: ${(err as Error).message}`);
    }
    if (typeof args.cell_id !== "string") return answer("wait needs a string `cell_id`");
    const yieldMs = typeof args.yield_time_ms === "number" && args.yield_time_ms >= 0 ? args.yield_time_ms : DEFAULT_WAIT_YIELD_MS;
    const maxTokens = typeof args.max_tokens === "number" && args.max_tokens > 0 ? args.max_tokens : DEFAULT_MAX_OUTPUT_TOKENS;
    let report: CellReport;
    try {
      report = await cellUntilAborted(host.wait(args.cell_id, { yieldMs, terminate: args.terminate === true }), ctx, host);
    } catch (err) {
      deliverNotes(ctx);
      return answer((err as Error).message);
    }
    deliverNotes(ctx);
    return answer(formatCellReport(report, { maxOutputTokens: maxTokens }));
  };

  return {
    specs: () => view().specs,
    isMutating: (call) => (call.name === EXEC_TOOL || call.name === WAIT_TOOL ? true : inner.isMutating(call)),
    isExclusive: (call) => (call.name === EXEC_TOOL || call.name === WAIT_TOOL ? false : inner.isExclusive(call)),
    async dispatch(call, ctx) {
      if (call.name === EXEC_TOOL) return execCall(call, ctx);
      if (call.name === WAIT_TOOL) return waitCall(call, ctx);
      return inner.dispatch(call, ctx);
    },
    ...(inner.run ? { run: inner.run.bind(inner) } : {}),
    dispose: () => host.dispose(),
  };
}

function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  return a === b || (a.length === b.length && a.every((x, i) => x === b[i]));
}

function outputItem(call: ToolCallItem, output: ToolOutput["content"]): ResponseItem {
  return call.type === "custom_tool_call"
    ? { type: "custom_tool_call_output", call_id: call.call_id, output }
    : { type: "function_call_output", call_id: call.call_id, output };
}

/** What `await tools.x()` resolves to: the structured result, or else the text / content items. */
function resultForScript(out: ToolOutput): unknown {
  if (out.structured !== undefined) return out.structured;
  if (!out.success) {
    const text = typeof out.content === "string" ? out.content : out.content.map((c) => (c.type === "input_text" ? c.text : "")).join("\n");
    throw new Error(text);
  }
  return out.content;
}

/** A cell's report, unless the turn is aborted first: then the cell is stopped and the abort goes on. */
function cellUntilAborted(p: Promise<CellReport>, ctx: ToolContext, host: CellHost): Promise<CellReport> {
  return untilAborted(p, ctx.signal, {
    reason: () => ctx.signal.reason ?? new Error("aborted"),
    onAbort: () => {
      void p.then((r) => (r.status === "running" ? host.wait(r.cellId, { yieldMs: 0, terminate: true }) : r)).catch(() => {});
    },
  });
}

function inputField(raw: string): string {
  try {
    const parsed = JSON.parse(raw) as { input?: unknown };
    return typeof parsed.input === "string" ? parsed.input : raw;
  } catch {
    return raw;
  }
}
