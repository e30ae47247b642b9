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
import { turnOverrides } from "../turn-overrides.js";
import { userInputToCore } from "../wire-convert.js";

// turn/start answers at once with the turn (inProgress); turn/started follows as soon as the thread begins it,
// before the model is contacted. turn/interrupt works at any moment, also before the turn began. Its settings
// overrides (turn-overrides.ts) hold for the next turns too; outputSchema is this turn's only.

function session(ctx: MethodContext, threadId: string) {
  const s = ctx.threads.get(threadId);
  if (!s) throw JsonRpcError.invalidRequest(`thread not found: ${threadId}`);
  return s;
}

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
      // Settings for this turn and the next ones go first (core applies them after a running turn ends).
      const overrides = turnOverrides(p, s.runtime, { env: ctx.config.env });
      if (overrides.op) {
        await s.thread.submit(overrides.op);
        Object.assign(s.runtime, overrides.next);
      }
      for (const why of overrides.ignored) ctx.notify(N.warning, { threadId: p.threadId, message: `turn/start: ${why}` });
      // As the reference: this turn's tier only; "default" is the standard tier (no service_tier sent).
      const serviceTier = p.serviceTierForTurn == null ? undefined : p.serviceTierForTurn === "default" ? null : p.serviceTierForTurn;
      return {
        turn: await s.startTurn(input, {
          outputSchema: p.outputSchema,
          ...(serviceTier !== undefined ? { serviceTier } : {}),
          ...(ctx.trace ? { trace: ctx.trace } : {}),
        }),
      };
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
