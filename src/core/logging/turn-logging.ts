import { qualifiedCallName as callName, type ToolCallItem } from "../../protocol/items.js";
import type { ModelClient } from "../model/contract.js";
import type { TurnObserver } from "../turn/observer.js";
import type { Logger } from "./logger.js";

// The log points around a turn, through the existing seams: a turn observer (turn start/end, tool calls)
// and a model-client wrapper (each request, its retries and its outcome).

const callId = (call: ToolCallItem): string | undefined => {
  const id = (call as { call_id?: unknown }).call_id;
  return typeof id === "string" ? id : undefined;
};

/** Logs a thread's turns and tool calls (`log` is the thread's logger). */
export function createTurnLoggingObserver(log: Logger): TurnObserver {
  const started = new Map<string, number>();
  let turnStart: number | undefined;
  return {
    beforeSampling({ request }) {
      if (request === 1) {
        turnStart = Date.now();
        log.log("INFO", "core.turn", "turn started");
      }
    },
    beforeToolCall(call) {
      const id = callId(call);
      if (id !== undefined) started.set(id, Date.now());
      log.log("INFO", "core.tools", "tool call started", { fields: { tool: callName(call), call_id: id } });
    },
    afterToolCall(call, output) {
      const id = callId(call);
      const t0 = id !== undefined ? started.get(id) : undefined;
      if (id !== undefined) started.delete(id);
      log.log("INFO", "core.tools", "tool call finished", {
        fields: { tool: callName(call), call_id: id, duration_ms: t0 === undefined ? undefined : Date.now() - t0, output_type: output.type },
      });
    },
    onStop(outcome) {
      const fields = { status: outcome.status, duration_ms: turnStart === undefined ? undefined : Date.now() - turnStart };
      if (outcome.status === "failed") log.log("ERROR", "core.turn", "turn ended", { fields: { ...fields, error: outcome.error.message } });
      else log.log("INFO", "core.turn", "turn ended", { fields });
      turnStart = undefined;
    },
  };
}

/** The model client, logging each request's retries and how it ended. */
export function withRequestLogging(model: ModelClient, log: Logger): ModelClient {
  return {
    async *stream(req, signal) {
      const t0 = Date.now();
      let outcome = "aborted";
      try {
        for await (const ev of model.stream(req, signal)) {
          if (ev.type === "retrying") {
            log.log("WARN", "core.model", "request retrying", { fields: { attempt: ev.attempt, max_attempts: ev.maxAttempts, reason: ev.reason, delay_ms: ev.delayMs } });
          } else if (ev.type === "completed") {
            outcome = "completed";
            log.log("INFO", "core.model", "response completed", {
              fields: { response_id: ev.responseId, duration_ms: Date.now() - t0, input_tokens: ev.usage?.input_tokens, output_tokens: ev.usage?.output_tokens },
            });
          }
          yield ev;
        }
      } catch (err) {
        outcome = "failed";
        if (!signal.aborted) log.log("ERROR", "core.model", "request failed", { fields: { error: err instanceof Error ? err.message : String(err), duration_ms: Date.now() - t0 } });
        throw err;
      } finally {
        if (outcome === "aborted" && signal.aborted) log.log("INFO", "core.model", "request aborted", { fields: { duration_ms: Date.now() - t0 } });
      }
    },
  };
}
