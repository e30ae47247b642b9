// `codex mcp-server` has no form for the model's questions: a request_user_input call (feature on) is
// answered with no answers, as in exec, even for a client that can elicit — the turn never waits on it.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { ElicitRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { afterEach, expect, test } from "vitest";
import { CODEX_BIN, fakeProviderConfig, type TestEnv, useFakeServerEnv } from "../support/codex-env.js";
import { sse, type FakeServer } from "../support/fake-responses-server.js";
import { completed, created, functionCall, textMessage } from "../support/sse.js";

let server: FakeServer;
let t: TestEnv;
useFakeServerEnv((s, e) => ((server = s), (t = e)));
let client: Client | undefined;
afterEach(async () => {
  await client?.close();
  client = undefined;
});

test("a request_user_input call is answered with no answers; nothing is elicited", async () => {
  t.writeConfig(fakeProviderConfig(server.url, "[features]\ndefault_mode_request_user_input = true\n"));
  const ARGS = { questions: [{ id: "a", header: "A", question: "Which?", options: [{ label: "x", description: "d" }] }] };
  server.enqueue(
    sse(created("r1"), functionCall("call_q", "request_user_input", ARGS), completed("r1")),
    sse(created("r2"), textMessage("done"), completed("r2")),
  );
  const transport = new StdioClientTransport({ command: process.execPath, args: [CODEX_BIN, "mcp-server"], env: t.env, cwd: t.repo, stderr: "pipe" });
  client = new Client({ name: "test-client", version: "1.0.0" }, { capabilities: { elicitation: {} } });
  const elicited: unknown[] = [];
  client.setRequestHandler(ElicitRequestSchema, async (req) => (elicited.push(req.params), { action: "decline" }) as never);
  await client.connect(transport);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const r: any = await client.callTool({ name: "codex", arguments: { prompt: "ask me" } });
  expect(r.isError).toBeFalsy();
  expect(r.structuredContent).toMatchObject({ content: "done" });
  expect(elicited).toEqual([]);
  expect(server.requests[1]!.functionCallOutput("call_q").output).toBe('{"answers":{}}');
});
