// Tool search: past the threshold (default 40) a model that supports it gets `tool_search` instead of the
// MCP specs; what it finds comes back in a tool_search_output and can then be called by namespace + name.
import path from "node:path";
import { describe, expect, test } from "vitest";
import { fakeProviderConfig, parseJsonl, runCodex, type TestEnv, useFakeServerEnv } from "../support/codex-env.js";
import { sse, type FakeServer } from "../support/fake-responses-server.js";
import { faultServerToml, readMcpLog } from "../support/mcp-env.js";
import { completed, created, textMessage } from "../support/sse.js";

let server: FakeServer;
let t: TestEnv;
useFakeServerEnv((s, e) => ((server = s), (t = e)));
const logFile = () => path.join(t.home, "mcp.log");

const done = (item: unknown) => ({ type: "response.output_item.done", item });

async function exec(toml: string, model = "gpt-5.5") {
  t.writeConfig(fakeProviderConfig(server.url, toml).replace(`model = "gpt-5.5"`, `model = "${model}"`));
  const r = await runCodex(["exec", "--json", "--skip-git-repo-check", "find a tool"], { env: t.env, cwd: t.repo });
  return { ...r, events: parseJsonl(r.stdout) };
}

const mcpSpecNames = (body: { tools: Array<{ name?: string }> }) =>
  body.tools.map((x) => x.name ?? "").filter((n) => n.startsWith("mcp__"));

describe("tool search", () => {
  test("200 tools: the request has tool_search and no MCP specs; a search returns namespaced specs that can be called", async () => {
    server.enqueue(
      sse(created("r1"), done({ type: "tool_search_call", id: "tsc_1", call_id: "call_ts", status: "completed", execution: "client", arguments: { query: "topic17", limit: 3 } }), completed("r1")),
      sse(created("r2"), done({ type: "function_call", id: "fc_1", status: "completed", namespace: "mcp__srv", name: "tool_17", arguments: "{}", call_id: "call_1" }), completed("r2")),
      sse(created("r3"), textMessage("done"), completed("r3")),
    );
    const r = await exec(faultServerToml("srv", { log: logFile(), args: ["--tools", "200", "--instructions", "Many tools."] }));
    expect(r.code, r.stderr).toBe(0);
    expect(server.refusedRequests).toEqual([]);
    const first = server.requests[0]!.body;
    expect(first.tools.filter((x: { type: string }) => x.type === "tool_search")).toEqual([
      expect.objectContaining({ type: "tool_search", execution: "client", parameters: expect.objectContaining({ required: ["query"] }) }),
    ]);
    expect(mcpSpecNames(first)).toEqual([]);
    expect(first.tools.length).toBeLessThan(30);
    const texts = JSON.stringify(server.requests[0]!.input);
    expect(texts).toContain("Deferred tool namespaces:\\n- mcp__srv: Many tools.");
    const output = server.requests[1]!.input.find((i) => i.type === "tool_search_output");
    expect(output).toMatchObject({ call_id: "call_ts", status: "completed", execution: "client" });
    expect(output.tools).toEqual([
      {
        type: "namespace",
        name: "mcp__srv",
        description: "Many tools.",
        tools: [expect.objectContaining({ type: "function", name: "tool_17", defer_loading: true, strict: false })],
      },
    ]);
    expect(JSON.stringify(server.requests[2]!.functionCallOutput("call_1").output)).toContain("called tool_17");
    expect(readMcpLog(logFile()).find((l) => l.kind === "call")).toMatchObject({ name: "tool_17" });
    const item = r.events.find((e) => e.type === "item.completed" && e.item.type === "mcp_tool_call");
    expect(item.item).toMatchObject({ server: "srv", tool: "tool_17", status: "completed" });
  });

  test("below the threshold (or a lowered one crossed) and on a model without tool search", async () => {
    server.enqueue(sse(created("r1"), textMessage("ok"), completed("r1")));
    const few = await exec(faultServerToml("srv", { log: logFile() }));
    expect(few.code, few.stderr).toBe(0);
    expect(mcpSpecNames(server.requests[0]!.body)).toContain("mcp__srv__get_sum");
    expect(server.requests[0]!.body.tools.some((x: { type: string }) => x.type === "tool_search")).toBe(false);

    server.enqueue(sse(created("r2"), textMessage("ok"), completed("r2")));
    const lowered = await exec(`[tools]\ntool_search_threshold = 3\n` + faultServerToml("srv", { log: logFile() }));
    expect(lowered.code, lowered.stderr).toBe(0);
    expect(mcpSpecNames(server.requests[1]!.body)).toEqual([]);
    expect(server.requests[1]!.body.tools.some((x: { type: string }) => x.type === "tool_search")).toBe(true);

    server.enqueue(sse(created("r3"), textMessage("ok"), completed("r3")));
    const old = await exec(faultServerToml("srv", { log: logFile(), args: ["--tools", "200"] }), "gpt-4.1");
    expect(old.code, old.stderr).toBe(0);
    expect(mcpSpecNames(server.requests[2]!.body)).toHaveLength(210);
    expect(server.requests[2]!.body.tools.some((x: { type: string }) => x.type === "tool_search")).toBe(false);
  });
});
