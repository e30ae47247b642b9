// update_plan calls become one todo_list item: started, updated, then completed at turn end.
import { describe, expect, test } from "vitest";
import { parseJsonl, runCodex, type TestEnv, useFakeServerEnv } from "../support/codex-env.js";
import { sse, type FakeServer } from "../support/fake-responses-server.js";
import { completed, created, functionCall, textMessage } from "../support/sse.js";

let server: FakeServer;
let t: TestEnv;

useFakeServerEnv((s, e) => ((server = s), (t = e)));

describe("update_plan in exec --json", () => {
  test("two plan updates then a message: started, updated, completed with the last plan", async () => {
    server.enqueue(
      sse(created("r1"), functionCall("p1", "update_plan", {
        plan: [{ step: "read code", status: "in_progress" }, { step: "write fix", status: "pending" }],
      }), completed("r1")),
      sse(created("r2"), functionCall("p2", "update_plan", {
        explanation: "progress",
        plan: [{ step: "read code", status: "completed" }, { step: "write fix", status: "in_progress" }],
      }), completed("r2")),
      sse(created("r3"), textMessage("all done"), completed("r3")),
    );
    const r = await runCodex(["exec", "--json", "plan it"], { env: t.env, cwd: t.repo });
    expect(r.stderr).not.toMatch(/Error:/);
    expect(r.code).toBe(0);
    const events = parseJsonl(r.stdout);
    const todo = events.filter((e) => e.item?.type === "todo_list");
    expect(todo.map((e) => e.type)).toEqual(["item.started", "item.updated", "item.completed"]);
    const id = todo[0].item.id;
    expect(todo.every((e) => e.item.id === id)).toBe(true);
    expect(todo[0].item.items).toEqual([
      { text: "read code", completed: false },
      { text: "write fix", completed: false },
    ]);
    const last = [
      { text: "read code", completed: true },
      { text: "write fix", completed: false },
    ];
    expect(todo[1].item.items).toEqual(last);
    expect(todo[2].item).toEqual({ id, type: "todo_list", items: last });
    // Completed at turn end: after the agent message, just before turn.completed.
    const types = events.map((e) => `${e.type}:${e.item?.type ?? ""}`);
    expect(types.indexOf("item.completed:todo_list")).toBeGreaterThan(types.indexOf("item.completed:agent_message"));
    expect(events.at(-1).type).toBe("turn.completed");
    // The model gets a plain acknowledgement for each call.
    expect(server.requests[1]!.functionCallOutput("p1")).toBeDefined();
    expect(server.requests[2]!.functionCallOutput("p2")).toBeDefined();
  });

  test("a malformed update_plan call is answered to the model, not fatal", async () => {
    server.enqueue(
      sse(created("r1"), functionCall("bad", "update_plan", { plan: [{ step: "x", status: "sideways" }] }), completed("r1")),
      sse(created("r2"), textMessage("recovered"), completed("r2")),
    );
    const r = await runCodex(["exec", "--json", "plan badly"], { env: t.env, cwd: t.repo });
    expect(r.code).toBe(0);
    const out = server.requests[1]!.functionCallOutput("bad");
    expect(out, "no output answering the bad call").toBeDefined();
    expect(JSON.stringify(out.output)).toMatch(/status|invalid|sideways/i);
    const events = parseJsonl(r.stdout);
    expect(events.filter((e) => e.item?.type === "todo_list")).toEqual([]);
    expect(events.at(-1).type).toBe("turn.completed");
  });
});
