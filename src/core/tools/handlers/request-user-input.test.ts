import { describe, expect, it } from "vitest";
import type { EventMsg } from "../../../protocol/events.js";
import { createUserInputBroker } from "../../thread/user-input-broker.js";
import { ToolError, type ToolContext } from "../contract.js";
import { inertToolContext } from "../inert-tool-context.js";
import { requestUserInputTool } from "./request-user-input.js";

const ARGS = { questions: [{ id: "q", header: "H", question: "Which?", options: [{ label: "a", description: "d" }] }] };

function ctx(events: EventMsg[], signal: AbortSignal): ToolContext {
  const broker = createUserInputBroker();
  const ask = broker.asker((m) => events.push(m), "tu_1");
  return inertToolContext(events, {
    signal,
    askUser: (questions, o) => ask({ callId: "call_1", questions, isBlocking: o.isBlocking }, o.signal),
  });
}

describe("request_user_input handler", () => {
  it("the call's signal ends a pending question (a sibling call failed the round): the model is told it was cancelled", async () => {
    const events: EventMsg[] = [];
    const round = new AbortController();
    const tool = requestUserInputTool({ defaultMode: true });
    const pending = tool.handle(ARGS, ctx(events, round.signal));
    expect(events.map((e) => e.type)).toEqual(["request_user_input"]);
    round.abort();
    const err = await pending.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ToolError);
    expect((err as ToolError).message).toBe("request_user_input was cancelled before receiving a response");
    expect((err as ToolError).kind).toBe("respond_to_model");
  });

  it("the description names the modes it works in", () => {
    expect(requestUserInputTool({ defaultMode: false }).description).toMatch(/only available in Plan mode\.$/);
    expect(requestUserInputTool({ defaultMode: true }).description).toMatch(/only available in Default or Plan mode\.$/);
  });
});
