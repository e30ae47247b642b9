import { describe, expect, it } from "vitest";
import type { EventMsg } from "../../../protocol/events.js";
import type { ToolContext } from "../contract.js";
import { inertToolContext } from "../inert-tool-context.js";
import { createToolRegistry } from "../registry.js";
import { createCodeModeRegistry } from "../../code-mode/index.js";
import { dynamicToolOutput, dynamicToolSource, type DynamicToolCall, type DynamicToolDef } from "./dynamic-tool.js";

const lookup: DynamicToolDef = {
  namespace: null,
  name: "lookup",
  description: "Look up a ticket",
  inputSchema: { type: "object", properties: { id: { type: "string" } } },
  deferLoading: false,
};
const find: DynamicToolDef = { namespace: "crm", namespaceDescription: "CRM tools", name: "find", description: "Find", inputSchema: { type: "object" }, deferLoading: false };
const secret: DynamicToolDef = { namespace: "crm", name: "secret", description: "Hidden one", inputSchema: { type: "object" }, deferLoading: true };

function ctx(events: EventMsg[], signal = new AbortController().signal): ToolContext {
  return inertToolContext(events, { signal, turn: { threadId: "th_1", turnId: "tu_1" } });
}

describe("dynamic tools", () => {
  it("sends visible tools as the reference does (namespaces grouped, deferred ones left out, tool_search added)", () => {
    const source = dynamicToolSource({ tools: [lookup, find, secret], answer: async () => ({ contentItems: [], success: true }) }, { toolSearch: true });
    const registry = createToolRegistry([]);
    registry.addSource(source);
    expect(registry.specs()).toEqual([
      { type: "function", name: "lookup", description: "Look up a ticket", strict: false, parameters: { type: "object", properties: { id: { type: "string" } } } },
      {
        type: "namespace",
        name: "crm",
        description: "CRM tools",
        tools: [{ type: "function", name: "find", description: "Find", strict: false, parameters: { type: "object", properties: {} } }],
      },
      expect.objectContaining({ type: "tool_search", execution: "client" }),
    ]);
    // Every tool stays callable by programs (code mode), hidden ones included.
    expect(registry.callableSpecs!().map((s) => (s as { name: string }).name)).toEqual(["lookup", "crm__find", "crm__secret"]);
  });

  it("asks the client for a namespaced call and gives the model its answer, with begin/end events", async () => {
    const calls: DynamicToolCall[] = [];
    const source = dynamicToolSource(
      { tools: [lookup, find], answer: async (call) => (calls.push(call), { contentItems: [{ type: "inputText", text: "found 2" }], success: true }) },
      { toolSearch: false },
    );
    const registry = createToolRegistry([]);
    registry.addSource(source);
    const events: EventMsg[] = [];
    const out = await registry.dispatch(
      { type: "function_call", call_id: "call_1", namespace: "crm", name: "find", arguments: '{"q":"acme"}' },
      ctx(events),
    );
    expect(out).toEqual({ type: "function_call_output", call_id: "call_1", output: "found 2" });
    expect(calls).toEqual([{ threadId: "th_1", turnId: "tu_1", callId: "call_1", namespace: "crm", tool: "find", arguments: { q: "acme" } }]);
    expect(events.map((e) => e.type)).toEqual(["dynamic_tool_call_begin", "dynamic_tool_call_end"]);
    expect(events[1]).toMatchObject({ namespace: "crm", tool: "find", success: true, contentItems: [{ type: "inputText", text: "found 2" }] });
    expect(registry.isExclusive({ type: "function_call", call_id: "c", name: "lookup", arguments: "{}" })).toBe(true);
  });

  it("a client that fails to answer gives the model the error and an end event without content", async () => {
    const source = dynamicToolSource({ tools: [lookup], answer: async () => { throw new Error("client went away"); } }, { toolSearch: false });
    const registry = createToolRegistry([]);
    registry.addSource(source);
    const events: EventMsg[] = [];
    const out = await registry.dispatch({ type: "function_call", call_id: "call_1", name: "lookup", arguments: "{}" }, ctx(events));
    expect(out).toEqual({ type: "function_call_output", call_id: "call_1", output: "client went away" });
    expect(events[1]).toMatchObject({ type: "dynamic_tool_call_end", success: false, contentItems: null, error: "client went away" });
  });

  it("code mode can call a deferred tool as tools.<name>() while the model's specs (and exec's description) leave it out", async () => {
    const inner = createToolRegistry([]);
    inner.addSource(dynamicToolSource({ tools: [lookup, secret], answer: async () => ({ contentItems: [], success: true }) }, { toolSearch: false }));
    const wrapped = createCodeModeRegistry({ inner, only: false });
    try {
      const specs = wrapped.specs();
      const names = specs.map((s) => (s as { name?: string }).name);
      expect(names).toContain("lookup");
      expect(names).not.toContain("crm__secret");
      const exec = specs.find((s) => (s as { name?: string }).name === "exec") as { description: string };
      // Deferred like a tool behind tool search: a script finds it in ALL_TOOLS rather than in the description.
      expect(exec.description).not.toContain("crm__secret");
      expect(inner.callableSpecs!().map((s) => (s as { name?: string }).name)).toContain("crm__secret");
    } finally {
      await wrapped.dispose();
    }
  });

  it("mixed content becomes input items; text alone stays a string", () => {
    expect(dynamicToolOutput([{ type: "inputText", text: "a" }, { type: "inputText", text: "b" }])).toBe("a\nb");
    expect(dynamicToolOutput([{ type: "inputText", text: "a" }, { type: "inputImage", imageUrl: "data:image/png;base64,AA" }])).toEqual([
      { type: "input_text", text: "a" },
      { type: "input_image", image_url: "data:image/png;base64,AA" },
    ]);
  });
});
