import { describe, expect, test } from "vitest";
import { z } from "zod";
import type { EventMsg } from "../../protocol/events.js";
import type { ResponseItem } from "../../protocol/items.js";
import type { ModelClient, ResponseEvent } from "../model/contract.js";
import { defineTool, ToolError, type ToolContext } from "../tools/contract.js";
import { createToolRegistry } from "../tools/registry.js";
import { runTurn } from "./run-turn.js";

const usage = { input_tokens: 1, cached_input_tokens: 0, output_tokens: 1, reasoning_output_tokens: 0, total_tokens: 2 };

/** A model that answers each request with the next scripted list of events. */
function scriptedModel(responses: ResponseEvent[][]): ModelClient & { requests: number } {
  const client = {
    requests: 0,
    async *stream() {
      const next = responses[client.requests++];
      if (!next) throw new Error("no scripted response left");
      yield* next;
    },
  };
  return client;
}

const call = (name: string): ResponseItem => ({ type: "function_call", name, arguments: "{}", call_id: `c_${name}` });
const say = (text: string): ResponseItem => ({ type: "message", role: "assistant", content: [{ type: "output_text", text }] });

function deps(model: ModelClient, tools: ReturnType<typeof defineTool>[]) {
  const history: ResponseItem[] = [];
  const events: EventMsg[] = [];
  const controller = new AbortController();
  return {
    history,
    events,
    controller,
    turn: {
      model,
      registry: createToolRegistry(tools),
      buildRequest: (h: readonly ResponseItem[]) => ({ model: "m", input: [...h], tools: [], parallelToolCalls: true, promptCacheKey: "t", headers: {} }),
      history: () => history,
      record: async (items: ResponseItem[]) => void history.push(...items),
      toolContext: () => ({ signal: controller.signal }) as unknown as ToolContext,
      emit: (m: EventMsg) => void events.push(m),
      onUsage: () => {},
      signal: controller.signal,
      parallelToolCalls: true,
    },
  };
}

describe("runTurn", () => {
  test("samples again after tool calls and ends with the last message; outputs follow their calls", async () => {
    const echo = defineTool({ name: "echo", description: "", args: z.object({}), isMutating: () => false, handle: async () => ({ content: "echoed", success: true }) });
    const model = scriptedModel([
      [{ type: "created", responseId: "r1" }, { type: "output_item_done", item: call("echo") }, { type: "completed", responseId: "r1", usage }],
      [{ type: "created", responseId: "r2" }, { type: "output_item_done", item: say("done") }, { type: "completed", responseId: "r2", usage }],
    ]);
    const d = deps(model, [echo]);
    expect(await runTurn(d.turn)).toEqual({ status: "completed", lastAgentMessage: "done" });
    expect(d.history.map((i) => i.type)).toEqual(["function_call", "function_call_output", "message"]);
    expect(model.requests).toBe(2);
  });

  test("a retried stream drops the failed attempt's items", async () => {
    const model = scriptedModel([
      [
        { type: "created", responseId: "r1" },
        { type: "output_item_done", item: say("partial") },
        { type: "retrying", attempt: 1, maxAttempts: 5, reason: "dropped", delayMs: 0 },
        { type: "created", responseId: "r1b" },
        { type: "output_item_done", item: say("whole") },
        { type: "completed", responseId: "r1b", usage },
      ],
    ]);
    const d = deps(model, []);
    expect(await runTurn(d.turn)).toEqual({ status: "completed", lastAgentMessage: "whole" });
    expect(d.history).toEqual([say("whole")]);
    expect(d.events).toContainEqual({ type: "stream_error", message: "Reconnecting... 1/5 (dropped)", attempt: 1, maxAttempts: 5 });
  });

  test("a person aborting at an approval prompt ends the turn as interrupted", async () => {
    const gated = defineTool({
      name: "gated",
      description: "",
      args: z.object({}),
      isMutating: () => true,
      handle: async () => {
        throw ToolError.abortTurn("command approval aborted");
      },
    });
    const model = scriptedModel([
      [{ type: "created", responseId: "r1" }, { type: "output_item_done", item: call("gated") }, { type: "completed", responseId: "r1", usage }],
    ]);
    const d = deps(model, [gated]);
    expect(await runTurn(d.turn)).toEqual({ status: "interrupted" });
    expect(model.requests).toBe(1);
    // The call is still answered, so the next request pairs it.
    expect(d.history.at(-1)).toEqual({ type: "function_call_output", call_id: "c_gated", output: expect.stringMatching(/^aborted by user after/) });
  });

  test("a stream that ends without response.completed fails the turn as a disconnect", async () => {
    const model = scriptedModel([[{ type: "created", responseId: "r1" }]]);
    const outcome = await runTurn(deps(model, []).turn);
    expect(outcome).toMatchObject({ status: "failed", error: { kind: "stream_disconnected" } });
  });
});
