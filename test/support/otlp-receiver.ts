// A local OTLP/HTTP trace receiver: accepts `POST /v1/traces` in the JSON encoding (what
// @opentelemetry/exporter-trace-otlp-http sends), decodes the spans and lets tests look at them. A protobuf
// body is answered 415 and counted, so a test cannot pass on spans it never decoded.
import http from "node:http";
import type { AddressInfo } from "node:net";

export type AttrValue = string | number | boolean | null;

export interface ReceivedSpan {
  name: string;
  traceId: string;
  spanId: string;
  /** "" for a root span. */
  parentSpanId: string;
  kind: number;
  startNs: bigint;
  endNs: bigint;
  attributes: Record<string, AttrValue>;
  status: { code: number; message?: string };
  events: Array<{ name: string; attributes: Record<string, AttrValue> }>;
  resource: Record<string, AttrValue>;
}

export interface OtlpReceiver {
  /** `http://127.0.0.1:PORT/v1/traces` */
  endpoint: string;
  spans: ReceivedSpan[];
  /** Headers of every export request (lower-case names). */
  exportHeaders: Array<Record<string, string>>;
  /** Bodies that were not OTLP JSON. */
  rejected: number;
  /** Resolves once spans named `name` (at least `count`) have arrived. */
  waitForSpan(name: string, o?: { count?: number; timeoutMs?: number }): Promise<ReceivedSpan[]>;
  close(): Promise<void>;
}

/* eslint-disable @typescript-eslint/no-explicit-any */
function attrs(list: any[] | undefined): Record<string, AttrValue> {
  const out: Record<string, AttrValue> = {};
  for (const a of list ?? []) {
    const v = a.value ?? {};
    if ("stringValue" in v) out[a.key] = v.stringValue;
    else if ("intValue" in v) out[a.key] = Number(v.intValue);
    else if ("doubleValue" in v) out[a.key] = Number(v.doubleValue);
    else if ("boolValue" in v) out[a.key] = Boolean(v.boolValue);
    else out[a.key] = null;
  }
  return out;
}

/** OTLP JSON ids are hex strings; older encoders sent base64. Either way, lower-case hex comes out. */
function hexId(v: unknown, bytes: number): string {
  if (typeof v !== "string" || v === "") return "";
  if (new RegExp(`^[0-9a-fA-F]{${bytes * 2}}$`).test(v)) return v.toLowerCase();
  return Buffer.from(v, "base64").toString("hex");
}

export function decodeOtlpJson(body: any): ReceivedSpan[] {
  const out: ReceivedSpan[] = [];
  for (const rs of body?.resourceSpans ?? []) {
    const resource = attrs(rs.resource?.attributes);
    for (const ss of rs.scopeSpans ?? []) {
      for (const s of ss.spans ?? []) {
        out.push({
          name: s.name,
          traceId: hexId(s.traceId, 16),
          spanId: hexId(s.spanId, 8),
          parentSpanId: hexId(s.parentSpanId, 8),
          kind: s.kind ?? 0,
          startNs: BigInt(s.startTimeUnixNano ?? 0),
          endNs: BigInt(s.endTimeUnixNano ?? 0),
          attributes: attrs(s.attributes),
          status: { code: s.status?.code ?? 0, ...(s.status?.message ? { message: s.status.message } : {}) },
          events: (s.events ?? []).map((e: any) => ({ name: e.name, attributes: attrs(e.attributes) })),
          resource,
        });
      }
    }
  }
  return out;
}
/* eslint-enable @typescript-eslint/no-explicit-any */

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  const exportHeaders: Array<Record<string, string>> = [];
  const waiters = new Set<() => void>();
  const state = { rejected: 0 };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(", ") : v;
      if (req.method !== "POST" || new URL(req.url ?? "/", "http://x").pathname !== "/v1/traces") {
        res.writeHead(404).end();
        return;
      }
      exportHeaders.push(headers);
      let decoded: ReceivedSpan[];
      try {
        if (!(headers["content-type"] ?? "").includes("json")) throw new Error("not JSON");
        decoded = decodeOtlpJson(JSON.parse(Buffer.concat(chunks).toString("utf8")));
      } catch {
        state.rejected += 1;
        res.writeHead(415, { "content-type": "text/plain" }).end("otlp receiver: JSON only");
        return;
      }
      spans.push(...decoded);
      for (const w of [...waiters]) w();
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}/v1/traces`,
    spans,
    exportHeaders,
    get rejected() {
      return state.rejected;
    },
    waitForSpan(name, o = {}) {
      const count = o.count ?? 1;
      const timeoutMs = o.timeoutMs ?? 10_000;
      const matching = (): ReceivedSpan[] => spans.filter((s) => s.name === name);
      if (matching().length >= count) return Promise.resolve(matching());
      return new Promise((resolve, reject) => {
        const check = (): void => {
          if (matching().length < count) return;
          cleanup();
          resolve(matching());
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`otlp receiver: waited ${timeoutMs}ms for ${count} '${name}' span(s); got ${spans.map((s) => s.name).join(", ")}`));
        }, timeoutMs);
        const cleanup = (): void => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
