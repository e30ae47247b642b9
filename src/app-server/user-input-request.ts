import type { Thread } from "../core/index.js";
import type { EventMsg } from "../protocol/events.js";
import type { RequestId } from "../protocol/app-server/jsonrpc.js";
import { ServerRequests as R } from "../protocol/app-server/server-requests.js";
import type { UserInputResponse } from "../protocol/user-input.js";
import type { ClientHandle } from "./connection.js";

// The model's questions (core `request_user_input`) asked of a client as the `item/tool/requestUserInput`
// server request, as the reference 0.169 does (observed): the answer goes back as the `user_input_answer` op
// and `serverRequest/resolved` follows; a client error or an answer that is not a response counts as no
// answers (`{answers:{}}`); a question still open when its turn ends is resolved after the turn's end.

export interface UserInputAsks {
  /** Asks `client`; the thread's status shows waitingOnUserInput until it is answered. */
  ask(client: ClientHandle, request: Extract<EventMsg, { type: "request_user_input" }>): void;
  /** Questions waiting for a client. */
  pending(): number;
  /** The turn ended (interrupted): its open questions are resolved; a later answer is dropped. */
  turnEnded(turnId: string): void;
}

export function createUserInputAsks(o: {
  thread: Thread;
  resolved(requestId: RequestId): void;
  statusChanged(): void;
  log(line: string): void;
}): UserInputAsks {
  const open = new Map<RequestId, { turnId: string; callId: string }>();
  // Asks whose request is being written (counted as waiting already).
  let asking = 0;
  const threadId = o.thread.id;

  const settle = async (id: RequestId, response: UserInputResponse | null): Promise<void> => {
    const asked = open.get(id);
    if (!asked) return;
    open.delete(id);
    if (response) await o.thread.submit({ type: "user_input_answer", callId: asked.callId, response });
    o.resolved(id);
    o.statusChanged();
  };

  return {
    ask(client, request) {
      // As the reference: the thread shows waitingOnUserInput before the request goes out.
      asking++;
      o.statusChanged();
      const { id, result } = client.request(R.toolRequestUserInput, {
        threadId,
        turnId: request.turnId,
        itemId: request.callId,
        questions: request.questions,
        isBlocking: request.isBlocking,
        autoResolutionMs: null,
      });
      open.set(id, { turnId: request.turnId, callId: request.callId });
      asking--;
      result.then(
        (answer) => settle(id, { answers: answer.answers }),
        async (err: Error) => {
          if (client.closed) {
            // Nobody left to answer: as an approval, the turn ends interrupted (the journal keeps the question).
            o.log(`app-server: client left with a question pending on thread ${threadId}; interrupting the turn`);
            open.delete(id);
            await o.thread.submit({ type: "interrupt" });
            return;
          }
          o.log(`app-server: requestUserInput failed (${err.message}); answering with no answers`);
          await settle(id, { answers: {} });
        },
      );
    },
    pending: () => open.size + asking,
    turnEnded(turnId) {
      for (const [id, asked] of [...open]) if (asked.turnId === turnId) void settle(id, null);
    },
  };
}
