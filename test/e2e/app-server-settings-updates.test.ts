// app-server turn/start overrides reach the model (core's settings updates; the reference 0.169, observed against
// the fake server, adds the same three kinds of items before the prompt): a new approval policy, sandbox and cwd
// give a permissions developer message and a whole environment context; a turn without overrides adds nothing.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { beforeEach, expect, test } from "vitest";
import type { TestEnv } from "../support/codex-env.js";
import { sse, type FakeServer } from "../support/fake-responses-server.js";
import { completed, created, textMessage } from "../support/sse.js";
import type { AppServerClient } from "../support/app-server-client.js";
import { useAppServerE2E } from "../support/app-server-e2e.js";

let server: FakeServer;
let env: TestEnv;
let client: AppServerClient;

const e2e = useAppServerE2E((s, e) => ((server = s), (env = e)));

beforeEach(async () => {
  env.writeConfig(`approval_policy = "on-request"\nsandbox_mode = "workspace-write"\n` + e2e.trustedConfig());
  client = await e2e.appServer();
});

const text = (t: string) => ({ type: "text", text: t, text_elements: [] });
type Msg = { type: string; role?: string; content?: Array<{ text?: string }> };
const body = (i: unknown) => ((i as Msg).content ?? []).map((c) => c.text ?? "").join("");
const shape = (items: unknown[]) => (items as Msg[]).map((i) => `${i.type}/${i.role ?? ""}: ${body(i).split("\n")[0]}`);

async function turn(threadId: string, prompt: string, over: Record<string, unknown> = {}) {
  const from = client.seen.length;
  server.enqueue(sse(created(), textMessage(`answer to ${prompt}`), completed()));
  const { turn } = await client.call("turn/start", { threadId, input: [text(prompt)], ...over });
  const done = await client.notification("turn/completed", (p) => p.turn.id === turn.id, { from });
  expect(done.params.turn.status).toBe("completed");
}

test("turn/start with approvalPolicy, sandboxPolicy and cwd: the model reads them before that prompt, once", async () => {
  const other = path.join(path.dirname(env.repo), "other");
  mkdirSync(other);
  const { thread } = await client.call("thread/start", {});
  await turn(thread.id, "one");
  await turn(thread.id, "two", { approvalPolicy: "never", sandboxPolicy: { type: "readOnly", networkAccess: false }, cwd: other });
  await turn(thread.id, "three");
  const [r0, r1, r2] = server.requests.map((r) => r.input);
  const added = r1!.slice(r0!.length);
  expect(shape(added)).toEqual([
    "message/assistant: answer to one",
    "message/developer: <permissions instructions>",
    "message/user: <environment_context>",
    "message/user: two",
  ]);
  expect(body(added[1])).toContain("Sandbox: read-only.");
  expect(body(added[1])).toContain("Approvals: never.");
  expect(body(added[2])).toContain(`<cwd>${other}</cwd>`);
  expect(body(added[2])).toContain('<file_system type="restricted"><entry access="read"><special>:root</special></entry></file_system>');
  expect(shape(r2!.slice(r1!.length))).toEqual(["message/assistant: answer to two", "message/user: three"]);
});
