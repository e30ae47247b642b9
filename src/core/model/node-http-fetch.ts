// The subset of `fetch` the Responses client uses, on node:http/https. The global fetch is undici:
// loading and compiling it (and web streams) costs ~40 ms on the first request, and its WebAssembly
// HTTP parser keeps a background compile running at exit; node:http parses in C++ and is part of
// Node's start-up snapshot. The body is handed out through a minimal `getReader()` over the socket.
import type { IncomingMessage } from "node:http";
import http from "node:http";
import { abortError } from "./abort.js";

type ReadResult = { done: false; value: Uint8Array } | { done: true; value: undefined };

/** The part of a web ReadableStream reader that readSseData and text() use. */
interface BodyReader {
  read(): Promise<ReadResult>;
  cancel(): Promise<void>;
}

/** A pull reader over an IncomingMessage: chunks queue up until read; end and errors settle pending reads. */
function bodyReader(res: IncomingMessage, o: { signal: AbortSignal | undefined; onEnd: () => void }): BodyReader {
  const chunks: Uint8Array[] = [];
  const waiting: { resolve: (r: ReadResult) => void; reject: (e: Error) => void }[] = [];
  const state: { ended: boolean; error: Error | null } = { ended: false, error: null };
  const fail = (e: Error): void => {
    state.error ??= o.signal?.aborted ? abortError() : e;
  };
  const flush = (): void => {
    while (waiting.length > 0) {
      const chunk = chunks.shift();
      if (chunk) waiting.shift()!.resolve({ done: false, value: chunk });
      else if (state.error) waiting.shift()!.reject(state.error);
      else if (state.ended) waiting.shift()!.resolve({ done: true, value: undefined });
      else return;
    }
  };
  res.on("data", (c: Buffer) => {
    chunks.push(new Uint8Array(c.buffer, c.byteOffset, c.length));
    flush();
  });
  res.on("end", () => {
    state.ended = true;
    o.onEnd();
    flush();
  });
  res.on("error", (e) => {
    fail(e);
    flush();
  });
  res.on("close", () => {
    if (!res.complete) fail(new Error("connection closed mid-body"));
    flush();
  });
  return {
    read: () =>
      new Promise<ReadResult>((resolve, reject) => {
        waiting.push({ resolve, reject });
        flush();
      }),
    cancel: async () => {
      if (!state.ended) res.destroy();
    },
  };
}

/** A fetch for POSTs with string bodies; one keep-alive agent per client, so follow-up requests reuse the connection. */
export function createNodeHttpFetch(): typeof fetch {
  const agents: { http: http.Agent; https?: http.Agent } = { http: new http.Agent({ keepAlive: true }) };
  const doFetch = async (input: string | URL | Request, init: RequestInit = {}) => {
    const url = new URL(typeof input === "string" || input instanceof URL ? input : input.url);
    const secure = url.protocol === "https:";
    // TLS is loaded only for https providers.
    const https = secure ? (await import("node:https")).default : undefined;
    const mod = https ?? http;
    const agent = https ? (agents.https ??= new https.Agent({ keepAlive: true })) : agents.http;
    const signal = init.signal ?? undefined;
    if (signal?.aborted) throw abortError();
    const body = typeof init.body === "string" ? Buffer.from(init.body) : undefined;
    const headers: Record<string, string> = { ...(init.headers as Record<string, string> | undefined) };
    if (body) headers["content-length"] = String(body.length);
    return new Promise((resolve, reject) => {
      const req = mod.request(url, { method: init.method ?? "GET", headers, agent });
      const onAbort = (): void => void req.destroy(abortError());
      signal?.addEventListener("abort", onAbort, { once: true });
      req.on("error", (e) => {
        signal?.removeEventListener("abort", onAbort);
        reject(signal?.aborted ? abortError() : e);
      });
      req.on("response", (res) => {
        // Once the body is complete the socket goes back to the pool; a later abort must not destroy it.
        const reader = bodyReader(res, { signal, onEnd: () => signal?.removeEventListener("abort", onAbort) });
        const status = res.statusCode ?? 0;
        resolve({
          ok: status >= 200 && status < 300,
          status,
          headers: {
            get(name: string): string | null {
              const v = res.headers[name.toLowerCase()];
              return v === undefined ? null : Array.isArray(v) ? v.join(", ") : v;
            },
          },
          body: { getReader: () => reader },
          async text(): Promise<string> {
            const decoder = new TextDecoder();
            let out = "";
            for (let r = await reader.read(); !r.done; r = await reader.read()) out += decoder.decode(r.value, { stream: true });
            return out + decoder.decode();
          },
        });
      });
      req.end(body);
    });
  };
  return doFetch as unknown as typeof fetch;
}
