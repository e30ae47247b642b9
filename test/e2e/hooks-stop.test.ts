// Stop hooks: a block continues the same turn with a <hook_prompt> user message; the next Stop payload
// says stop_hook_active; reasons of several blocking hooks become one continuation.
import { describe, expect, test } from "vitest";
import { parseJsonl, runCodex, type TestEnv, useFakeServerEnv } from "../support/codex-env.js";
import { sse, type FakeServer } from "../support/fake-responses-server.js";
import { completed, created, textMessage } from "../support/sse.js";
import { messagesOf, payloads, recordPayload, trustRepoByHand, writeProjectHooks } from "../hooks/hook-env.js";

let server: FakeServer;
let t: TestEnv;
useFakeServerEnv((s, e) => ((server = s), (t = e)));

// Blocks the first time (stop_hook_active false), lets the agent stop the second time.
const blockOnce = (reason: string) =>
  `if grep -q '"stop_hook_active":false' $(ls -t ${"$"}PWD/.payloads/* | head -1); then echo '{"decision":"block","reason":"${reason}"}'; fi`;

describe("Stop hooks", () => {
  test("a blocking Stop hook continues the turn with <hook_prompt>, then sees stop_hook_active", async () => {
    trustRepoByHand(t, server.url);
    const file = writeProjectHooks(t, {
      Stop: [{ hooks: [{ type: "command", command: recordPayload(t, "stop", blockOnce("run the tests first")), statusMessage: "gate" }] }],
    });
    server.enqueue(
      sse(created("r1"), textMessage("first answer"), completed("r1")),
      sse(created("r2"), textMessage("tests ran"), completed("r2")),
    );
    const r = await runCodex(["exec", "--json", "do it"], { env: t.env, cwd: t.repo });
    expect(r.code, r.stderr).toBe(0);
    expect(server.requests).toHaveLength(2);
    const users = messagesOf(server.requests[1]!.input, "user");
    expect(users.at(-1)).toBe(`<hook_prompt hook_run_id="stop:0:${file}">run the tests first</hook_prompt>`);
    const stops = payloads(t, "stop");
    expect(stops.map((p) => p.stop_hook_active)).toEqual([false, true]);
    expect(stops[0]).toMatchObject({
      hook_event_name: "Stop",
      cwd: t.repo,
      last_assistant_message: "first answer",
      permission_mode: "bypassPermissions",
      model: "gpt-5.5",
    });
    expect(typeof stops[0].turn_id).toBe("string");
    expect(stops[1].turn_id).toBe(stops[0].turn_id);
    expect(stops[1].last_assistant_message).toBe("tests ran");
    // One turn in the JSONL, with both messages.
    const events = parseJsonl(r.stdout);
    expect(events.filter((e) => e.type === "turn.started")).toHaveLength(1);
    expect(events.filter((e) => e.item?.type === "agent_message").map((e) => e.item.text)).toEqual(["first answer", "tests ran"]);
    expect(events.at(-1).type).toBe("turn.completed");
    expect(r.stdout).not.toContain("hook_prompt");
  });

  test("several blocking Stop hooks: one continuation with both reasons, in file order", async () => {
    trustRepoByHand(t, server.url);
    const file = writeProjectHooks(t, {
      Stop: [
        { hooks: [{ type: "command", command: recordPayload(t, "a", blockOnce("reason A")) }] },
        { hooks: [{ type: "command", command: recordPayload(t, "b", `[ "$(ls ${"$"}PWD/.payloads | grep -c '^b-')" = 1 ] && echo 'reason B' >&2 && exit 2; exit 0`) }] },
      ],
    });
    server.enqueue(
      sse(created("r1"), textMessage("one"), completed("r1")),
      sse(created("r2"), textMessage("two"), completed("r2")),
    );
    const r = await runCodex(["exec", "--json", "go"], { env: t.env, cwd: t.repo });
    expect(r.code, r.stderr).toBe(0);
    expect(server.requests).toHaveLength(2);
    const input = server.requests[1]!.input;
    const users = messagesOf(input, "user");
    expect(users.at(-1)).toBe(
      `<hook_prompt hook_run_id="stop:0:${file}">reason A</hook_prompt>\n<hook_prompt hook_run_id="stop:1:${file}">reason B</hook_prompt>`,
    );
    expect(users.filter((u) => u.includes("hook_prompt"))).toHaveLength(1);
    expect(parseJsonl(r.stdout).at(-1).type).toBe("turn.completed");
  });

  test("human output shows the hook run and its block", async () => {
    trustRepoByHand(t, server.url);
    writeProjectHooks(t, {
      Stop: [{ hooks: [{ type: "command", command: recordPayload(t, "stop", blockOnce("not yet")), statusMessage: "checking the gate" }] }],
    });
    server.enqueue(sse(created("r1"), textMessage("a"), completed("r1")), sse(created("r2"), textMessage("b"), completed("r2")));
    const r = await runCodex(["exec", "go"], { env: t.env, cwd: t.repo });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("codex\na\nhook: Stop\nhook: Stop Blocked\n  feedback: not yet\ncodex\nb\nhook: Stop\nhook: Stop Completed\n");
    expect(r.stdout).toBe("b\n");
  });
});

describe("Stop hook effects", () => {
  test("continue:false ends quietly (no continuation); systemMessage is shown; runs are journaled with status and duration", async () => {
    trustRepoByHand(t, server.url);
    writeProjectHooks(t, {
      Stop: [
        {
          hooks: [
            {
              type: "command",
              command: recordPayload(t, "stop", `echo '{"continue":false,"stopReason":"enough for today","systemMessage":"gate closed","decision":"block","reason":"ignored"}'`),
            },
          ],
        },
      ],
    });
    server.enqueue(sse(created("r1"), textMessage("final"), completed("r1")));
    const r = await runCodex(["exec", "go"], { env: t.env, cwd: t.repo });
    expect(r.code, r.stderr).toBe(0);
    expect(server.requests).toHaveLength(1);
    expect(r.stderr).toContain("hook: Stop Stopped\n  warning: gate closed\n  stop: enough for today");
    const rollout = (await import("node:child_process")).execFileSync("find", [t.codexHome, "-name", "rollout-*.jsonl"], { encoding: "utf8" }).trim();
    const lines = (await import("node:fs")).readFileSync(rollout, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    const runs = lines.filter((l) => l.type === "event_msg" && l.payload.type.startsWith("hook_"));
    expect(runs.map((l) => [l.payload.type, l.payload.run.status])).toEqual([
      ["hook_started", "running"],
      ["hook_completed", "stopped"],
    ]);
    expect(typeof runs[1].payload.run.duration_ms).toBe("number");
  });
});

test("a Stop hook that always blocks cannot hold the turn forever: it ends after 8 continuations with a warning", async () => {
  trustRepoByHand(t, server.url);
  writeProjectHooks(t, { Stop: [{ hooks: [{ type: "command", command: recordPayload(t, "stop", `echo '{"decision":"block","reason":"again"}'`) }] }] });
  for (let i = 0; i < 9; i++) server.enqueue(sse(created(`r${i}`), textMessage(`answer ${i}`), completed(`r${i}`)));
  const r = await runCodex(["exec", "--json", "go"], { env: t.env, cwd: t.repo });
  expect(r.code, r.stderr).toBe(0);
  expect(server.requests).toHaveLength(9);
  expect(payloads(t, "stop")).toHaveLength(9);
  const events = parseJsonl(r.stdout);
  expect(events.filter((e) => e.item?.type === "error").map((e) => e.item.message)).toEqual([
    "Stop hooks blocked 8 times in this turn; ending the turn",
  ]);
  expect(events.at(-1).type).toBe("turn.completed");
});
