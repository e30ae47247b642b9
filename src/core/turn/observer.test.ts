import { describe, expect, test } from "vitest";
import { z } from "zod";
import type { EventMsg } from "../../protocol/events.js";
import type { ResponseItem, ToolCallItem } from "../../protocol/items.js";
import type { ModelClient, ModelRequest, ResponseEvent } from "../model/contract.js";
import { defineTool, type ToolContext } from "../tools/contract.js";
import { createToolRegistry } from "../tools/registry.js";
import { composeObservers, type TurnObserver } from "./observer.js";
import { runTurn, type TurnDeps } from "./run-turn.js";

const usage = { input_tokens: 1, cached_input_tokens: 0, output_tokens: 1, reasoning_output_tokens: 0, total_tokens: 2 };
const call = (name: string, id = `c_${name}`): ResponseItem => ({ type: "function_call", name, arguments: "{}", call_id: id });
const say = (text: string): ResponseItem => ({ type: "message", role: "assistant", content: [{ type: "output_text", text }] });
const response = (id: string, ...items: ResponseItem[]): ResponseEvent[] => [
  { type: "created", responseId: id },
  ...items.map((item): ResponseEvent => ({ type: "output_item_done", item })),
  { type: "completed", responseId: id, usage },
];

/** A model answering each request with the next scripted response; it keeps every request's input. */
function scriptedModel(responses: ResponseEvent[][]): ModelClient & { inputs: ResponseItem[][] } {
  const inputs: ResponseItem[][] = [];
  return {
    inputs,
    async *stream(req: ModelRequest) {
      inputs.push([...req.input]);
      const next = responses[inputs.length - 1];
      if (!next) throw new Error("no scripted response left");
      yield* next;
    },
  };
}

function turnDeps(model: ModelClient, tools: ReturnType<typeof defineTool>[], observer: TurnObserver, signal = new AbortController().signal) {
  const history: ResponseItem[] = [];
  const events: EventMsg[] = [];
  const deps: TurnDeps = {
    model,
    registry: createToolRegistry(tools),
    buildRequest: (h) => ({ model: "m", input: [...h], tools: [], parallelToolCalls: true, promptCacheKey: "t", headers: {} }),
    history: () => history,
    record: async (items) => void history.push(...items),
    toolContext: () => ({ signal }) as unknown as ToolContext,
    emit: (m) => void events.push(m),
    onUsage: () => {},
    signal,
    parallelToolCalls: true,
    observer,
  };
  return { deps, history, events };
}

describe("the turn's observer seam", () => {
  test("is called before each sampling, around each tool call and once at stop, in that order", async () => {
    const log: string[] = [];
    const echo = defineTool({
      name: "echo",
      description: "",
      args: z.object({}),
      isMutating: () => false,
      handle: async () => {
        log.push("tool runs");
        return { content: "echoed", success: true };
      },
    });
    const observer: TurnObserver = {
      beforeSampling: ({ history, request }) => void log.push(`sample ${request} (${history.length} items)`),
      beforeToolCall: (c) => void log.push(`before ${c.call_id}`),
      afterToolCall: (c, out) => void log.push(`after ${c.call_id}: ${String((out as { output: unknown }).output)}`),
      onStop: (outcome) => void log.push(`stop ${outcome.status}`),
    };
    const model = scriptedModel([response("r1", call("echo")), response("r2", say("done"))]);
    const { deps } = turnDeps(model, [echo], observer);
    expect(await runTurn(deps)).toEqual({ status: "completed", lastAgentMessage: "done" });
    expect(log).toEqual([
      "sample 1 (0 items)",
      "before c_echo",
      "tool runs",
      "after c_echo: echoed",
      "sample 2 (2 items)",
      "stop completed",
    ]);
  });

  test("a before-tool observer that blocks a call keeps it from running; the model sees its refusal", async () => {
    let ran = 0;
    const rm = defineTool({
      name: "rm",
      description: "",
      args: z.object({}),
      isMutating: () => true,
      handle: async () => {
        ran++;
        return { content: "removed", success: true };
      },
    });
    const seen: Array<[string, unknown]> = [];
    const observer: TurnObserver = {
      beforeToolCall: (c: ToolCallItem) => (c.name === "rm" ? { type: "block", reason: "blocked by policy hook: no rm" } : undefined),
      afterToolCall: (c, out) => void seen.push([c.call_id, (out as { output: unknown }).output]),
    };
    const model = scriptedModel([response("r1", call("rm")), response("r2", say("ok, not removing"))]);
    const { deps, history } = turnDeps(model, [rm], observer);
    expect(await runTurn(deps)).toEqual({ status: "completed", lastAgentMessage: "ok, not removing" });
    expect(ran).toBe(0);
    expect(seen).toEqual([["c_rm", "blocked by policy hook: no rm"]]);
    expect(model.inputs[1]).toEqual([
      call("rm"),
      { type: "function_call_output", call_id: "c_rm", output: "blocked by policy hook: no rm" },
    ]);
    expect(history.at(-1)).toEqual(say("ok, not removing"));
  });

  test("a rewriting observer: the next observers and the tool see the rewritten call", async () => {
    const seen: string[] = [];
    const composed = composeObservers([
      { beforeToolCall: (c) => ({ type: "rewrite", call: { ...c, arguments: '{"v":2}' } as ToolCallItem }) },
      { beforeToolCall: (c) => void seen.push(String((c as { arguments?: string }).arguments)) },
    ]);
    const original = { type: "function_call", call_id: "c1", name: "t", arguments: '{"v":1}' } as ToolCallItem;
    const verdict = await composed.beforeToolCall!(original);
    expect(seen).toEqual(['{"v":2}']);
    expect(verdict).toMatchObject({ type: "rewrite", call: { call_id: "c1", arguments: '{"v":2}' } });
    expect(await composeObservers([{}, {}]).beforeToolCall!(original)).toEqual({ type: "continue" });
  });

  test("a replacing observer answers the call instead of the tool", async () => {
    const model = scriptedModel([response("r1", call("missing_tool")), response("r2", say("fine"))]);
    const { deps } = turnDeps(model, [], { beforeToolCall: () => ({ type: "replace", output: "cached answer" }) });
    await runTurn(deps);
    expect(model.inputs[1]?.[1]).toEqual({ type: "function_call_output", call_id: "c_missing_tool", output: "cached answer" });
  });

  test("an interrupt while calls run answers every call (aborted) before the turn ends", async () => {
    const controller = new AbortController();
    let started!: () => void;
    const running = new Promise<void>((r) => (started = r));
    const hang = defineTool({
      name: "hang",
      description: "",
      args: z.object({}),
      isMutating: () => false,
      handle: (_a, ctx) =>
        new Promise((_resolve, reject) => {
          started();
          ctx.signal.addEventListener("abort", () => reject(Object.assign(new Error("aborted"), { name: "AbortError" })));
        }),
    });
    const quick = defineTool({ name: "quick", description: "", args: z.object({}), isMutating: () => false, handle: async () => ({ content: "quick done", success: true }) });
    const stops: string[] = [];
    let quickAnswered!: () => void;
    const answered = new Promise<void>((r) => (quickAnswered = r));
    const model = scriptedModel([response("r1", call("quick"), call("hang"))]);
    const observer: TurnObserver = {
      afterToolCall: (c) => (c.call_id === "c_quick" ? quickAnswered() : undefined),
      onStop: (o) => void stops.push(o.status),
    };
    const { deps, history } = turnDeps(model, [hang, quick], observer, controller.signal);
    const outcome = runTurn(deps);
    await Promise.all([running, answered]);
    controller.abort();
    expect(await outcome).toEqual({ status: "interrupted" });
    expect(stops).toEqual(["interrupted"]);
    expect(history.slice(2)).toEqual([
      { type: "function_call_output", call_id: "c_quick", output: "quick done" },
      { type: "function_call_output", call_id: "c_hang", output: expect.stringMatching(/^aborted by user after \d+\.\ds$/) },
    ]);
  });
});
