import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { buildRequestBody } from "../../src/core/model/request-body.js";
import { detectOsInfo, detectTerminal, userAgent } from "../../src/core/model/request-headers.js";
import { completed, created, textMessage } from "../support/sse.js";
import { sse, startFakeResponsesServer, type FakeServer } from "../support/fake-responses-server.js";
import { collect, makeClient, TEST_KEY, testProvider, testRequest } from "./client-harness.js";

let server: FakeServer;
beforeEach(async () => {
  server = await startFakeResponsesServer();
});
afterEach(async () => {
  await server.close();
});

describe("request over HTTP", () => {
  test("POSTs to {base}/responses with query params, headers and body", async () => {
    server.enqueue(sse(created("r1"), textMessage("hi"), completed("r1")));
    const { client } = makeClient(
      testProvider(server.url, {
        queryParams: { "api-version": "2025-01-01" },
        httpHeaders: { "X-Static": "static-value" },
        envHttpHeaders: { "X-From-Env": "MY_HEADER_VAR", "X-Missing": "UNSET_VAR" },
      }),
      { env: { MY_HEADER_VAR: "env-value", TERM: "xterm" } },
    );
    const req = testRequest({
      headers: { "session-id": "thread-1", "x-codex-turn-metadata": '{"turn_id":"t1"}' },
      reasoning: { effort: "medium" },
      verbosity: "low",
      clientMetadata: { thread_id: "thread-1" },
    });
    const { error } = await collect(client.stream(req, new AbortController().signal));
    expect(error).toBeUndefined();

    const [r] = server.requests;
    expect(r?.method).toBe("POST");
    expect(r?.pathname).toBe("/v1/responses");
    expect(r?.query).toEqual({ "api-version": "2025-01-01" });
    expect(r?.headers).toMatchObject({
      authorization: `Bearer ${TEST_KEY}`,
      accept: "text/event-stream",
      "content-type": "application/json",
      originator: "codex_exec",
      "user-agent": "codex_exec/0.169.0 (Debian 12.0.0; x86_64) xterm (codex_exec; 0.169.0)",
      "x-static": "static-value",
      "x-from-env": "env-value",
      "session-id": "thread-1",
      "x-codex-turn-metadata": '{"turn_id":"t1"}',
    });
    expect(r?.headers).not.toHaveProperty("x-missing");
    expect(r?.headers).not.toHaveProperty("version"); // custom provider
    expect(r?.body).toEqual({
      model: "gpt-5.5",
      stream: true,
      input: req.input,
      tools: [],
      tool_choice: "auto",
      parallel_tool_calls: true,
      reasoning: { effort: "medium" },
      store: false,
      include: ["reasoning.encrypted_content"],
      prompt_cache_key: "thread-1",
      text: { verbosity: "low" },
      client_metadata: { thread_id: "thread-1" },
    });
  });

  test("built-in provider adds the version header; null auth sends no authorization", async () => {
    server.enqueue(sse(created("r1"), completed("r1")));
    const { client } = makeClient(testProvider(server.url, { builtIn: true, id: "openai" }), {
      auth: async () => null,
    });
    await collect(client.stream(testRequest(), new AbortController().signal));
    expect(server.requests[0]?.headers.version).toBe("0.169.0");
    expect(server.requests[0]?.headers).not.toHaveProperty("authorization");
  });

  test("configured headers cannot replace the credential", async () => {
    server.enqueue(sse(created("r1"), completed("r1")));
    const { client } = makeClient(testProvider(server.url, { httpHeaders: { Authorization: "Bearer other" } }));
    await collect(client.stream(testRequest(), new AbortController().signal));
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${TEST_KEY}`);
  });
});

describe("buildRequestBody", () => {
  test("no reasoning settings: no reasoning key and an empty include", () => {
    const body = buildRequestBody(testRequest({ reasoning: undefined, parallelToolCalls: false }));
    expect(body).not.toHaveProperty("reasoning");
    expect(body.include).toEqual([]);
    expect(body).not.toHaveProperty("text");
    expect(body).not.toHaveProperty("service_tier");
    expect(body).not.toHaveProperty("client_metadata");
    expect(body.parallel_tool_calls).toBe(false);
  });

  test("summary is sent only when set; output schema becomes text.format", () => {
    const schema = { type: "object", properties: { a: { type: "string" } }, required: ["a"] };
    const body = buildRequestBody(
      testRequest({ reasoning: { effort: "high", summary: "auto" }, outputSchema: schema, serviceTier: "flex" }),
    );
    expect(body.reasoning).toEqual({ effort: "high", summary: "auto" });
    expect(body.text).toEqual({
      format: { type: "json_schema", name: "codex_output_schema", strict: true, schema },
    });
    expect(body.service_tier).toBe("flex");
  });

  test("omitTools drops the tools key (code-mode-only models)", () => {
    const tools = [{ type: "function" as const, name: "x", description: "", strict: false, parameters: {} }];
    expect(buildRequestBody(testRequest({ tools }))).toHaveProperty("tools", tools);
    expect(buildRequestBody(testRequest({ tools, omitTools: true }))).not.toHaveProperty("tools");
  });

  test("key order follows the reference", () => {
    const body = buildRequestBody(testRequest({ reasoning: { effort: "low" }, verbosity: "low" }));
    expect(Object.keys(body)).toEqual([
      "model", "stream", "input", "tools", "tool_choice", "parallel_tool_calls", "reasoning", "store",
      "include", "prompt_cache_key", "text",
    ]);
  });
});

describe("user agent", () => {
  test("format and OS detection", () => {
    const os = detectOsInfo({ platform: "linux", arch: "x64", release: "6.1", osRelease: 'ID=debian\nVERSION_ID="12"\n' });
    expect(os).toEqual({ name: "Debian", version: "12.0.0", arch: "x86_64" });
    expect(detectOsInfo({ platform: "linux", arch: "arm64", release: "6.1", osRelease: "ID=ubuntu\nVERSION_ID=22.04\n" }))
      .toEqual({ name: "Ubuntu", version: "22.4.0", arch: "aarch64" });
    expect(userAgent({ originator: "codex_exec", version: "0.169.0", os, terminal: "xterm" })).toBe(
      "codex_exec/0.169.0 (Debian 12.0.0; x86_64) xterm (codex_exec; 0.169.0)",
    );
  });

  test("terminal detection prefers TERM_PROGRAM and replaces non-ASCII", () => {
    expect(detectTerminal({ TERM_PROGRAM: "iTerm.app", TERM_PROGRAM_VERSION: "3.5", TERM: "xterm" })).toBe("iTerm.app/3.5");
    expect(detectTerminal({ TERM: "xterm-256color" })).toBe("xterm-256color");
    expect(detectTerminal({})).toBe("unknown");
    const ua = userAgent({ originator: "o", version: "1", os: { name: "X", version: "1", arch: "a" }, terminal: "tërm" });
    expect(ua).toBe("o/1 (X 1; a) t_rm (o; 1)");
  });
});
