// SubagentStart / SubagentStop fire in the hooks of the agent that spawned the child: SubagentStart's
// additionalContext reaches the child's first request; a blocking SubagentStop sends the child on with the
// reason, stop_hook_active true the next time, and only then does its final answer go to the parent.
import { expect, test } from "vitest";
import { runCodex, type TestEnv, useFakeServerEnv } from "../support/codex-env.js";
import { sse, type FakeServer, type RecordedRequest } from "../support/fake-responses-server.js";
import { completed, created, functionCall, textMessage } from "../support/sse.js";
import { messagesOf, payloads, recordPayload, trustRepoByHand, writeProjectHooks } from "../hooks/hook-env.js";

let server: FakeServer;
let t: TestEnv;
useFakeServerEnv((s, e) => ((server = s), (t = e)));

const collab = (id: string, name: string, args: unknown) => functionCall(id, name, args, { namespace: "collaboration" });
const isChild = (r: RecordedRequest) => r.headers["x-openai-subagent"] === "collab_spawn";
const rootRequests = () => server.requests.filter((r) => !isChild(r));

test("SubagentStart context reaches the child; a blocking SubagentStop continues it before its answer is delivered", async () => {
  trustRepoByHand(t, server.url, "\n[features]\nmulti_agent_v2 = true\n");
  const ctx = `echo '{"hookSpecificOutput":{"hookEventName":"SubagentStart","additionalContext":"child context from a hook"}}'`;
  writeProjectHooks(t, {
    SubagentStart: [{ hooks: [{ type: "command", command: recordPayload(t, "start", ctx) }] }],
    SubagentStop: [
      { hooks: [{ type: "command", command: recordPayload(t, "stop", `if [ "$n" = "0" ]; then echo "check your work again" >&2; exit 2; fi`) }] },
    ],
  });
  let release!: () => void;
  const childMayAnswer = new Promise<void>((r) => (release = r));
  server.enqueue(
    sse(created("r1"), collab("s1", "spawn_agent", { task_name: "worker", message: "do it", fork_turns: "none" }), completed("r1")),
    sse(created("r2"), collab("w1", "wait_agent", {}), completed("r2")),
    sse(created("r3"), textMessage("done"), completed("r3")),
  );
  server.enqueueFor(
    isChild,
    { ...sse(created("c1"), textMessage("first answer"), completed("c1")), after: childMayAnswer },
    sse(created("c2"), textMessage("checked answer"), completed("c2")),
  );
  const run = runCodex(["exec", "--json", "go"], { env: t.env, cwd: t.repo });
  while (rootRequests().length < 2) await server.waitForRequests(server.requests.length + 1, { timeoutMs: 20_000 });
  release();
  const r = await run;
  expect(r.code, r.stderr).toBe(0);
  expect(server.refusedRequests).toEqual([]);

  const [start] = payloads(t, "start");
  expect(start).toMatchObject({ hook_event_name: "SubagentStart", agent_id: "/root/worker", agent_type: "default" });
  const child = server.requests.filter(isChild);
  expect(child).toHaveLength(2);
  expect(messagesOf(child[0]!.input, "developer")).toContain("child context from a hook");

  const stops = payloads(t, "stop");
  expect(stops).toHaveLength(2);
  expect(stops[0]).toMatchObject({ hook_event_name: "SubagentStop", agent_id: "/root/worker", stop_hook_active: false, last_assistant_message: "first answer" });
  expect(stops[1]).toMatchObject({ stop_hook_active: true, last_assistant_message: "checked answer" });
  expect(stops[0].agent_transcript_path).toMatch(/rollout-.*\.jsonl$/);
  expect(JSON.stringify(child[1]!.input)).toContain("check your work again");
  // The parent gets the answer given after the check, not the first one.
  const mail = rootRequests()[2]!.input.filter((i: { type: string }) => i.type === "agent_message");
  expect(JSON.stringify(mail)).toContain("checked answer");
  expect(JSON.stringify(mail)).not.toContain("first answer");
});
