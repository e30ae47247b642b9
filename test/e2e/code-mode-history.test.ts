// What code mode leaves in the history, through the built binary: notify() outputs (extra
// custom_tool_call_output items for the exec call id, after its output, as the reference 0.169 records
// them — observed against this fake server), in the next request and again after resume; a running cell
// collected by wait; store/load across cells of one session.
import { describe, expect, test } from "vitest";
import { parseJsonl, runCodex, type TestEnv, useFakeServerEnv } from "../support/codex-env.js";
import { sse, type FakeServer } from "../support/fake-responses-server.js";
import { completed, created, customToolCall, functionCall, textMessage } from "../support/sse.js";

let server: FakeServer;
let t: TestEnv;
useFakeServerEnv((s, e) => ((server = s), (t = e)));

/* eslint-disable @typescript-eslint/no-explicit-any */
const execCall = (id: string, js: string, r: string) => sse(created(r), ...customToolCall(id, "exec", js), completed(r));
const answer = (text: string, r: string) => sse(created(r), ...textMessage(text), completed(r));

async function exec(args: string[]) {
  const r = await runCodex(["exec", "--json", "--enable", "code_mode_only", ...args], { env: t.env, cwd: t.repo });
  expect(r.code, r.stderr).toBe(0);
  expect(server.refusedRequests).toEqual([]);
  return parseJsonl(r.stdout);
}

/** The tool items of a request's input, without the ids the model gave them. */
const toolItems = (input: any[]) =>
  input.filter((i) => i.type !== "message" && i.type !== "additional_tools").map(({ id: _id, ...rest }) => rest);

const note = (callId: string, text: string) => ({ type: "custom_tool_call_output", call_id: callId, name: "exec", output: text });

describe("code mode history", () => {
  test("notify(): extra outputs for the exec call id after its output, in the next request and after resume", async () => {
    server.enqueue(execCall("call_n", `notify("step 1"); text("end"); notify({ n: 2 });`, "r1"), answer("done", "r2"));
    const events = await exec(["go"]);
    const sent = toolItems(server.requests[1]!.input);
    expect(sent.map((i) => i.type)).toEqual(["custom_tool_call", "custom_tool_call_output", "custom_tool_call_output", "custom_tool_call_output"]);
    expect(sent[1].output.slice(1)).toEqual([{ type: "input_text", text: "end" }]);
    expect(sent.slice(2)).toEqual([note("call_n", "step 1"), note("call_n", `{"n":2}`)]);

    server.enqueue(answer("again", "r3"));
    await exec(["resume", events[0].thread_id, "more"]);
    expect(toolItems(server.requests[2]!.input)).toEqual(sent);
  });

  test("a note of a cell still running when exec returned follows the output of the wait that collects it", async () => {
    // yield_control() hands the output so far back at once (no race with the yield time).
    const js = `notify("a"); text("t0"); yield_control(); await new Promise((r) => setTimeout(r, 300)); notify("b"); text("t1");`;
    server.enqueue(
      execCall("call_js", js, "r1"),
      sse(created("r2"), ...functionCall("call_w", "wait", { cell_id: "1", yield_time_ms: 10_000 }), completed("r2")),
      answer("done", "r3"),
    );
    await exec(["go"]);
    const first = toolItems(server.requests[1]!.input);
    expect(first[1].output.map((o: any) => o.text)).toEqual([expect.stringMatching(/^Script running with cell ID 1\n/), "t0"]);
    expect(first.slice(2)).toEqual([note("call_js", "a")]);
    const second = toolItems(server.requests[2]!.input);
    expect(second.slice(0, 3)).toEqual(first);
    expect(second[3]).toMatchObject({ type: "function_call", call_id: "call_w" });
    expect(second[4].type).toBe("function_call_output");
    expect(second[4].output.map((o: any) => o.text)).toEqual([expect.stringMatching(/^Script completed\n/), "t1"]);
    expect(second.slice(5)).toEqual([note("call_js", "b")]);
  });

  test("store/load: values survive across the cells of a session; like the reference's, not a new process (resume)", async () => {
    server.enqueue(
      execCall("c1", `store("k", { n: 41 }); text(typeof load("missing"));`, "r1"),
      execCall("c2", `text(load("k").n + 1);`, "r2"),
      answer("loaded", "r3"),
    );
    const events = await exec(["go"]);
    expect(server.requests[1]!.functionCallOutput("c1").output[1].text).toBe("undefined");
    expect(server.requests[2]!.functionCallOutput("c2").output[1].text).toBe("42");
    server.enqueue(execCall("c3", `text(String(load("k")));`, "r4"), answer("gone", "r5"));
    await exec(["resume", events[0].thread_id, "next"]);
    expect(server.requests[4]!.functionCallOutput("c3").output[1].text).toBe("undefined");
  });
});
