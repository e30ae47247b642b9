import {
  TurnInterruptParams,
  TurnInterruptResponse,
  TurnStartParams,
  TurnStartResponse,
  TurnSteerParams,
  TurnSteerResponse,
} from "../../protocol/app-server/turn.js";
import { Notifications as N } from "../../protocol/app-server/notifications.js";
import { defineMethod, JsonRpcError, type MethodContext, type MethodDef } from "../method-table.js";
import { userInputToCore } from "../wire-convert.js";

// turn/start answers at once with the turn (inProgress); turn/started follows as soon as the thread begins it,
// before the model is contacted. turn/interrupt works at any moment, also before the turn began.

function session(ctx: MethodContext, threadId: string) {
  const s = ctx.threads.get(threadId);
  if (!s) throw JsonRpcError.invalidRequest(`thread not found: ${threadId}`);
  return s;
}

const PER_TURN_OVERRIDES = ["cwd", "approvalPolicy", "approvalsReviewer", "sandboxPolicy", "model", "serviceTier", "effort", "summary", "personality"] as const;

export const turnMethods: MethodDef[] = [
  defineMethod({
    method: "turn/start",
    params: TurnStartParams,
    result: TurnStartResponse,
    async handle(p, ctx) {
      const s = session(ctx, p.threadId);
      s.subscribe(ctx.client);
      const input = userInputToCore(p.input);
      if (input.length === 0) throw JsonRpcError.invalidRequest("input must not be empty");
      // Accepted but not implemented yet: said so rather than silently ignored.
      const ignored = PER_TURN_OVERRIDES.filter((k) => p[k] != null);
      if (ignored.length > 0) {
        ctx.notify(N.warning, {
          threadId: p.threadId,
          message: `turn/start: per-turn ${ignored.map((k) => `\`${k}\``).join(", ")} not supported yet; the thread's settings apply`,
        });
      }
      return { turn: await s.startTurn(input, { outputSchema: p.outputSchema, ...(ctx.trace ? { trace: ctx.trace } : {}) }) };
    },
  }),
  defineMethod({
    method: "turn/steer",
    params: TurnSteerParams,
    result: TurnSteerResponse,
    async handle(p, ctx) {
      const turnId = await session(ctx, p.threadId).steer(userInputToCore(p.input), p.expectedTurnId);
      return { turnId };
    },
  }),
  defineMethod({
    method: "turn/interrupt",
    params: TurnInterruptParams,
    result: TurnInterruptResponse,
    async handle(p, ctx) {
      await session(ctx, p.threadId).interrupt(p.turnId);
      return {};
    },
  }),
];
