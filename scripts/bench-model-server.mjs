// The benchmark's model: a loopback Responses server that answers each POST with the next scripted SSE
// body (an "ok" message when the script is empty) and records when each request arrived. It counts
// websocket upgrade attempts and other GETs, so a run can prove neither binary tried a websocket.
import http from "node:http";

/** Times are `performance.now()` ms at the end of each request body; `reset(bodies)` scripts the next POSTs. */
export async function startBenchModelServer({ fallbackBody, keepBodies = false }) {
  const queue = [];
  const state = { posts: [], upgrades: 0, gets: [] };
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const at = performance.now();
      if (req.method !== "POST") {
        state.gets.push(req.url);
        res.writeHead(404, { "content-type": "application/json" }).end('{"error":{"message":"not here"}}');
        return;
      }
      const post = { at, url: req.url, bytes: chunks.reduce((n, c) => n + c.length, 0), inputItems: -1 };
      state.posts.push(post);
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
      res.end(queue.shift() ?? fallbackBody);
      // After answering, so the client never waits for this: how many input items the request carried.
      const text = Buffer.concat(chunks).toString("utf8");
      if (keepBodies) post.body = text;
      try {
        post.inputItems = JSON.parse(text).input?.length ?? -1;
      } catch {
        post.inputItems = -1;
      }
    });
  });
  server.on("upgrade", (_req, socket) => {
    state.upgrades += 1;
    socket.end("HTTP/1.1 426 Upgrade Required\r\nconnection: close\r\ncontent-length: 0\r\n\r\n");
  });
  server.keepAliveTimeout = 5_000;
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/v1`,
    /** Starts a new recording with these scripted bodies. */
    reset(bodies = []) {
      queue.length = 0;
      queue.push(...bodies);
      state.posts = [];
      state.gets = [];
      state.upgrades = 0;
    },
    get posts() {
      return state.posts;
    },
    get gets() {
      return state.gets;
    },
    get upgrades() {
      return state.upgrades;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
