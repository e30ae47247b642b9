// exec resume with other flags than the session had: the model reads the new permissions before the prompt
// (core's settings updates), and a resume with the same flags adds nothing.
import { expect, test } from "vitest";
import { parseJsonl, runCodex, type TestEnv, useFakeServerEnv } from "../support/codex-env.js";
import { sse, type FakeServer } from "../support/fake-responses-server.js";
import { completed, created, textMessage } from "../support/sse.js";

let server: FakeServer;
let t: TestEnv;
useFakeServerEnv((s, e) => ((server = s), (t = e)));

type Msg = { type: string; role?: string; content?: Array<{ text?: string }> };
const shape = (items: unknown[]) => (items as Msg[]).map((i) => `${i.type}/${i.role ?? ""}: ${(i.content ?? []).map((c) => c.text ?? "").join(" | ").split("\n")[0]}`);

test("exec resume -s danger-full-access after a read-only session: permissions and environment before the new prompt", async () => {
  server.enqueue(sse(created(), textMessage("first answer"), completed()));
  const first = await runCodex(["exec", "--json", "-s", "read-only", "first question"], { env: t.env, cwd: t.repo });
  expect(first.code).toBe(0);
  const id = parseJsonl(first.stdout)[0].thread_id;

  server.enqueue(sse(created(), textMessage("second answer"), completed()));
  const same = await runCodex(["exec", "--json", "-s", "read-only", "resume", id, "second question"], { env: t.env, cwd: t.repo });
  expect(same.code).toBe(0);
  const r0 = server.requests[0]!.input;
  const r1 = server.requests[1]!.input;
  expect(shape(r1.slice(r0.length))).toEqual(["message/assistant: first answer", "message/user: second question"]);

  server.enqueue(sse(created(), textMessage("third answer"), completed()));
  const other = await runCodex(["exec", "--json", "--dangerously-bypass-approvals-and-sandbox", "resume", id, "third question"], { env: t.env, cwd: t.repo });
  expect(other.code).toBe(0);
  const r2 = server.requests[2]!.input;
  const added = r2.slice(r1.length);
  expect(shape(added)).toEqual([
    "message/assistant: second answer",
    "message/developer: <permissions instructions>",
    "message/user: <environment_context>",
    "message/user: third question",
  ]);
  const text = (i: unknown) => ((i as Msg).content ?? []).map((c) => c.text ?? "").join("");
  expect(text(added[1])).toContain("Sandbox: none.");
  expect(text(added[1])).toContain("Approvals: never.");
  expect(text(added[2])).toContain('<permission_profile type="disabled">');
});
