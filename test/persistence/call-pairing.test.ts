import { describe, expect, test } from "vitest";
import { pairToolCalls } from "../../src/core/persistence/call-pairing.js";
import { reconstructThread } from "../../src/core/persistence/reconstruct.js";
import type { RolloutLine } from "../../src/core/persistence/contract.js";
import type { ResponseItem } from "../../src/protocol/items.js";
import { unpairedToolCallError } from "../support/fake-responses-server.js";

const user = (text: string): ResponseItem => ({ type: "message", role: "user", content: [{ type: "input_text", text }] });
const fc = (id: string): ResponseItem => ({ type: "function_call", name: "exec_command", arguments: "{}", call_id: id });
const ctc = (id: string): ResponseItem => ({ type: "custom_tool_call", name: "apply_patch", input: "*** Begin Patch", call_id: id });
const lsc = (id: string): ResponseItem => ({ type: "local_shell_call", call_id: id, status: "completed", action: { type: "exec", command: ["ls"] } });
const out = (id: string, output = "ok"): ResponseItem => ({ type: "function_call_output", call_id: id, output });
const cout = (id: string, output = "ok"): ResponseItem => ({ type: "custom_tool_call_output", call_id: id, output });
const reasoning: ResponseItem = { type: "reasoning", summary: [], encrypted_content: "x" };

describe("pairToolCalls", () => {
  test("a well-paired history comes back as the same array", () => {
    const items = [user("a"), fc("c1"), out("c1"), user("b")];
    expect(pairToolCalls(items)).toBe(items);
  });

  test("cut-off calls get 'aborted' right after their response's items, before the next user message", () => {
    const items = [user("a"), reasoning, fc("c1"), ctc("c2"), lsc("c3"), user("b")];
    const paired = pairToolCalls(items);
    expect(paired).toEqual([
      user("a"),
      reasoning,
      fc("c1"),
      ctc("c2"),
      lsc("c3"),
      out("c1", "aborted"),
      cout("c2", "aborted"),
      out("c3", "aborted"),
      user("b"),
    ]);
    expect(unpairedToolCallError(items)).toBe("No tool output found for function call c1.");
    expect(unpairedToolCallError(paired as ResponseItem[])).toBeNull();
  });

  test("an output whose call is gone is dropped; one of the wrong kind does not count", () => {
    const items = [user("a"), out("ghost"), ctc("c2"), out("c2")];
    const paired = pairToolCalls(items);
    expect(unpairedToolCallError(items)).toBe("No tool output found for custom tool call c2.");
    expect(paired).toEqual([user("a"), ctc("c2"), cout("c2", "aborted")]);
    expect(unpairedToolCallError([user("a"), out("ghost")])).toBe("No tool call found for function call output with call_id ghost.");
  });

  test("resume rebuilds a journal that a crash cut off mid-call into a history the API accepts", () => {
    const ts = "2026-12-01T00:00:00.000Z";
    const lines: RolloutLine[] = [
      { timestamp: ts, type: "session_meta", payload: { id: "t", timestamp: ts, cwd: "/", originator: "x", cli_version: "0", source: "exec" } },
      { timestamp: ts, type: "response_item", payload: user("run it") },
      { timestamp: ts, type: "response_item", payload: fc("c1") },
      { timestamp: ts, type: "event_msg", payload: { type: "token_count", total: {}, last: {} } as never },
    ];
    expect(reconstructThread(lines).history).toEqual([user("run it"), fc("c1"), out("c1", "aborted")]);
  });
});
