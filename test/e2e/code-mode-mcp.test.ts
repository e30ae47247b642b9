// MCP tools called from JavaScript through the built binary, against the SDK-written stdio server of
// test/support: the code-mode-safe name (get-sum -> tools.mcp__srv__get_sum), the CallToolResult as the
// script's value, the server's own name and arguments on the wire, an mcp_tool_call item per nested call;
// tools deferred behind tool search are still callable from JS (ALL_TOOLS lists them).
import path from "node:path";
import { describe, expect, test } from "vitest";
import { fakeProviderConfig, parseJsonl, runCodex, type TestEnv, useFakeServerEnv } from "../support/codex-env.js";
import { sse, type FakeServer } from "../support/fake-responses-server.js";
import { faultServerToml, readMcpLog } from "../support/mcp-env.js";
import { completed, created, customToolCall, textMessage } from "../support/sse.js";

let server: FakeServer;
let t: TestEnv;
useFakeServerEnv((s, e) => ((server = s), (t = e)));
const logFile = () => path.join(t.home, "mcp.log");
const PNG_B64 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

/* eslint-disable @typescript-eslint/no-explicit-any */
async function runCell(js: string, serverArgs: string[] = []) {
  t.writeConfig(fakeProviderConfig(server.url, faultServerToml("srv", { log: logFile(), args: serverArgs })));
  server.enqueue(
    sse(created("r1"), ...customToolCall("call_js", "exec", js), completed("r1")),
    sse(created("r2"), ...textMessage("done"), completed("r2")),
  );
  const r = await runCodex(["exec", "--json", "--skip-git-repo-check", "--enable", "code_mode_only", "go"], { env: t.env, cwd: t.repo });
  expect(r.code, r.stderr).toBe(0);
  expect(server.refusedRequests).toEqual([]);
  const out = server.requests[1]!.functionCallOutput("call_js");
  return { events: parseJsonl(r.stdout), output: out.output as any[], exec: server.requests[0]!.body.tools.find((x: any) => x.name === "exec") };
}

describe("code mode: MCP tools from JavaScript", () => {
  test("tools.mcp__srv__get_sum resolves to the CallToolResult; the server gets get-sum; an mcp_tool_call item", async () => {
    const { events, output, exec } = await runCell(
      [`const r = await tools.mcp__srv__get_sum({ a: 2, b: 3 });`, `text(r.structuredContent.sum);`, `text(r.content);`, `text(Object.keys(r));`].join("\n"),
    );
    expect(exec.description).toContain("declare const tools: { mcp__srv__get_sum(args: {");
    expect(output[0].text).toMatch(/^Script completed\n/);
    expect(output.slice(1)).toEqual([
      { type: "input_text", text: "5" },
      { type: "input_text", text: `[{"type":"text","text":"5"}]` },
      // The keys the reference 0.169 gives the script for this call.
      { type: "input_text", text: `["content","structuredContent"]` },
    ]);
    const calls = readMcpLog(logFile()).filter((l) => l.kind === "call");
    expect(calls.map((c) => [c.name, c.arguments])).toEqual([["get-sum", { a: 2, b: 3 }]]);
    const items = events.filter((e) => e.item?.type === "mcp_tool_call");
    expect(items.map((e) => e.type)).toEqual(["item.started", "item.completed"]);
    expect(items[1].item).toMatchObject({ server: "srv", tool: "get-sum", arguments: { a: 2, b: 3 }, status: "completed", error: null });
  });

  test("an MCP image block goes straight into image(); an isError result is a value the script can inspect", async () => {
    const { output } = await runCell(
      [
        `const pic = await tools.mcp__srv__image({});`,
        `image(pic.content[1]);`,
        `const bad = await tools.mcp__srv__fail({});`,
        `text({ isError: bad.isError, said: bad.content[0].text });`,
      ].join("\n"),
    );
    expect(output.slice(1)).toEqual([
      { type: "input_image", image_url: `data:image/png;base64,${PNG_B64}` },
      { type: "input_text", text: `{"isError":true,"said":"it broke"}` },
    ]);
  });

  test("tools deferred behind tool search (200 of them) are callable from JS and listed in ALL_TOOLS", async () => {
    const { output, exec } = await runCell(
      [
        `const names = ALL_TOOLS.map((x) => x.name).filter((n) => n.startsWith("mcp__srv__tool_"));`,
        `text(names.length);`,
        `const r = await tools.mcp__srv__tool_17({});`,
        `text(r.content[0].text);`,
      ].join("\n"),
      ["--tools", "200"],
    );
    // The model is sent tool_search, not the 200 specs, and exec's description does not declare them.
    expect(server.requests[0]!.body.tools.some((x: any) => x.type === "tool_search")).toBe(true);
    expect(exec.description).not.toContain("mcp__srv__tool_17");
    expect(output.slice(1)).toEqual([
      { type: "input_text", text: "200" },
      { type: "input_text", text: "called tool_17" },
    ]);
  });
});
