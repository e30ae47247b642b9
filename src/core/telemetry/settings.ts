// `[otel]` in config.toml, read without loading any OpenTelemetry code. The reference's keys:
//   [otel]
//   environment = "dev"                 # resource attribute `env`
//   log_user_prompt = false             # the prompt text on the turn span only when true
//   trace_exporter = "none" | { otlp-http = { endpoint = "...", protocol = "json"|"binary", headers = {...} } }
//   exporter = ...                      # the reference's log-event exporter (same shape)
// OUR RULE: traces go where `trace_exporter` says; without it, where `exporter` says (we export no log events).
// `otlp-grpc` and `protocol = "binary"` are accepted with a warning: spans then go as OTLP/HTTP JSON (or nowhere).
import { ConfigError } from "../config/errors.js";

export interface OtlpHttpTarget {
  endpoint: string;
  headers: Record<string, string>;
}

export interface OtelSettings {
  /** Where spans go; undefined = nowhere (exporter `none`, the default): no OpenTelemetry code is loaded. */
  traces?: OtlpHttpTarget;
  environment: string;
  logUserPrompt: boolean;
  warnings: string[];
}

export const DEFAULT_OTEL_ENVIRONMENT = "dev";

export function readOtelSettings(raw: Record<string, unknown>, source = "config.toml"): OtelSettings {
  const otel = raw.otel;
  const out: OtelSettings = { environment: DEFAULT_OTEL_ENVIRONMENT, logUserPrompt: false, warnings: [] };
  if (otel === undefined) return out;
  if (!isTable(otel)) throw new ConfigError(`${source}: otel must be a table`);
  if (otel.environment !== undefined) {
    if (typeof otel.environment !== "string") throw new ConfigError(`${source}: otel.environment must be a string`);
    out.environment = otel.environment;
  }
  if (otel.log_user_prompt !== undefined) {
    if (typeof otel.log_user_prompt !== "boolean") throw new ConfigError(`${source}: otel.log_user_prompt must be a boolean`);
    out.logUserPrompt = otel.log_user_prompt;
  }
  const key = otel.trace_exporter !== undefined ? "trace_exporter" : "exporter";
  const target = readExporter(otel[key], `otel.${key}`, source, out.warnings);
  // What we do not export: log events (when traces have their own exporter) and metrics.
  if (key === "trace_exporter" && otel.exporter !== undefined && otel.exporter !== "none") {
    readExporter(otel.exporter, "otel.exporter", source, []);
    out.warnings.push("`otel.exporter` (log events) is not supported yet; ignored (traces use otel.trace_exporter)");
  }
  if (otel.metrics_exporter !== undefined && otel.metrics_exporter !== "none") {
    out.warnings.push("`otel.metrics_exporter` is not supported yet; ignored");
  }
  if (target) out.traces = target;
  return out;
}

function readExporter(value: unknown, field: string, source: string, warnings: string[]): OtlpHttpTarget | undefined {
  if (value === undefined || value === "none") return undefined;
  if (value === "otlp-http" || value === "otlp-grpc") {
    throw new ConfigError(`${source}: ${field} = "${value}" needs its settings: ${field}.${value}.endpoint`);
  }
  if (!isTable(value)) throw new ConfigError(`${source}: ${field} must be "none" or a table { otlp-http = { endpoint = "..." } }`);
  const kinds = Object.keys(value);
  if (kinds.length !== 1) throw new ConfigError(`${source}: ${field} must name exactly one exporter (otlp-http or otlp-grpc)`);
  const kind = kinds[0]!;
  const body = value[kind];
  if (kind !== "otlp-http" && kind !== "otlp-grpc") {
    throw new ConfigError(`${source}: ${field}: unknown exporter '${kind}' (expected none|otlp-http|otlp-grpc)`);
  }
  if (!isTable(body)) throw new ConfigError(`${source}: ${field}.${kind} must be a table`);
  if (kind === "otlp-grpc") {
    warnings.push(`\`${field}.otlp-grpc\` is not supported yet; no spans are exported (use otlp-http)`);
    return undefined;
  }
  if (typeof body.endpoint !== "string" || body.endpoint.trim() === "") {
    throw new ConfigError(`${source}: ${field}.${kind}.endpoint must be a URL string`);
  }
  try {
    new URL(body.endpoint);
  } catch {
    throw new ConfigError(`${source}: ${field}.${kind}.endpoint is not a valid URL: ${body.endpoint}`);
  }
  if (body.protocol !== undefined && body.protocol !== "json" && body.protocol !== "binary") {
    throw new ConfigError(`${source}: ${field}.${kind}.protocol must be "json" or "binary"`);
  }
  if (body.protocol === "binary") {
    warnings.push(`\`${field}.${kind}.protocol = "binary"\` is not supported yet; spans are sent as OTLP/HTTP JSON`);
  }
  const headers: Record<string, string> = {};
  if (body.headers !== undefined) {
    if (!isTable(body.headers)) throw new ConfigError(`${source}: ${field}.${kind}.headers must be a table of strings`);
    for (const [name, v] of Object.entries(body.headers)) {
      if (typeof v !== "string") throw new ConfigError(`${source}: ${field}.${kind}.headers.${name} must be a string`);
      headers[name] = v;
    }
  }
  return { endpoint: body.endpoint, headers };
}

function isTable(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
