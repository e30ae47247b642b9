import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, test } from "vitest";
import { createNodeHttpFetch } from "./node-http-fetch.js";

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void;

let server: http.Server | undefined;

async function serve(handler: Handler): Promise<string> {
  server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => handler(req, res, body));
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/responses`;
}

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

async function readAll(body: ReadableStream<Uint8Array>): Promise<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let out = "";
  for (let r = await reader.read(); !r.done; r = await reader.read()) out += decoder.decode(r.value, { stream: true });
  return out;
}

describe("createNodeHttpFetch", () => {
  test("posts the body with its length and headers; streams the reply; reuses the connection", async () => {
    const seen: { body: string; length?: string; auth?: string; port: number }[] = [];
    const url = await serve((req, res, body) => {
      seen.push({ body, length: req.headers["content-length"], auth: req.headers.authorization, port: req.socket.remotePort! });
      res.writeHead(200, { "content-type": "text/event-stream", "x-multi": ["a", "b"] });
      res.write("data: one\n\n");
      setImmediate(() => res.end("data: two\n\n"));
    });
    const fetch = createNodeHttpFetch();
    for (const n of [1, 2]) {
      const res = await fetch(url, { method: "POST", headers: { authorization: "Bearer k" }, body: `{"n":${n}}` });
      expect(res.ok).toBe(true);
      expect(res.status).toBe(200);
      expect(res.headers.get("Content-Type")).toBe("text/event-stream");
      expect(res.headers.get("x-multi")).toBe("a, b");
      expect(res.headers.get("missing")).toBeNull();
      expect(await readAll(res.body!)).toBe("data: one\n\ndata: two\n\n");
    }
    expect(seen.map((s) => [s.body, s.length, s.auth])).toEqual([
      ['{"n":1}', "7", "Bearer k"],
      ['{"n":2}', "7", "Bearer k"],
    ]);
    expect(seen[1]!.port).toBe(seen[0]!.port);
  });

  test("an error reply is not ok and its text is readable", async () => {
    const url = await serve((_req, res) => res.writeHead(429, { "retry-after": "2" }).end('{"error":"slow"}'));
    const res = await createNodeHttpFetch()(url, { method: "POST", body: "{}" });
    expect(res.ok).toBe(false);
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("2");
    expect(await res.text()).toBe('{"error":"slow"}');
  });

  test("aborting mid-body rejects the pending read with an AbortError", async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200);
      res.write("data: first\n\n");
    });
    const controller = new AbortController();
    const res = await createNodeHttpFetch()(url, { method: "POST", body: "{}", signal: controller.signal });
    const reader = res.body!.getReader();
    expect((await reader.read()).done).toBe(false);
    const pending = reader.read();
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
  });

  test("a connection cut mid-body rejects the read; a refused connection rejects the fetch", async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { "content-length": "100" });
      res.write("partial");
      setImmediate(() => res.socket?.destroy());
    });
    const res = await createNodeHttpFetch()(url, { method: "POST", body: "{}" });
    await expect(readAll(res.body!)).rejects.toThrow();
    const closed = url.replace(/:\d+\//, ":1/");
    await expect(createNodeHttpFetch()(closed, { method: "POST", body: "{}" })).rejects.toThrow();
  });

  test("an already aborted signal rejects before connecting", async () => {
    let hits = 0;
    const url = await serve((_req, res) => (hits++, res.end()));
    const controller = new AbortController();
    controller.abort();
    await expect(createNodeHttpFetch()(url, { method: "POST", body: "{}", signal: controller.signal })).rejects.toMatchObject({
      name: "AbortError",
    });
    expect(hits).toBe(0);
  });
});
