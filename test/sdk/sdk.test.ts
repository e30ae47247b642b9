// The official @openai/codex-sdk drives our binary end to end, against the fake Responses server.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { Codex } from "@openai/codex-sdk";
import { describe, expect, test } from "vitest";
import { CODEX_BIN, type TestEnv, useFakeServerEnv, waitForProcessesOf } from "../support/codex-env.js";
import { sse, type FakeServer } from "../support/fake-responses-server.js";
import { completed, created, functionCall, textMessage } from "../support/sse.js";

let server: FakeServer;
let t: TestEnv;

// No config file: the SDK points the built-in provider at the server with `openai_base_url`.
useFakeServerEnv(
  (s, e) => ((server = s), (t = e)),
  (url) => ({ apiKey: null }),
);

const usage = { input_tokens: 10, cached_tokens: 2, output_tokens: 5, reasoning_tokens: 1 };

function client(): Codex {
  return new Codex({ codexPathOverride: CODEX_BIN, baseUrl: server.url, apiKey: "sk-sdk-key-999", env: t.env });
}

describe("@openai/codex-sdk against codex-ts", () => {
  test("run() with a shell tool call, then resume the thread by id", async () => {
    server.enqueue(
      sse(created("r1"), functionCall("call_1", "exec_command", { cmd: "echo sdk-shell" }), completed("r1", usage)),
      sse(created("r2"), textMessage("All done."), completed("r2", usage)),
    );
    const codex = client();
    const thread = codex.startThread({
      workingDirectory: t.repo,
      skipGitRepoCheck: true,
      sandboxMode: "danger-full-access",
      approvalPolicy: "never",
    });
    const result = await thread.run("run the shell");
    expect(result.finalResponse).toBe("All done.");
    expect(thread.id).toMatch(/^[0-9a-f-]{36}$/);
    const command = result.items.find((i) => i.type === "command_execution");
    expect(command).toMatchObject({ type: "command_execution", exit_code: 0, status: "completed" });
    expect(command && "aggregated_output" in command ? command.aggregated_output : "").toBe("sdk-shell\n");
    expect(result.usage).toMatchObject({ input_tokens: 20, output_tokens: 10 });
    expect(server.requests[0]!.headers.authorization).toBe("Bearer sk-sdk-key-999");
    expect(server.requests[0]!.headers.originator).toBe("codex_sdk_ts");
    expect(server.requests[1]!.functionCallOutput("call_1").output).toContain("sdk-shell");

    server.enqueue(sse(created("r3"), textMessage("Resumed."), completed("r3", usage)));
    const resumed = codex.resumeThread(thread.id!, { workingDirectory: t.repo, skipGitRepoCheck: true });
    const again = await resumed.run("and again");
    expect(again.finalResponse).toBe("Resumed.");
    expect(JSON.stringify(server.requests[2]!.input)).toContain("run the shell");
    expect(server.requests[2]!.lastUserText()).toBe("and again");
    // Usage is the thread's running total across the resumed turns.
    expect(again.usage).toMatchObject({ input_tokens: 30 });
  });

  test("runStreamed() yields the events in order", async () => {
    server.enqueue(sse(created("r1"), textMessage("streamed"), completed("r1", usage)));
    const thread = client().startThread({ workingDirectory: t.repo, skipGitRepoCheck: true });
    const { events } = await thread.runStreamed("stream please");
    const types: string[] = [];
    for await (const ev of events) types.push(ev.type);
    expect(types).toEqual(["thread.started", "turn.started", "item.completed", "turn.completed"]);
  });

  test("every thread option, config object and turn option the SDK passes is understood", async () => {
    server.enqueue(sse(created("r1"), textMessage('{"ok":true}'), completed("r1", usage)));
    const extra = path.join(t.home, "extra-dir");
    mkdirSync(extra);
    const codex = new Codex({
      codexPathOverride: CODEX_BIN,
      baseUrl: server.url,
      apiKey: "sk-sdk-key-999",
      env: t.env,
      config: { model_verbosity: "high", shell_environment_policy: { inherit: "core" }, notify: [] },
    });
    const thread = codex.startThread({
      model: "gpt-5.5",
      threadSource: "sdk-test",
      sandboxMode: "workspace-write",
      workingDirectory: t.repo,
      skipGitRepoCheck: true,
      modelReasoningEffort: "high",
      networkAccessEnabled: false,
      webSearchMode: "disabled",
      approvalPolicy: "on-request",
      additionalDirectories: [extra],
    });
    const schema = { type: "object", properties: { ok: { type: "boolean" } }, required: ["ok"], additionalProperties: false };
    const result = await thread.run("structured please", { outputSchema: schema });
    expect(result.finalResponse).toBe('{"ok":true}');
    const body = server.requests[0]!.body;
    expect(body.reasoning).toMatchObject({ effort: "high" });
    expect(body.text).toMatchObject({ verbosity: "high", format: { type: "json_schema", name: "codex_output_schema", schema } });
    expect(body.tools.some((tool: { type: string }) => tool.type === "web_search")).toBe(false);
    expect(JSON.stringify(body.input)).toContain(extra);
  });

  test("a failed turn makes run() throw with the error message", async () => {
    server.enqueue(sse(created(), { type: "response.failed", response: { error: { code: "insufficient_quota", message: "x" } } }));
    const thread = client().startThread({ workingDirectory: t.repo, skipGitRepoCheck: true });
    await expect(thread.run("hi")).rejects.toThrow(/Quota exceeded/);
    // The SDK kills its codex when the turn fails and does not wait: let it end before the home is removed.
    waitForProcessesOf(t.codexHome, { timeoutMs: 15_000 });
  });
});
