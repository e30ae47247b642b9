import { expect, test } from "vitest";
import { parseTraceParent, readOtelSettings } from "../../src/core/telemetry/index.js";

test("no [otel], or exporter none: nothing is exported", () => {
  expect(readOtelSettings({})).toEqual({ environment: "dev", logUserPrompt: false, warnings: [] });
  expect(readOtelSettings({ otel: { exporter: "none", trace_exporter: "none" } }).traces).toBeUndefined();
});

test("trace_exporter otlp-http with endpoint and headers; environment and log_user_prompt", () => {
  const s = readOtelSettings({
    otel: {
      environment: "prod",
      log_user_prompt: true,
      trace_exporter: { "otlp-http": { endpoint: "http://127.0.0.1:4318/v1/traces", protocol: "json", headers: { "x-k": "v" } } },
    },
  });
  expect(s).toEqual({
    environment: "prod",
    logUserPrompt: true,
    traces: { endpoint: "http://127.0.0.1:4318/v1/traces", headers: { "x-k": "v" } },
    warnings: [],
  });
});

test("without trace_exporter, traces follow exporter; trace_exporter none wins over exporter", () => {
  const exporter = { "otlp-http": { endpoint: "http://c/v1/traces" } };
  expect(readOtelSettings({ otel: { exporter } }).traces?.endpoint).toBe("http://c/v1/traces");
  expect(readOtelSettings({ otel: { exporter, trace_exporter: "none" } }).traces).toBeUndefined();
});

test("binary protocol and otlp-grpc are accepted with a warning naming the key", () => {
  const bin = readOtelSettings({ otel: { trace_exporter: { "otlp-http": { endpoint: "http://c/v1/traces", protocol: "binary" } } } });
  expect(bin.traces).toBeDefined();
  expect(bin.warnings).toEqual(['`otel.trace_exporter.otlp-http.protocol = "binary"` is not supported yet; spans are sent as OTLP/HTTP JSON']);
  const grpc = readOtelSettings({ otel: { exporter: { "otlp-grpc": { endpoint: "http://c:4317" } } } });
  expect(grpc.traces).toBeUndefined();
  expect(grpc.warnings[0]).toContain("otel.exporter.otlp-grpc");
});

test("bad values are one-line errors naming the field", () => {
  const bad = (otel: unknown) => () => readOtelSettings({ otel });
  expect(bad({ trace_exporter: { "otlp-http": {} } })).toThrow(/otel\.trace_exporter\.otlp-http\.endpoint must be a URL string/);
  expect(bad({ trace_exporter: { "otlp-http": { endpoint: "not a url" } } })).toThrow(/not a valid URL/);
  expect(bad({ trace_exporter: { zipkin: { endpoint: "http://c" } } })).toThrow(/unknown exporter 'zipkin'/);
  expect(bad({ trace_exporter: "otlp-http" })).toThrow(/needs its settings/);
  expect(bad({ log_user_prompt: "yes" })).toThrow(/otel\.log_user_prompt must be a boolean/);
  expect(bad({ trace_exporter: { "otlp-http": { endpoint: "http://c", headers: { a: 1 } } } })).toThrow(/headers\.a must be a string/);
});

test("traceparent parsing: valid, malformed, all-zero ids, version ff", () => {
  const ok = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
  expect(parseTraceParent(ok, " k=v ")).toEqual({ traceparent: ok, tracestate: "k=v" });
  expect(parseTraceParent(ok.toUpperCase())).toEqual({ traceparent: ok });
  expect(parseTraceParent(undefined)).toBeUndefined();
  expect(parseTraceParent("00-xyz")).toBeUndefined();
  expect(parseTraceParent("00-00000000000000000000000000000000-b7ad6b7169203331-01")).toBeUndefined();
  expect(parseTraceParent("00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01")).toBeUndefined();
  expect(parseTraceParent("ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")).toBeUndefined();
});

test("log events and metrics exporters are accepted with a warning", () => {
  const target = { "otlp-http": { endpoint: "http://c/v1/traces" } };
  const s = readOtelSettings({ otel: { trace_exporter: target, exporter: target, metrics_exporter: target } });
  expect(s.traces?.endpoint).toBe("http://c/v1/traces");
  expect(s.warnings).toEqual([
    "`otel.exporter` (log events) is not supported yet; ignored (traces use otel.trace_exporter)",
    "`otel.metrics_exporter` is not supported yet; ignored",
  ]);
  expect(readOtelSettings({ otel: { trace_exporter: "none", exporter: "none", metrics_exporter: "none" } }).warnings).toEqual([]);
});
