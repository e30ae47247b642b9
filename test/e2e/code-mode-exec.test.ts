// Code mode through the built binary: the request layout against one recorded from the reference,
// and a nested shell command run from JavaScript.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { parseJsonl, REPO_ROOT, runCodex, type TestEnv, useFakeServerEnv } from "../support/codex-env.js";
import { sse, type FakeServer } from "../support/fake-responses-server.js";
import { completed, created, customToolCall, textMessage } from "../support/sse.js";

let server: FakeServer;
let t: TestEnv;
useFakeServerEnv((s, e) => ((server = s), (t = e)));

/* eslint-disable @typescript-eslint/no-explicit-any */
const reference = JSON.parse(
  readFileSync(path.join(REPO_ROOT, "test/fixtures/code-mode/reference-code-mode-only-request.json"), "utf8"),
) as { tools: any[]; input: { type: string }[] };

const shape = (tool: any) => ({
  type: tool.type,
  name: tool.name,
  ...(tool.format ? { format: tool.format } : {}),
  ...(tool.parameters
    ? {
        strict: tool.strict,
        parameters: {
          ...tool.parameters,
          properties: Object.fromEntries(Object.entries(tool.parameters.properties).map(([k, v]: [string, any]) => [k, { type: v.type }])),
        },
      }
    : {}),
});

async function run(args: string[], ...responses: ReturnType<typeof sse>[]) {
  server.enqueue(...responses);
  const r = await runCodex(["exec", "--json", ...args, "go"], { env: t.env, cwd: t.repo });
  expect(r.stderr).not.toMatch(/TypeError|panic/);
  expect(r.code).toBe(0);
  return parseJsonl(r.stdout);
}

describe("code mode", () => {
  test("code_mode_only sends exec and wait only, laid out as the reference's request", async () => {
    const events = await run(["--enable", "code_mode_only"], sse(created(), ...textMessage("ok"), completed()));
    const body = server.requests[0]!.body;
    const callable = body.tools.filter((x: any) => x.type === "function" || x.type === "custom");
    expect(callable.map((x: any) => x.name)).toEqual(["exec", "wait", "request_user_input"]);
    // Same shapes as the reference (descriptions are our own text): freeform exec with its lark grammar,
    // wait as a non-strict function with the same parameters, first in the list, then request_user_input
    // (a direct tool, never called from JavaScript); no tools input item. (The reference also keeps
    // web_search, which this custom provider does not get.)
    expect(body.tools.map(shape)).toEqual(reference.tools.filter((x) => x.type !== "web_search").map(shape));
    expect(callable[0].description).not.toContain("request_user_input");
    expect(body.input.map((i: any) => i.type)).toEqual(reference.input.map((i) => i.type).slice(0, body.input.length));
    expect(body.input.some((i: any) => i.type === "additional_tools")).toBe(false);
    // The model learns the nested tools from exec's description.
    expect(callable[0].description).toContain("declare const tools: { exec_command(args: {");
    expect(callable[0].description).toContain("declare const tools: { apply_patch(input: string)");
    // As the reference: a warning item, since gpt-5.5 does not declare code mode.
    expect(events.some((e) => e.item?.type === "error" && /does not advertise Code Mode support/.test(e.item.message))).toBe(true);
  });

  test("code_mode adds exec and wait beside the normal tools", async () => {
    await run(["--enable", "code_mode"], sse(created(), ...textMessage("ok"), completed()));
    const names = server.requests[0]!.body.tools.map((x: any) => x.name);
    expect(names.slice(0, 3)).toEqual(["exec", "wait", "exec_command"]);
  });

  test("tools.exec_command from JavaScript runs the command as its own item and returns its result", async () => {
    const js = [
      `const r = await tools.exec_command({ cmd: "echo hi-from-js; exit 3" });`,
      `text(r.output.trim());`,
      `text({ exit: r.exit_code });`,
    ].join("\n");
    const events = await run(
      ["-s", "danger-full-access", "--enable", "code_mode_only"],
      sse(created("r1"), ...customToolCall("call_js", "exec", js), completed("r1")),
      sse(created("r2"), ...textMessage("done"), completed("r2")),
    );
    const out = server.requests[1]!.functionCallOutput("call_js");
    expect(out.type).toBe("custom_tool_call_output");
    expect(out.output[0].text).toMatch(/^Script completed\nWall time \d+\.\d seconds\nOutput:\n$/);
    expect(out.output.slice(1)).toEqual([
      { type: "input_text", text: "hi-from-js" },
      { type: "input_text", text: `{"exit":3}` },
    ]);
    const exec = events.find((e) => e.type === "item.completed" && e.item.type === "command_execution");
    expect(exec.item.command).toContain("echo hi-from-js");
    expect(exec.item.exit_code).toBe(3);
    expect(exec.item.aggregated_output).toContain("hi-from-js");
    expect(events.at(-1).type).toBe("turn.completed");
  });
});
