// Reads an SSE body into event `data` strings with an idle deadline and prompt cancellation.
import { createParser } from "eventsource-parser";
import { abortError } from "./abort.js";

/** No SSE event arrived within the idle window (comments and partial lines do not count). */
export class SseIdleTimeout extends Error {
  constructor() {
    super("idle timeout waiting for SSE");
    this.name = "SseIdleTimeout";
  }
}

export async function* readSseData(
  body: ReadableStream<Uint8Array>,
  o: { idleTimeoutMs: number; signal: AbortSignal },
): AsyncGenerator<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const pending: string[] = [];
  const parser = createParser({ onEvent: (e) => pending.push(e.data) });
  try {
    let deadline = Date.now() + o.idleTimeoutMs;
    for (;;) {
      if (pending.length > 0) {
        while (pending.length > 0) yield pending.shift() as string;
        deadline = Date.now() + o.idleTimeoutMs;
      }
      const r = await readWithDeadline(reader, deadline - Date.now(), o.signal);
      if (r === "timeout") throw new SseIdleTimeout();
      if (r.done) {
        parser.feed(decoder.decode());
        while (pending.length > 0) yield pending.shift() as string;
        return;
      }
      parser.feed(decoder.decode(r.value, { stream: true }));
    }
  } finally {
    reader.cancel().catch(() => {});
  }
}

function readWithDeadline(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  ms: number,
  signal: AbortSignal,
): Promise<ReadableStreamReadResult<Uint8Array> | "timeout"> {
  if (signal.aborted) return Promise.reject(abortError());
  return new Promise((resolve, reject) => {
    const cleanup = (): void => {
      clearTimeout(timer);
      signal.removeEventListener("abort", onAbort);
    };
    const onAbort = (): void => {
      cleanup();
      reject(abortError());
    };
    const timer = setTimeout(() => {
      cleanup();
      resolve("timeout");
    }, Math.max(ms, 0));
    signal.addEventListener("abort", onAbort, { once: true });
    reader.read().then(
      (r) => {
        cleanup();
        resolve(r);
      },
      (e: unknown) => {
        cleanup();
        reject(e);
      },
    );
  });
}
