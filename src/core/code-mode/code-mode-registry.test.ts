import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import type { EventMsg } from "../../protocol/events.js";
import type { ResponseItem, ToolCallItem } from "../../protocol/items.js";
import { defineTool, ToolError, type ToolContext, type ToolHandler } from "../tools/contract.js";
import { inertToolContext } from "../tools/inert-tool-context.js";
import { createToolRegistry, type ToolRegistry } from "../tools/registry.js";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { viewImageTool } from "../tools/handlers/view-image.js";
import { runToolRound } from "../turn/tool-round.js";
import { createCodeModeRegistry, type CodeModeRegistry } from "./code-mode-registry.js";

let registry: CodeModeRegistry | undefined;
afterEach(async () => {
  await registry?.dispose();
  registry = undefined;
});

const add = defineTool<{ a: number; b: number }>({
  name: "add",
  description: "Adds two numbers.",
  args: z.object({ a: z.number(), b: z.number() }),
  isMutating: () => false,
  handle: async ({ a, b }) => ({ content: String(a + b), success: true, structured: { sum: a + b } }),
});
const broken = defineTool<Record<string, never>>({
  name: "broken",
  description: "Always fails.",
  args: z.object({}),
  isMutating: () => false,
  handle: async () => {
    throw ToolError.toModel("broken: disk on fire");
  },
});

/**
 * A registry whose tool list can grow, as MCP servers' tools join through a dynamic source:
 * specs are re-read on every call, so a tool added later is visible at the next exec.
 */
function growingRegistry(initial: ToolHandler[]): ToolRegistry & { add(t: ToolHandler): void } {
  const tools = [...initial];
  let current = createToolRegistry(tools);
  return {
    specs: () => current.specs(),
    isMutating: (c) => current.isMutating(c),
    isExclusive: (c) => current.isExclusive(c),
    dispatch: (c, ctx) => current.dispatch(c, ctx),
    run: (c, ctx) => current.run!(c, ctx),
    add(t) {
      tools.push(t);
      current = createToolRegistry(tools);
    },
  };
}

const context = (events: EventMsg[] = []): ToolContext => inertToolContext(events, { callId: "call_x" });

const exec = (input: string, id = "call_x"): ToolCallItem => ({ type: "custom_tool_call", call_id: id, name: "exec", input });
const wait = (args: object): ToolCallItem => ({ type: "function_call", call_id: "w", name: "wait", arguments: JSON.stringify(args) });
const texts = (item: ResponseItem) => ((item as { output: { text: string }[] }).output ?? []).map((o) => o.text);

describe("code-mode registry", () => {
  it("code_mode_only: the model sees exec and wait; exec's description declares the nested tools", () => {
    registry = createCodeModeRegistry({ inner: createToolRegistry([add, broken], [{ type: "web_search" }]), only: true });
    const specs = registry.specs();
    expect(specs.map((s) => ("name" in s ? s.name : s.type))).toEqual(["exec", "wait", "web_search"]);
    const execSpec = specs[0] as { type: string; description: string };
    expect(execSpec.type).toBe("custom");
    expect(execSpec.description).toContain("declare const tools: { add(args: {\n  a: number;\n  b: number;\n}): Promise<unknown>; };");
    const beside = createCodeModeRegistry({ inner: createToolRegistry([add]), only: false });
    expect(beside.specs().map((s) => ("name" in s ? s.name : s.type))).toEqual(["exec", "wait", "add"]);
    void beside.dispose();
  });

  it("a nested call resolves to the tool's structured result; a tool error is catchable in JS", async () => {
    registry = createCodeModeRegistry({ inner: createToolRegistry([add, broken]), only: true });
    const out = await registry.dispatch(
      exec(`const r = await tools.add({ a: 2, b: 3 });\ntext(r.sum);\ntry { await tools.broken({}); } catch (e) { text("caught " + e.message); }\ntry { await tools.add("2+3"); } catch (e) { text(e.message); }`),
      context(),
    );
    expect(out.type).toBe("custom_tool_call_output");
    expect(texts(out).slice(1)).toEqual(["5", "caught broken: disk on fire", "tool `add` expects a JSON object for arguments"]);
    expect(texts(out)[0]).toMatch(/^Script completed\nWall time \d+\.\d seconds\nOutput:\n$/);
  });

  it("an aborted turn rejects exec at once with the abort's reason, and its cell is then terminated", async () => {
    registry = createCodeModeRegistry({ inner: createToolRegistry([add]), only: true });
    const events: EventMsg[] = [];
    const turn = new AbortController();
    const started = new Promise<void>((resolve) => {
      events.push = (...items: EventMsg[]) => {
        if (items.some((e) => e.type === "raw_response_item")) resolve();
        return Array.prototype.push.apply(events, items);
      };
    });
    const ctx = { ...context(events), signal: turn.signal };
    const pending = registry.dispatch(exec(`// @exec: {"yield_time_ms": 100}\nnotify("up");\nfor (;;) await new Promise((r) => setTimeout(r, 5));`), ctx);
    await started;
    turn.abort(new Error("turn interrupted"));
    await expect(pending).rejects.toThrow("turn interrupted");
    // Stopped once its exec would have answered (at its yield time): the cell is gone.
    const answer = async (cellId: string) => (await registry!.dispatch(wait({ cell_id: cellId, yield_time_ms: 0 }), context())) as { output: unknown };
    await vi.waitFor(async () => expect((await answer("1")).output).toMatch(/exec cell 1 not found/), { timeout: 10_000, interval: 50 });
    // An exec whose turn was aborted before it began is refused, and its cell stopped the same way.
    const late = registry.dispatch(exec(`// @exec: {"yield_time_ms": 100}\nfor (;;) await new Promise((r) => setTimeout(r, 5));`), ctx);
    await expect(late).rejects.toThrow("turn interrupted");
    await vi.waitFor(async () => expect((await answer("2")).output).toMatch(/exec cell 2 not found/), { timeout: 10_000, interval: 50 });
  });

  it("an uncaught error ends the cell as Script failed with message and stack", async () => {
    registry = createCodeModeRegistry({ inner: createToolRegistry([broken]), only: true });
    const out = await registry.dispatch(exec(`text("a");\nawait tools.broken({});`), context());
    const t = texts(out);
    expect(t[0]).toMatch(/^Script failed\n/);
    expect(t[1]).toBe("a");
    expect(t[2]).toMatch(/^Script error:\nError: broken: disk on fire/);
  });

  it("a tool added to the inner registry later is callable from JS (dynamic/MCP tools)", async () => {
    const inner = growingRegistry([add]);
    registry = createCodeModeRegistry({ inner, only: true });
    const before = await registry.dispatch(exec(`text(typeof tools.mcp__srv__hello)`), context());
    expect(texts(before)[1]).toBe("undefined");
    inner.add(
      defineTool<{ who: string }>({
        name: "mcp__srv__hello",
        description: "Says hello.",
        args: z.object({ who: z.string() }),
        isMutating: () => false,
        handle: async ({ who }) => ({ content: `hello ${who}`, success: true }),
      }),
    );
    expect((registry.specs()[0] as { description: string }).description).toContain("mcp__srv__hello(args:");
    const after = await registry.dispatch(
      exec(`text(await tools.mcp__srv__hello({ who: "js" })); text(ALL_TOOLS.map((t) => t.name).join(","));`),
      context(),
    );
    expect(texts(after).slice(1)).toEqual(["hello js", "add,mcp__srv__hello"]);
  });

  it("tools a source keeps from the model (deferred, or hidden dynamic tools) are still callable from JS", async () => {
    const hidden = defineTool<Record<string, never>>({
      name: "client_secret_tool",
      description: "A client tool the model is not sent.",
      args: z.object({}),
      isMutating: () => false,
      handle: async () => ({ content: "hidden ok", success: true }),
    });
    const find = defineTool<Record<string, never>>({
      name: "crm__find",
      description: "A namespaced client tool.",
      args: z.object({}),
      isMutating: () => false,
      handle: async () => ({ content: "found", success: true }),
    });
    const inner = createToolRegistry([add]);
    // A source whose specs() leaves a tool out, as app-server dynamic tools with exposeToContext: false do.
    inner.addSource({ tools: () => [hidden], specs: () => [] });
    // One that names its callable tools itself (flat `namespace__name` specs), and keeps tool_search for the model.
    const flat = [{ type: "function" as const, name: "crm__find", description: "A namespaced client tool.", strict: false, parameters: {} }];
    const modelSpecs = [{ type: "tool_search" as const }];
    inner.addSource({ tools: () => [find], specs: () => modelSpecs, callableSpecs: () => flat });
    registry = createCodeModeRegistry({ inner, only: true });
    const description = (registry.specs()[0] as { description: string }).description;
    expect(description).toContain("add(args:");
    expect(description).not.toContain("client_secret_tool");
    const out = await registry.dispatch(
      exec(`text(await tools.client_secret_tool({})); text(await tools.crm__find({})); text(ALL_TOOLS.map((t) => t.name).join(","));`),
      context(),
    );
    expect(texts(out).slice(1)).toEqual(["hidden ok", "found", "add,client_secret_tool,crm__find"]);
    // The view is reused while neither list changes (the same specs array for every request).
    expect(registry.specs()).toBe(registry.specs());
  });

  it("yield via the pragma, then wait returns the rest; terminate; unknown cell", async () => {
    registry = createCodeModeRegistry({ inner: createToolRegistry([add]), only: true });
    await registry.dispatch(exec(`text("warm")`), context());
    const first = await registry.dispatch(
      exec(`// @exec: {"yield_time_ms": 100}\ntext("early"); await new Promise((r) => setTimeout(r, 600)); text("late");`),
      context(),
    );
    expect(texts(first)).toEqual([expect.stringMatching(/^Script running with cell ID 2\n/), "early"]);
    const done = await registry.dispatch(wait({ cell_id: "2", yield_time_ms: 10_000 }), context());
    expect(done.type).toBe("function_call_output");
    expect(texts(done)).toEqual([expect.stringMatching(/^Script completed\n/), "late"]);
    const hang = await registry.dispatch(exec(`// @exec: {"yield_time_ms": 50}\nawait new Promise(() => {});`), context());
    expect(texts(hang)[0]).toMatch(/^Script running with cell ID 3\n/);
    const stopped = await registry.dispatch(wait({ cell_id: "3", terminate: true }), context());
    expect(texts(stopped)[0]).toMatch(/^Script terminated\n/);
    const unknown = await registry.dispatch(wait({ cell_id: "3" }), context());
    expect((unknown as { output: string }).output).toBe("exec cell 3 not found (it finished, was terminated, or never existed)");
  });

  it("notify: an extra output for the exec call id, emitted at once and recorded after the call's output", async () => {
    registry = createCodeModeRegistry({ inner: createToolRegistry([add]), only: true });
    const events: EventMsg[] = [];
    const round = (calls: ToolCallItem[]) =>
      runToolRound(calls, { registry: registry!, toolContext: () => context(events), signal: new AbortController().signal, parallel: false });
    const note = (text: string) => ({ type: "custom_tool_call_output", call_id: "call_n", name: "exec", output: text });
    const first = await round([exec(`notify("step 1"); text("end"); notify({ n: 2 })`, "call_n")]);
    expect(events).toEqual([
      { type: "raw_response_item", item: note("step 1") },
      { type: "raw_response_item", item: note(`{"n":2}`) },
    ]);
    // As the reference records them: the exec output first, then the notes in order.
    expect(first.items.map((i) => (i as { output: unknown }).output)).toEqual([first.outputs[0]!.output, "step 1", `{"n":2}`]);
    expect(first.items.slice(1)).toEqual([note("step 1"), note(`{"n":2}`)]);

    // A note of a cell still running after its exec returned goes after the output of the wait that collects it.
    const second = await round([
      exec(`// @exec: {"yield_time_ms": 0}\nawait new Promise((r) => setTimeout(r, 50)); notify("later");`, "call_n"),
    ]);
    expect(second.items).toHaveLength(1);
    const waited = await round([wait({ cell_id: "2", yield_time_ms: 10_000 })]);
    expect(texts(waited.outputs[0]!)[0]).toMatch(/^Script completed\n/);
    expect(waited.items).toEqual([waited.outputs[0], note("later")]);
  });

  it("tools.view_image resolves to {image_url}, which image() takes as is", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "cm-img-"));
    const png = Buffer.from("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489", "hex");
    writeFileSync(path.join(dir, "dot.png"), png);
    registry = createCodeModeRegistry({ inner: createToolRegistry([viewImageTool]), only: true });
    const out = await registry.dispatch(
      exec(`const r = await tools.view_image({ path: "dot.png" });\ntext(Object.keys(r));\nimage(r);\nimage({ ...r, details: "low" });`),
      { ...context(), cwd: dir },
    );
    const url = `data:image/png;base64,${png.toString("base64")}`;
    expect((out as { output: unknown[] }).output.slice(1)).toEqual([
      { type: "input_text", text: `["image_url"]` },
      { type: "input_image", image_url: url },
      { type: "input_image", image_url: url, detail: "low" },
    ]);
  });

  it("nested calls pass the turn's before/after seam (hooks): a blocked call rejects in JS", async () => {
    registry = createCodeModeRegistry({ inner: createToolRegistry([add]), only: true });
    const seen: string[] = [];
    const result = await runToolRound([exec(`try { await tools.add({ a: 1, b: 2 }); } catch (e) { text("blocked: " + e.message); }`, "call_h")], {
      registry,
      toolContext: () => context(),
      signal: new AbortController().signal,
      parallel: false,
      observer: {
        beforeToolCall: (call) => {
          seen.push(`before ${call.name}`);
          return call.name === "add" ? { type: "block", reason: "hook says no" } : { type: "continue" };
        },
        afterToolCall: (call) => void seen.push(`after ${call.name}`),
      },
    });
    expect(texts(result.outputs[0]!).slice(1)).toEqual(["blocked: hook says no"]);
    expect(seen).toEqual(["before exec", "before add", "after add", "after exec"]);
  });
});
