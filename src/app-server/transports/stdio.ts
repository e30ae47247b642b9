import type { Readable, Writable } from "node:stream";
import { lineSplitter, type AcceptConnection } from "./transport.js";

// `--listen stdio://`: one connection, JSON lines on stdin/stdout. Resolves when stdin ends.

export function serveStdio(o: { stdin: Readable; stdout: Writable; accept: AcceptConnection; signal?: AbortSignal }): Promise<void> {
  let closed = false;
  const peer = o.accept({
    label: "stdio",
    send: (frame) => {
      if (!closed) o.stdout.write(frame + "\n");
    },
    bufferedBytes: () => o.stdout.writableLength,
    close: () => finish(),
  });
  const lines = lineSplitter((line) => peer.onFrame(line));
  let resolveDone!: () => void;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  function finish(): void {
    if (closed) return;
    closed = true;
    o.stdin.off("data", onData);
    o.stdin.pause();
    peer.onClose();
    resolveDone();
  }
  const onData = (chunk: Buffer) => lines.push(chunk);
  o.stdin.on("data", onData);
  o.stdin.once("end", () => {
    lines.end();
    finish();
  });
  o.stdin.once("error", () => finish());
  o.signal?.addEventListener("abort", () => finish(), { once: true });
  o.stdout.once("error", () => finish());
  return done;
}
