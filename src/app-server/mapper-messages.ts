import type { EventMsg } from "../protocol/events.js";
import type { ThreadItem } from "../protocol/app-server/items.js";
import { Notifications as N } from "../protocol/app-server/notifications.js";
import type { MapCtx } from "./mapper-state.js";
import { agentMessage } from "./wire-items.js";

// The person's and the model's text: user messages, answers and reasoning summaries as they stream.

/** Maps `msg` when it is one of this part's events; false when it is not. */
export function mapMessageEvent(c: MapCtx, msg: EventMsg): boolean {
  const { s, threadId, turnId, notify, newId, start, complete } = c;
  switch (msg.type) {
    case "user_message": {
      if (!s.turn) break;
      const content = [
        ...(msg.message ? [{ type: "text" as const, text: msg.message, text_elements: [] }] : []),
        ...msg.images.map((path) => ({ type: "localImage" as const, path })),
      ];
      complete({ type: "userMessage", id: newId("user"), clientId: null, content });
      break;
    }
    case "agent_message_delta": {
      if (!s.turn) break;
      if (s.reasoningId) {
        // The summary streamed before the answer: it is complete once the answer begins (as the reference shows it).
        const item = s.open.get(s.reasoningId);
        if (item) complete(item);
        s.reasoningId = null;
        s.reasoningClosedEarly++;
      }
      if (!s.agentMessageId) {
        s.agentMessageId = newId("msg");
        start(agentMessage(s.agentMessageId, ""));
      }
      const item = s.open.get(s.agentMessageId) as Extract<ThreadItem, { type: "agentMessage" }> | undefined;
      if (item) item.text += msg.delta;
      notify(N.agentMessageDelta, { threadId, turnId, itemId: s.agentMessageId, delta: msg.delta });
      break;
    }
    case "agent_message": {
      if (!s.turn) break;
      const id = s.agentMessageId ?? msg.itemId ?? newId("msg");
      s.agentMessageId = null;
      complete(agentMessage(id, msg.message));
      break;
    }
    case "agent_reasoning_delta": {
      if (!s.turn) break;
      if (!s.reasoningId) {
        s.reasoningId = newId("rs");
        start({ type: "reasoning", id: s.reasoningId, summary: [], content: [] });
        notify(N.reasoningSummaryPartAdded, { threadId, turnId, itemId: s.reasoningId, summaryIndex: 0 });
      }
      const open = s.open.get(s.reasoningId) as Extract<ThreadItem, { type: "reasoning" }> | undefined;
      if (open) open.summary = [(open.summary[0] ?? "") + msg.delta];
      notify(N.reasoningSummaryTextDelta, { threadId, turnId, itemId: s.reasoningId, delta: msg.delta, summaryIndex: 0 });
      break;
    }
    case "agent_reasoning": {
      if (!s.turn) break;
      if (!s.reasoningId && s.reasoningClosedEarly > 0) {
        s.reasoningClosedEarly--;
        break;
      }
      const id = s.reasoningId ?? newId("rs");
      s.reasoningId = null;
      complete({ type: "reasoning", id, summary: [msg.text], content: [] });
      break;
    }
    default:
      return false;
  }
  return true;
}
