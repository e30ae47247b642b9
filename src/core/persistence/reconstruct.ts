import type { ResponseItem } from "../../protocol/items.js";
import { userPromptText } from "../context/injected-context.js";
import { pairToolCalls } from "./call-pairing.js";
import { askedCallIds, unansweredAskedCalls } from "./pending-approvals.js";
import type { ReconstructedThread, RolloutLine, SessionMeta, TurnContextLine } from "./contract.js";

function userTextMessage(text: string): ResponseItem {
  return { type: "message", role: "user", content: [{ type: "input_text", text }] };
}

/**
 * Rebuilds what the model saw from a rollout's lines: response items in order, where a `compacted`
 * line replaces everything before it. Compactions written with `replacement_history` carry the new
 * history verbatim; older ones carry only a summary, so we keep the real user prompts and add the
 * summary as a user message, which is how such a history was rebuilt when it was written.
 * A call that a crash cut off before its output was journaled gets Codex's "aborted" output right
 * after the response items it came with, so the rebuilt history is one the API accepts — except a call
 * whose approval request was journaled and never answered (`pendingCalls`): it stays open, to be asked again.
 */
export function reconstructThread(lines: readonly RolloutLine[]): ReconstructedThread {
  let meta: SessionMeta | undefined;
  let lastTurnContext: TurnContextLine | undefined;
  let history: ResponseItem[] = [];
  for (const line of lines) {
    switch (line.type) {
      case "session_meta":
        // A forked rollout has exactly one meta; if several appear, the first names this thread.
        meta ??= line.payload;
        break;
      case "turn_context":
        lastTurnContext = line.payload;
        break;
      case "response_item":
        history.push(line.payload);
        break;
      case "compacted": {
        const { replacement_history: replacement, message } = line.payload;
        if (Array.isArray(replacement)) {
          history = [...replacement];
        } else {
          const prompts = history.map(userPromptText).filter((t): t is string => t !== null && t !== "");
          history = [...prompts.map(userTextMessage), userTextMessage(message)];
        }
        break;
      }
      default:
        break;
    }
  }
  if (meta === undefined) throw new Error("rollout has no session_meta line");
  const pendingCalls = unansweredAskedCalls(history, askedCallIds(lines));
  const paired = pairToolCalls(history, { leaveOpen: new Set(pendingCalls.map((c) => c.call_id)) });
  if (paired !== history) history = [...paired];
  return {
    meta,
    history,
    ...(lastTurnContext !== undefined ? { lastTurnContext } : {}),
    ...(pendingCalls.length > 0 ? { pendingCalls } : {}),
  };
}
