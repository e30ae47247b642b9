import { expect, test } from "vitest";
import { z } from "zod";
import { createConnection, type ServerServices } from "./connection.js";
import { defineMethod, methodTable } from "./method-table.js";
import type { Transport } from "./transports/transport.js";

function harness(o: { unread?: () => number } = {}) {
  const frames: unknown[] = [];
  const logs: string[] = [];
  let closed = 0;
  const transport: Transport = {
    label: "test",
    send: (f) => void frames.push(JSON.parse(f)),
    bufferedBytes: () => o.unread?.() ?? 0,
    close: () => void closed++,
  };
  const table = methodTable([
    defineMethod({ method: "echo", params: z.object({ text: z.string() }), result: z.object({ text: z.string() }), handle: async (p) => ({ text: p.text }) }),
    defineMethod({ method: "trace/echo", params: z.object({}), result: z.object({ traceparent: z.string().nullable() }), handle: async (_p, ctx) => ({ traceparent: ctx.trace?.traceparent ?? null }) }),
    defineMethod({ method: "exp/thing", params: z.object({}), result: z.object({}), experimental: true, handle: async () => ({}) }),
    defineMethod({ method: "broken", params: z.object({}), result: z.object({ n: z.number() }), handle: async () => ({ n: "x" as unknown as number }) }),
  ]);
  const services = {
    threads: {} as ServerServices["threads"],
    runtimes: {} as ServerServices["runtimes"],
    config: { codexHome: "/h", cwd: "/", env: {}, baseOverrides: [], version: "1" },
    userAgent: () => "ua",
    platform: { family: "unix", os: "linux" },
    log: (l: string) => void logs.push(l),
  } satisfies ServerServices;
  const conn = createConnection({ id: 1, transport, table, services, maxBufferedBytes: 1000 });
  const settle = () => new Promise((r) => setImmediate(r));
  return { conn, frames, logs, closed: () => closed, settle };
}

const init = (capabilities: unknown) => JSON.stringify({ id: 0, method: "initialize", params: { clientInfo: { name: "c", title: null, version: "1" }, capabilities } });

test("experimental methods need capabilities.experimentalApi; results are checked against their schema", async () => {
  const h = harness();
  h.conn.onFrame(init(null));
  h.conn.onFrame(JSON.stringify({ id: 1, method: "exp/thing", params: {} }));
  h.conn.onFrame(JSON.stringify({ id: 2, method: "echo", params: { text: "hi" } }));
  h.conn.onFrame(JSON.stringify({ id: 3, method: "broken", params: {} }));
  await h.settle();
  expect(h.frames.slice(1)).toEqual([
    { error: { code: -32600, message: "exp/thing requires experimentalApi capability" }, id: 1 },
    { id: 2, result: { text: "hi" } },
    { error: { code: -32603, message: "Internal error: broken result is invalid" }, id: 3 },
  ]);
  const h2 = harness();
  h2.conn.onFrame(init({ experimentalApi: true }));
  h2.conn.onFrame(JSON.stringify({ id: 1, method: "exp/thing", params: {} }));
  await h2.settle();
  expect(h2.frames[1]).toEqual({ id: 1, result: {} });
});

test("a client that stops reading is dropped with a log line, and its pending server requests fail", async () => {
  let unread = 0;
  const h = harness({ unread: () => unread });
  h.conn.onFrame(init(null));
  const pending = h.conn.request({ method: "ask", params: z.object({}), result: z.object({}) }, {}).result;
  unread = 5000;
  h.conn.notify({ method: "note", params: z.object({}) }, {});
  expect(h.closed()).toBe(1);
  expect(h.logs).toEqual([expect.stringMatching(/client on test stopped reading \(5000 bytes unread\); dropping the connection/)]);
  await expect(pending).rejects.toThrow("the client disconnected");
  const before = h.frames.length;
  h.conn.notify({ method: "note", params: z.object({}) }, {});
  expect(h.frames.length).toBe(before);
});

test("server requests are numbered from 0 and a client's answer is validated", async () => {
  const h = harness();
  h.conn.onFrame(init(null));
  const def = { method: "ask", params: z.object({}), result: z.object({ decision: z.enum(["accept", "decline"]) }) };
  const first = h.conn.request(def, {});
  const second = h.conn.request(def, {});
  expect([first.id, second.id]).toEqual([0, 1]);
  h.conn.onFrame(JSON.stringify({ id: 0, result: { decision: "accept" } }));
  h.conn.onFrame(JSON.stringify({ id: 1, result: { decision: "maybe" } }));
  await expect(first.result).resolves.toEqual({ decision: "accept" });
  await expect(second.result).rejects.toThrow(/invalid response to server request 1: decision/);
});

test("a request's W3C trace context (the envelope's `trace`) reaches its handler", async () => {
  const h = harness();
  h.conn.onFrame(init(null));
  h.conn.onFrame(JSON.stringify({ id: 1, method: "trace/echo", params: {}, trace: { traceparent: "00-abc-def-01", tracestate: null } }));
  h.conn.onFrame(JSON.stringify({ id: 2, method: "trace/echo", params: {} }));
  await h.settle();
  expect(h.frames.slice(1)).toEqual([
    { id: 1, result: { traceparent: "00-abc-def-01" } },
    { id: 2, result: { traceparent: null } },
  ]);
});
