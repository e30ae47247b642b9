// `codex exec` has nobody to ask: as the reference 0.169 (observed against the fake server), the model's
// request_user_input call is answered "unavailable in Default mode", or — with
// features.default_mode_request_user_input — with empty answers; the JSONL shows no item for it and the
// run never waits.
import { describe, expect, test } from "vitest";
import { parseJsonl, runCodex, type TestEnv, useFakeServerEnv } from "../support/codex-env.js";
import { sse, type FakeServer } from "../support/fake-responses-server.js";
import { completed, created, functionCall, textMessage } from "../support/sse.js";

let server: FakeServer;
let t: TestEnv;
useFakeServerEnv((s, e) => ((server = s), (t = e)));

const ARGS = { questions: [{ id: "color", header: "Color", question: "Which color?", options: [{ label: "Red", description: "warm" }, { label: "Blue", description: "cool" }] }] };

function script(): void {
  server.enqueue(
    sse(created("r1"), functionCall("call_q", "request_user_input", ARGS), completed("r1")),
    sse(created("r2"), textMessage("done"), completed("r2")),
  );
}

describe("codex exec and request_user_input", () => {
  test("Default mode: the call is refused as unavailable; the turn completes", async () => {
    script();
    const r = await runCodex(["exec", "--json", "paint it"], { env: t.env, cwd: t.repo });
    expect(r.code).toBe(0);
    const events = parseJsonl(r.stdout);
    expect(events.map((e) => e.type)).toEqual(["thread.started", "turn.started", "item.completed", "turn.completed"]);
    expect(events[2].item).toMatchObject({ type: "agent_message", text: "done" });
    expect(server.requests[0]!.body.tools.some((x: { name?: string }) => x.name === "request_user_input")).toBe(true);
    expect(server.requests[1]!.functionCallOutput("call_q").output).toBe("request_user_input is unavailable in Default mode");
  });

  test("with default_mode_request_user_input: empty answers, the description names Default mode", async () => {
    script();
    const r = await runCodex(["exec", "--json", "--enable", "default_mode_request_user_input", "paint it"], { env: t.env, cwd: t.repo });
    expect(r.code).toBe(0);
    const events = parseJsonl(r.stdout);
    expect(events.at(-1).type).toBe("turn.completed");
    expect(events.some((e) => e.item?.type === "agent_message" && e.item.text === "done")).toBe(true);
    const spec = server.requests[0]!.body.tools.find((x: { name?: string }) => x.name === "request_user_input");
    expect(spec.description).toMatch(/only available in Default or Plan mode\.$/);
    expect(server.requests[1]!.functionCallOutput("call_q").output).toBe('{"answers":{}}');
  });
});
