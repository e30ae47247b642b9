// An incoming W3C trace context (TRACEPARENT of exec, a request's traceparent) as the parent of our spans.
import { createTraceState, ROOT_CONTEXT, trace, type Context } from "@opentelemetry/api";
import { parseTraceParent, type TraceContext } from "./contract.js";

export function remoteContext(incoming: TraceContext): Context | undefined {
  const parsed = parseTraceParent(incoming.traceparent, incoming.tracestate);
  if (!parsed) return undefined;
  const [, traceId, spanId, flags] = parsed.traceparent.split("-") as [string, string, string, string];
  return trace.setSpanContext(ROOT_CONTEXT, {
    traceId,
    spanId,
    traceFlags: parseInt(flags, 16) & 0xff,
    isRemote: true,
    ...(parsed.tracestate ? { traceState: createTraceState(parsed.tracestate) } : {}),
  });
}
