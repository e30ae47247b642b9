import { chmod, lstat, unlink } from "node:fs/promises";
import net from "node:net";
import { lineSplitter, type AcceptConnection } from "./transport.js";

// `--listen unix://PATH`: JSON lines over a unix socket (mode 0600: only this user), one connection per client.

export async function serveUnix(o: { path: string; accept: AcceptConnection; log(line: string): void; signal: AbortSignal }): Promise<void> {
  await removeStaleSocket(o.path);
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    let closed = false;
    const peer = o.accept({
      label: `unix:${o.path}`,
      send: (frame) => {
        if (!closed) socket.write(frame + "\n");
      },
      bufferedBytes: () => socket.writableLength,
      close: () => socket.destroy(),
    });
    const lines = lineSplitter((line) => peer.onFrame(line));
    socket.on("data", (chunk) => lines.push(chunk));
    socket.on("error", () => socket.destroy());
    socket.on("close", () => {
      if (closed) return;
      closed = true;
      sockets.delete(socket);
      peer.onClose();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(o.path, () => resolve());
  });
  await chmod(o.path, 0o600);
  o.log(`app-server: listening on unix://${o.path}`);
  await new Promise<void>((resolve) => {
    if (o.signal.aborted) return resolve();
    o.signal.addEventListener("abort", () => resolve(), { once: true });
  });
  for (const s of sockets) s.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await unlink(o.path).catch(() => {});
}

/** A socket file left by a server that is gone is removed; a live one (or a non-socket) is an error. */
async function removeStaleSocket(file: string): Promise<void> {
  const st = await lstat(file).catch(() => null);
  if (!st) return;
  if (!st.isSocket()) throw new Error(`--listen unix://${file}: the path exists and is not a socket`);
  const live = await new Promise<boolean>((resolve) => {
    const probe = net.connect(file, () => {
      probe.destroy();
      resolve(true);
    });
    probe.once("error", () => resolve(false));
  });
  if (live) throw new Error(`--listen unix://${file}: another server is listening there`);
  await unlink(file);
}
