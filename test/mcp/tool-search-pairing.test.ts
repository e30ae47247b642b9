// A client tool_search_call is a call like any other: it needs a tool_search_output (the API refuses it
// dangling), a cut-off one is answered with an empty search, and the fake server checks the same.
import { describe, expect, test } from "vitest";
import { pairToolCalls } from "../../src/core/persistence/call-pairing.js";
import { toolSearchCallView } from "../../src/protocol/items.js";
import { unpairedToolCallError } from "../support/fake-responses-server.js";

const call = { type: "tool_search_call", id: "tsc_1", call_id: "ts1", status: "completed", execution: "client", arguments: { query: "x" } };

describe("tool_search_call pairing", () => {
  test("a dangling call gets an empty tool_search_output; an answered one is left alone", () => {
    expect(pairToolCalls([call])).toEqual([call, { type: "tool_search_output", call_id: "ts1", status: "completed", execution: "client", tools: [] }]);
    const answered = [call, { type: "tool_search_output", call_id: "ts1", status: "completed", execution: "client", tools: [{ type: "namespace" }] }];
    expect(pairToolCalls(answered)).toBe(answered);
    expect(pairToolCalls([{ type: "tool_search_output", call_id: "gone", tools: [] }])).toEqual([]);
  });

  test("the fake server refuses a dangling call or output, as the API does", () => {
    expect(unpairedToolCallError([call])).toBe("No tool output found for tool search call ts1.");
    expect(unpairedToolCallError([{ type: "tool_search_output", call_id: "zz", tools: [] }])).toBe(
      "No tool call found for tool search output with call_id zz.",
    );
    expect(unpairedToolCallError([call, { type: "tool_search_output", call_id: "ts1", tools: [] }])).toBeNull();
  });

  test("the call the registry dispatches: tool_search with the arguments as JSON", () => {
    expect(toolSearchCallView(call)).toEqual({
      type: "function_call",
      name: "tool_search",
      call_id: "ts1",
      arguments: '{"query":"x"}',
      origin: "tool_search_call",
    });
    expect(toolSearchCallView({ ...call, execution: "server" })).toBeNull();
  });
});
