import { expect, test } from "vitest";
import type { EventMsg } from "../protocol/events.js";
import { mapEvent, newMapperState, type Out } from "./event-mapper.js";

const question = { id: "q", header: "H", question: "Which?", isOther: true, isSecret: false, options: [{ label: "a", description: "d" }] };

test("request_user_input: the text before it completes, then the ask; no item of its own; none outside a turn", () => {
  const s = newMapperState({ threadId: "th", keepTurns: true });
  const out: Out[] = [];
  const events: EventMsg[] = [
    { type: "request_user_input", callId: "early", turnId: "t0", questions: [question], isBlocking: false },
    { type: "task_started", turnId: "t1" },
    { type: "agent_message_delta", delta: "Before I go on" },
    { type: "request_user_input", callId: "c1", turnId: "t1", questions: [question], isBlocking: false },
    { type: "task_complete", turnId: "t1", lastAgentMessage: null },
  ];
  events.forEach((e, i) => out.push(...mapEvent(s, e, 1_000 + i)));
  const kinds = out.map((o) => (o.kind === "notify" ? o.def.method : o.kind));
  expect(kinds).toEqual(["thread/status/changed", "turn/started", "item/started", "item/agentMessage/delta", "item/completed", "askUserInput", "thread/status/changed", "turn/completed"]);
  expect(out[5]).toEqual({ kind: "askUserInput", request: events[3] });
  // A replayed turn (thread/read) holds only the message: the question is no item.
  expect(s.turns[0]!.items.map((i) => i.type)).toEqual(["agentMessage"]);
});
