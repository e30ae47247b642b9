// Tracing for the runtime. With the exporter `none` (the default) this is all that loads: no SDK, no spans.
import type { Telemetry, TraceContext } from "./contract.js";
import type { OtelSettings } from "./settings.js";

export type { Telemetry, ThreadTelemetry, ThreadFacts, TraceContext } from "./contract.js";
export { parseTraceParent } from "./contract.js";
export { readOtelSettings, type OtelSettings, type OtlpHttpTarget } from "./settings.js";

export async function startTelemetry(o: {
  settings: OtelSettings;
  serviceName: string;
  version: string;
  /** The parent of every session span (exec's TRACEPARENT). */
  parent?: TraceContext;
  secrets: readonly string[];
}): Promise<Telemetry | undefined> {
  const target = o.settings.traces;
  if (!target) return undefined;
  const { createOtelTelemetry } = await import("./otel-telemetry.js");
  return createOtelTelemetry({
    target,
    serviceName: o.serviceName,
    version: o.version,
    environment: o.settings.environment,
    logUserPrompt: o.settings.logUserPrompt,
    ...(o.parent ? { parent: o.parent } : {}),
    secrets: o.secrets,
  });
}
