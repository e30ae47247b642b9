// The OpenTelemetry SDK behind Telemetry: a tracer provider exporting OTLP/HTTP (JSON) in batches.
// Loaded only when `[otel]` names an exporter (dynamic import from telemetry/index.ts).
import { ROOT_CONTEXT } from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, BatchSpanProcessor } from "@opentelemetry/sdk-trace-base";
import type { Telemetry, TraceContext } from "./contract.js";
import { remoteContext } from "./remote-context.js";
import type { OtlpHttpTarget } from "./settings.js";
import { createThreadSpans } from "./thread-spans.js";

/** A flush (thread end, exit) waits at most this long for the collector. */
const FLUSH_TIMEOUT_MS = 3_000;

export function createOtelTelemetry(o: {
  target: OtlpHttpTarget;
  serviceName: string;
  version: string;
  environment: string;
  logUserPrompt: boolean;
  parent?: TraceContext;
  secrets: readonly string[];
}): Telemetry {
  const exporter = new OTLPTraceExporter({ url: o.target.endpoint, headers: o.target.headers, timeoutMillis: FLUSH_TIMEOUT_MS });
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ "service.name": o.serviceName, "service.version": o.version, env: o.environment }),
    spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: 1_000 })],
  });
  const tracer = provider.getTracer("codex-ts", o.version);
  const parent = (o.parent && remoteContext(o.parent)) ?? ROOT_CONTEXT;
  const flush = async (): Promise<void> => {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, FLUSH_TIMEOUT_MS);
      timer.unref();
    });
    await Promise.race([provider.forceFlush().catch(() => {}), deadline]);
    clearTimeout(timer);
  };
  return {
    forThread: (facts) => createThreadSpans({ tracer, parent, facts, logUserPrompt: o.logUserPrompt, secrets: o.secrets, flush }),
    flush,
  };
}
