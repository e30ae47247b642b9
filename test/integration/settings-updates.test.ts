// Settings changed between turns reach the model: after override_turn_context (TUI /approvals and /model,
// the app-server's turn/start overrides) or a resume with other flags, the next request carries what changed
// before the prompt, as the reference 0.169 does (observed against the fake server): a <model_switch>
// developer note, a <permissions instructions> developer message, an <environment_context> user message.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { expect, test } from "vitest";
import { createCodexRuntime, loadConfig, resolveSandboxPolicy, type Thread } from "../../src/core/index.js";
import { permissionsText } from "../../src/core/context/index.js";
import type { AskForApproval } from "../../src/protocol/policy.js";
import { untilTurnEnds, useCoreHome, type CoreHome } from "../support/core-thread.js";
import { sse, type FakeServer } from "../support/fake-responses-server.js";
import { completed, created, functionCall, textMessage } from "../support/sse.js";

let home: CoreHome;
let server: FakeServer;
useCoreHome("settings-upd-", (h) => ((home = h), (server = h.server)));

async function runtimeFor(o: { sandboxMode: string; approvalPolicy: AskForApproval }) {
  const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: path.dirname(home.codexHome), CODEX_HOME: home.codexHome, CODEX_API_KEY: "sk-test-key-0123456789", SHELL: "/bin/zsh" };
  const config = await loadConfig({ cwd: home.repo, overrides: [], flags: { sandboxMode: o.sandboxMode }, env });
  return createCodexRuntime({
    config,
    sandboxPolicy: resolveSandboxPolicy(config),
    approvalPolicy: o.approvalPolicy,
    env,
    originator: "codex_test",
    version: "0.0.0",
    source: "cli",
    ephemeral: false,
    interactiveApprovals: false,
  });
}

type Msg = { type: string; role?: string; content?: Array<{ text?: string }> };
const texts = (items: unknown[]) => (items as Msg[]).map((i) => `${i.type}/${i.role ?? ""}: ${(i.content ?? []).map((c) => c.text ?? "").join(" | ")}`);

async function turn(thread: Thread, it: AsyncIterator<unknown>, prompt: string, answer = `answer to ${prompt}`) {
  server.enqueue(sse(created("r"), textMessage(answer), completed("r")));
  await thread.submit({ type: "user_turn", items: [{ type: "text", text: prompt }] });
  const events = await untilTurnEnds(it as never);
  expect(events.at(-1)?.type).toBe("task_complete");
}

/** The input items request `n` added after those of request `n - 1`. */
const added = (n: number) => texts(server.requests[n]!.input.slice(server.requests[n - 1]!.input.length));

test("a new approval policy and sandbox: a permissions message and the environment's changed parts before the next prompt, once", async () => {
  const runtime = await runtimeFor({ sandboxMode: "workspace-write", approvalPolicy: "never" });
  const thread = await runtime.threads.start();
  const it = thread.events()[Symbol.asyncIterator]();
  await turn(thread, it, "one");
  await thread.submit({ type: "override_turn_context", approvalPolicy: "on-request", sandboxPolicy: { mode: "read-only", networkAccess: false } });
  await turn(thread, it, "two");
  await turn(thread, it, "three");
  const second = added(1);
  expect(second).toHaveLength(4);
  expect(second[0]).toBe("message/assistant: answer to one");
  expect(second[1]).toBe(`message/developer: ${permissionsText({ approvalPolicy: "on-request", sandboxPolicy: { mode: "read-only", networkAccess: false } })}`);
  expect(second[1]).toContain("Sandbox: read-only.");
  // Same directory: no cwd or shell, the read-only filesystem.
  expect(second[2]).toMatch(/^message\/user: <environment_context>\n  <current_date>\d{4}-\d\d-\d\d<\/current_date>\n  <timezone>[^<]+<\/timezone>\n  <filesystem>/);
  expect(second[2]).not.toContain("<cwd>");
  expect(second[2]).toContain('<file_system type="restricted"><entry access="read"><special>:root</special></entry></file_system>');
  expect(second[3]).toBe("message/user: two");
  // Told once: the third prompt adds only itself.
  expect(added(2)).toEqual(["message/assistant: answer to two", "message/user: three"]);
  // No change, nothing added: the first turn's request had one environment context (the initial one).
  expect(texts(server.requests[0]!.input).filter((t) => t.includes("<environment_context>"))).toHaveLength(1);
  await thread.close();
});

test("only the approval policy: the permissions message alone; a new model and directory: a model switch note, permissions, the whole environment, and tools run there", async () => {
  const runtime = await runtimeFor({ sandboxMode: "read-only", approvalPolicy: "never" });
  const thread = await runtime.threads.start();
  const it = thread.events()[Symbol.asyncIterator]();
  await turn(thread, it, "one");
  await thread.submit({ type: "override_turn_context", approvalPolicy: "untrusted" });
  await turn(thread, it, "two");
  expect(added(1)).toEqual([
    "message/assistant: answer to one",
    `message/developer: ${permissionsText({ approvalPolicy: "untrusted", sandboxPolicy: { mode: "read-only", networkAccess: false } })}`,
    "message/user: two",
  ]);

  const other = path.join(home.root, "other");
  mkdirSync(other);
  await thread.submit({ type: "override_turn_context", model: "gpt-5.4", cwd: other, approvalPolicy: "never" });
  server.enqueue(
    sse(created("r3"), functionCall("c1", "exec_command", { cmd: "pwd" }), completed("r3")),
    sse(created("r4"), textMessage("done"), completed("r4")),
  );
  await thread.submit({ type: "user_turn", items: [{ type: "text", text: "where?" }] });
  const events = await untilTurnEnds(it as never);
  expect(events.at(-1)?.type).toBe("task_complete");
  const third = added(2);
  expect(server.requests[2]!.body.model).toBe("gpt-5.4");
  expect(third[0]).toBe("message/assistant: answer to two");
  expect(third[1]).toMatch(/^message\/developer: <model_switch>\n.*gpt-5\.4.*\n<\/model_switch>$/);
  expect(third[2]).toBe(`message/developer: ${permissionsText({ approvalPolicy: "never", sandboxPolicy: { mode: "read-only", networkAccess: false } })}`);
  expect(third[3]).toContain(`message/user: <environment_context>\n  <cwd>${other}</cwd>\n  <shell>zsh</shell>\n`);
  expect(third[3]).toContain(`<workspace_roots><root>${other}</root></workspace_roots>`);
  expect(third[4]).toBe("message/user: where?");
  // The command ran in the new directory.
  const output = JSON.stringify(server.requests[3]!.input.find((i) => (i as { type: string }).type === "function_call_output"));
  expect(output).toContain(other);
  await thread.close();
});

test("journaled: a resume rebuilds the same history, and a resume with other flags tells the model the new permissions", async () => {
  const first = await runtimeFor({ sandboxMode: "workspace-write", approvalPolicy: "never" });
  const thread = await first.threads.start();
  const it = thread.events()[Symbol.asyncIterator]();
  await turn(thread, it, "one");
  await thread.submit({ type: "override_turn_context", sandboxPolicy: { mode: "read-only", networkAccess: false } });
  await turn(thread, it, "two");
  const seen = thread.history();
  await thread.close();

  // Resumed with the settings of its last turn: the same history, nothing new to tell.
  const same = await runtimeFor({ sandboxMode: "read-only", approvalPolicy: "never" });
  const resumed = await same.threads.resume({ id: thread.id });
  expect(resumed.history()).toEqual(seen);
  const it2 = resumed.events()[Symbol.asyncIterator]();
  await turn(resumed, it2, "three");
  expect(added(2)).toEqual(["message/assistant: answer to two", "message/user: three"]);
  await resumed.close();

  // Resumed with other flags (exec resume -s workspace-write -a on-request): told before the next prompt.
  const other = await runtimeFor({ sandboxMode: "workspace-write", approvalPolicy: "on-request" });
  const again = await other.threads.resume({ id: thread.id });
  const it3 = again.events()[Symbol.asyncIterator]();
  await turn(again, it3, "four");
  const fourth = added(3);
  expect(fourth[0]).toBe("message/assistant: answer to three");
  expect(fourth[1]).toMatch(/^message\/developer: <permissions instructions>\nSandbox: workspace-write\./);
  expect(fourth[1]).toContain("Approvals: on-request.");
  expect(fourth[2]).toMatch(/^message\/user: <environment_context>\n  <current_date>/);
  expect(fourth[2]).toContain(`<entry access="write"><path>${home.repo}</path></entry>`);
  expect(fourth[3]).toBe("message/user: four");
  await again.close();
});
