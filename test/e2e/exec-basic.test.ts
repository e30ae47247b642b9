import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { CODEX_BIN, parseJsonl, runCodex, type TestEnv, useFakeServerEnv } from "../support/codex-env.js";
import { sse, type FakeServer } from "../support/fake-responses-server.js";
import { completed, created, functionCall, reasoning, textMessage } from "../support/sse.js";

let server: FakeServer;
let t: TestEnv;

useFakeServerEnv((s, e) => ((server = s), (t = e)));

const usage = { input_tokens: 100, cached_tokens: 40, output_tokens: 7, reasoning_tokens: 3 };

describe("codex exec --json", () => {
  test("plain turn prints exactly the spec events and sends a well-formed request", async () => {
    server.enqueue(sse(created("r1"), reasoning("thinking about it"), textMessage("Hi there"), completed("r1", usage)));
    const r = await runCodex(["exec", "--json", "say hi"], { env: t.env, cwd: t.repo });
    expect(r.stderr).not.toContain("Error");
    expect(r.code).toBe(0);
    const events = parseJsonl(r.stdout);
    expect(events.map((e) => e.type)).toEqual([
      "thread.started",
      "turn.started",
      "item.completed",
      "item.completed",
      "turn.completed",
    ]);
    const threadId = events[0].thread_id;
    expect(threadId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(events[2].item).toEqual({ id: "item_0", type: "reasoning", text: "thinking about it" });
    expect(events[3].item).toEqual({ id: "item_1", type: "agent_message", text: "Hi there" });
    expect(events[4].usage).toEqual({
      input_tokens: 100,
      cached_input_tokens: 40,
      cache_write_input_tokens: 0,
      output_tokens: 7,
      reasoning_output_tokens: 3,
    });

    const [req] = server.requests;
    expect(req!.pathname).toBe("/v1/responses");
    expect(req!.headers.authorization).toBe("Bearer sk-test-key-0123456789");
    expect(req!.headers.originator).toBe("codex_exec");
    expect(req!.headers["session-id"]).toBe(threadId);
    expect(req!.body).toMatchObject({
      model: "gpt-5.5",
      stream: true,
      store: false,
      tool_choice: "auto",
      prompt_cache_key: threadId,
    });
    expect(req!.body.instructions).toBeUndefined();
    expect(req!.body.client_metadata).toMatchObject({ session_id: threadId, thread_id: threadId });
    const turnMetadata = JSON.parse(req!.headers["x-codex-turn-metadata"]!);
    expect(turnMetadata).toMatchObject({ thread_id: threadId, sandbox_mode: "read-only", model: "gpt-5.5" });
    expect(req!.body.client_metadata["x-codex-turn-metadata"]).toBe(req!.headers["x-codex-turn-metadata"]);
    const input = req!.body.input;
    expect(input[0]).toMatchObject({ type: "message", role: "developer" });
    expect(req!.lastUserText()).toBe("say hi");
    expect(JSON.stringify(input)).toContain("<environment_context>");
    const toolNames = req!.body.tools.map((tool: { name?: string; type: string }) => tool.name ?? tool.type);
    expect(toolNames).toEqual(expect.arrayContaining(["exec_command", "write_stdin", "apply_patch"]));
  });

  test("human mode: transcript on stderr, only the final message on stdout", async () => {
    server.enqueue(sse(created("r1"), textMessage("The answer is 42."), completed("r1", usage)));
    const r = await runCodex(["exec", "what is the answer?"], { env: t.env, cwd: t.repo });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("The answer is 42.\n");
    expect(r.stderr).toContain("workdir: " + t.repo);
    expect(r.stderr).toContain("model: gpt-5.5");
    expect(r.stderr).toContain("approval: never");
    expect(r.stderr).toContain("sandbox: read-only");
    expect(r.stderr).toMatch(/session id: [0-9a-f-]{36}/);
    expect(r.stderr).toContain("tokens used\n107");
  });

  test("prompt from stdin, and positional prompt with piped stdin appended", async () => {
    server.enqueue(sse(created(), textMessage("ok"), completed()), sse(created(), textMessage("ok"), completed()));
    const a = await runCodex(["exec", "--json", "-"], { env: t.env, cwd: t.repo, stdin: "from stdin" });
    expect(a.code).toBe(0);
    expect(server.requests[0]!.lastUserText()).toBe("from stdin");
    const b = await runCodex(["exec", "--json", "main task"], { env: t.env, cwd: t.repo, stdin: "extra context" });
    expect(b.code).toBe(0);
    expect(b.stderr).toContain("Reading additional input from stdin...");
    expect(server.requests[1]!.lastUserText()).toBe("main task\n\n<stdin>\nextra context\n</stdin>\n");
  });

  test("newer SDK style: prompt after `--` with stdin left open does not wait on stdin", async () => {
    server.enqueue(sse(created(), textMessage("no wait"), completed()));
    const child = spawn(process.execPath, [CODEX_BIN, "exec", "--json", "--", "prompt after dashes"], {
      cwd: t.repo,
      env: t.env,
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    child.stdout!.on("data", (d) => (stdout += d));
    const code = await new Promise<number | null>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`exec waited on the open stdin; stdout so far: ${stdout}`)), 20_000);
      child.on("close", (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    child.stdin!.destroy();
    expect(code).toBe(0);
    expect(parseJsonl(stdout).at(-1).type).toBe("turn.completed");
    expect(server.requests[0]!.lastUserText()).toBe("prompt after dashes");
  });

  test("empty stdin prompt fails with the spec message and no request", async () => {
    const r = await runCodex(["exec", "--json"], { env: t.env, cwd: t.repo, stdin: "" });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("No prompt provided via stdin.");
    expect(server.requests).toHaveLength(0);
  });

  test("shell tool turn: command runs, item reported, output returned to the model", async () => {
    server.enqueue(
      sse(created("r1"), functionCall("call_1", "exec_command", { cmd: "echo hello-from-shell" }), completed("r1", usage)),
      sse(created("r2"), textMessage("Done."), completed("r2", usage)),
    );
    const r = await runCodex(["exec", "--json", "--dangerously-bypass-approvals-and-sandbox", "run echo"], {
      env: t.env,
      cwd: t.repo,
    });
    expect(r.stderr).not.toContain("Error:");
    expect(r.code).toBe(0);
    const events = parseJsonl(r.stdout);
    const started = events.find((e) => e.type === "item.started");
    expect(started.item).toMatchObject({
      type: "command_execution",
      command: "/bin/bash -lc 'echo hello-from-shell'",
      aggregated_output: "",
      exit_code: null,
      status: "in_progress",
    });
    const done = events.find((e) => e.type === "item.completed" && e.item.type === "command_execution");
    expect(done.item).toMatchObject({
      id: started.item.id,
      aggregated_output: "hello-from-shell\n",
      exit_code: 0,
      status: "completed",
    });
    const out = server.requests[1]!.functionCallOutput("call_1");
    expect(out.output).toContain("Process exited with code 0");
    expect(out.output).toContain("hello-from-shell");
    const last = events.at(-1);
    expect(last.type).toBe("turn.completed");
    expect(last.usage.input_tokens).toBe(200);
  });

  test("-o writes the last message; --output-schema sets text.format", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "codex-schema-"));
    const schemaFile = path.join(dir, "schema.json");
    const schema = { type: "object", properties: { ok: { type: "boolean" } }, required: ["ok"], additionalProperties: false };
    writeFileSync(schemaFile, JSON.stringify(schema));
    server.enqueue(sse(created(), textMessage('{"ok":true}'), completed()));
    const outFile = path.join(dir, "last.txt");
    const r = await runCodex(["exec", "--json", "--output-schema", schemaFile, "-o", outFile, "answer"], {
      env: t.env,
      cwd: t.repo,
    });
    expect(r.code).toBe(0);
    expect(readFileSync(outFile, "utf8")).toBe('{"ok":true}');
    expect(server.requests[0]!.body.text.format).toEqual({
      type: "json_schema",
      name: "codex_output_schema",
      strict: true,
      schema,
    });
  });

  test("--ephemeral writes no session file; a normal run writes one rollout", async () => {
    server.enqueue(sse(created(), textMessage("a"), completed()), sse(created(), textMessage("b"), completed()));
    await runCodex(["exec", "--json", "--ephemeral", "x"], { env: t.env, cwd: t.repo });
    expect(existsSync(path.join(t.codexHome, "sessions"))).toBe(false);
    const r = await runCodex(["exec", "--json", "y"], { env: t.env, cwd: t.repo });
    const id = parseJsonl(r.stdout)[0].thread_id;
    const files = listFiles(path.join(t.codexHome, "sessions"));
    expect(files).toHaveLength(1);
    expect(path.basename(files[0]!)).toMatch(new RegExp(`^rollout-\\d{4}-\\d{2}-\\d{2}T\\d{2}-\\d{2}-\\d{2}-${id}\\.jsonl$`));
    const first = JSON.parse(readFileSync(files[0]!, "utf8").split("\n")[0]!);
    expect(first).toMatchObject({ type: "session_meta", payload: { id, cwd: t.repo } });
    expect(readFileSync(files[0]!, "utf8")).not.toContain("sk-test-key-0123456789");
  });

  test("an unknown model gets a warning item, and its request still goes out", async () => {
    server.enqueue(sse(created(), textMessage("ok"), completed()));
    const r = await runCodex(["exec", "--json", "-m", "my-custom-model", "hi"], { env: t.env, cwd: t.repo });
    expect(r.code).toBe(0);
    const events = parseJsonl(r.stdout);
    expect(events[0].type).toBe("thread.started");
    expect(events[1]).toEqual({
      type: "item.completed",
      item: { id: "item_0", type: "error", message: expect.stringContaining("my-custom-model") },
    });
    expect(server.requests[0]!.body.model).toBe("my-custom-model");
  });

  test("notify runs after the turn with the agent-turn-complete JSON as its last argument", async () => {
    const out = path.join(t.home, "notified.json");
    t.writeConfig(
      readFileSync(path.join(t.codexHome, "config.toml"), "utf8").replace(
        'model = "gpt-5.5"',
        `model = "gpt-5.5"\nnotify = ["sh", "-c", "printf '%s' \\"$1\\" > ${out}.tmp && mv ${out}.tmp ${out}", "notify"]`,
      ),
    );
    server.enqueue(sse(created(), textMessage("finished it"), completed()));
    const r = await runCodex(["exec", "--json", "do the task"], { env: t.env, cwd: t.repo });
    expect(r.code).toBe(0);
    const threadId = parseJsonl(r.stdout)[0].thread_id;
    const deadline = Date.now() + 10_000;
    while (!existsSync(out) && Date.now() < deadline) await new Promise((res) => setTimeout(res, 20));
    expect(JSON.parse(readFileSync(out, "utf8"))).toEqual({
      type: "agent-turn-complete",
      "thread-id": threadId,
      "turn-id": expect.any(String),
      cwd: t.repo,
      client: "codex_exec",
      "input-messages": ["do the task"],
      "last-assistant-message": "finished it",
    });
  });

  test("outside a git repo it refuses unless --skip-git-repo-check", async () => {
    const outside = mkdtempSync(path.join(os.tmpdir(), "codex-nogit-"));
    const r = await runCodex(["exec", "--json", "hi"], { env: t.env, cwd: outside });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("--skip-git-repo-check");
    expect(server.requests).toHaveLength(0);
    server.enqueue(sse(created(), textMessage("ok"), completed()));
    const ok = await runCodex(["exec", "--json", "--skip-git-repo-check", "hi"], { env: t.env, cwd: outside });
    expect(ok.code).toBe(0);
  });
});

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((d) => d.isFile())
    .map((d) => path.join(d.parentPath, d.name));
}
