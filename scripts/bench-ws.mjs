#!/usr/bin/env node
// Websocket vs HTTP for the Responses API, and exec start-up with OpenTelemetry off.
//  1. In process (the model client bundled from src/): a 10-request tool loop whose history grows by a 4 KiB
//     tool output per request, over HTTP (whole history each time, keep-alive) and over one websocket
//     (previous_response_id + the new items), against a loopback server answering each request with 20 deltas.
//     Median per request, first request (websocket: including the connect) apart, and bytes sent.
//  2. `exec --json` of a plain turn, spawned: HTTP provider; built-in provider on a server refusing the upgrade
//     (426: the fallback); with [otel] pointing at a local sink; and the base build (BENCH_BASE_BIN, default
//     /work/main/bin/codex.js) when present, so "start-up unchanged with otel off" is a paired figure.
// Runs alone: `node scripts/bench-ws.mjs` (BENCH_RUNS, default 9); `npm run build` first.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import { WebSocketServer } from "ws";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const LOOP = 10;
const BASE_BIN = process.env.BENCH_BASE_BIN ?? "/work/main/bin/codex.js";

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function responseEvents(id) {
  const deltas = Array.from({ length: 20 }, (_, i) => ({ type: "response.output_text.delta", item_id: "m", delta: `w${i} ` }));
  return [
    { type: "response.created", response: { id } },
    ...deltas,
    { type: "response.output_item.done", item: { type: "message", role: "assistant", id: `m_${id}`, content: [{ type: "output_text", text: "done", annotations: [] }] } },
    { type: "response.completed", response: { id, usage: { input_tokens: 1, input_tokens_details: { cached_tokens: 0 }, output_tokens: 1, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 2 } } },
  ];
}

/** A loopback Responses server speaking SSE over POST and the same events over a websocket (unless `refuseUpgrade`). */
function startServer({ refuseUpgrade = false } = {}) {
  const stats = { httpBytes: 0, wsBytes: 0, posts: 0, upgrades: 0 };
  let n = 0;
  const server = http.createServer((req, res) => {
    let size = 0;
    req.on("data", (c) => (size += c.length));
    req.on("end", () => {
      if (req.method !== "POST") return void res.writeHead(404).end();
      stats.posts += 1;
      stats.httpBytes += size;
      const body = responseEvents(`r${++n}`).map((e) => `event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`).join("");
      res.writeHead(200, { "content-type": "text/event-stream" }).end(body);
    });
  });
  const wss = new WebSocketServer({ noServer: true });
  server.on("upgrade", (req, socket, head) => {
    stats.upgrades += 1;
    if (refuseUpgrade) return void socket.end("HTTP/1.1 426 Upgrade Required\r\ncontent-length: 0\r\n\r\n");
    wss.handleUpgrade(req, socket, head, (ws) => {
      ws.on("message", (raw) => {
        stats.wsBytes += raw.length;
        for (const e of responseEvents(`r${++n}`)) ws.send(JSON.stringify(e));
      });
    });
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({
        url: `http://127.0.0.1:${server.address().port}/v1`,
        stats,
        close: () => {
          for (const c of wss.clients) c.terminate();
          server.closeAllConnections();
          server.close();
        },
      }),
    ),
  );
}

async function loadClient() {
  // Inside the repository, so the bundle's `import("ws")` resolves from node_modules.
  const cache = path.join(ROOT, ".bench-cache");
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(path.join(cache, "ws-client-"));
  const out = path.join(dir, "client.mjs");
  await build({
    stdin: {
      contents: [
        `export { createWsTransport } from "./src/core/model/ws-responses-client.ts";`,
        `export { createResponsesClient } from "./src/core/model/responses-client.ts";`,
        `export { createNodeHttpFetch } from "./src/core/model/node-http-fetch.ts";`,
      ].join("\n"),
      resolveDir: ROOT,
      loader: "ts",
    },
    bundle: true,
    platform: "node",
    format: "esm",
    outfile: out,
    logLevel: "error",
    external: ["ws"],
  });
  return import(pathToFileURL(out).href);
}

async function benchLoop(lib, transport) {
  const server = await startServer();
  const provider = {
    id: "bench", name: "bench", baseUrl: server.url, wireApi: "responses", queryParams: {}, httpHeaders: {}, envHttpHeaders: {},
    requestMaxRetries: 0, streamMaxRetries: 0, streamIdleTimeoutMs: 10_000, requiresOpenaiAuth: false, builtIn: false, supportsWebsockets: true,
  };
  const common = { provider, auth: async () => "sk-bench", originator: "codex_exec", version: "0.0.0", env: {} };
  const httpClient = lib.createResponsesClient({ ...common, fetch: lib.createNodeHttpFetch() });
  const ws = transport === "websocket" ? lib.createWsTransport({ ...common, http: httpClient }).client() : null;
  const client = ws ?? httpClient;
  const signal = new AbortController().signal;
  const history = [{ type: "message", role: "developer", content: [{ type: "input_text", text: "x".repeat(8_000) }] }];
  history.push({ type: "message", role: "user", content: [{ type: "input_text", text: "go" }] });
  const times = [];
  for (let i = 0; i < LOOP; i++) {
    const started = performance.now();
    let last;
    for await (const ev of client.stream({ model: "gpt-5.5", input: history, tools: [], parallelToolCalls: true, promptCacheKey: "t", headers: {} }, signal)) {
      if (ev.type === "output_item_done") last = ev.item;
    }
    times.push(performance.now() - started);
    history.push(last, { type: "message", role: "user", content: [{ type: "input_text", text: "y".repeat(4_096) }] });
  }
  ws?.close();
  server.close();
  return { first: times[0], rest: median(times.slice(1)), bytes: transport === "websocket" ? server.stats.wsBytes : server.stats.httpBytes, fellBack: transport === "websocket" && server.stats.posts > 0 };
}

function runExec(bin, env, cwd) {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, [bin, "exec", "--json", "--skip-git-repo-check", "say ok"], { env, cwd, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.on("close", () => resolve({ ms: performance.now() - started, ok: out.includes('"turn.completed"') }));
  });
}

async function benchExec() {
  const plain = await startServer({ refuseUpgrade: true });
  const sink = http.createServer((req, res) => req.resume().on("end", () => res.writeHead(200, { "content-type": "application/json" }).end("{}")));
  await new Promise((r) => sink.listen(0, "127.0.0.1", r));
  const root = mkdtempSync(path.join(os.tmpdir(), "codex-bench-wsexec-"));
  const provider = [`model_provider = "bench"`, `[model_providers.bench]`, `name = "bench"`, `base_url = "${plain.url}"`, `env_key = "CODEX_API_KEY"`, `wire_api = "responses"`];
  const configs = {
    "HTTP provider, otel off": [`model = "gpt-5.5"`, ...provider],
    "built-in provider, upgrade refused (426 → HTTP)": [`model = "gpt-5.5"`, `openai_base_url = "${plain.url}"`],
    "HTTP provider, [otel] otlp-http on": [`model = "gpt-5.5"`, ...provider, `[otel.trace_exporter.otlp-http]`, `endpoint = "http://127.0.0.1:${sink.address().port}/v1/traces"`],
  };
  const ours = path.join(ROOT, "bin", "codex.js");
  const cases = Object.entries(configs).map(([name, lines]) => ({ name, bin: ours, lines }));
  if (existsSync(BASE_BIN)) cases.push({ name: `base build (${BASE_BIN}), HTTP provider`, bin: BASE_BIN, lines: configs["HTTP provider, otel off"] });
  const homes = cases.map((c, i) => {
    const home = path.join(root, `home-${i}`);
    mkdirSync(home, { recursive: true });
    writeFileSync(path.join(home, "config.toml"), c.lines.join("\n") + "\n");
    return { PATH: process.env.PATH, HOME: home, CODEX_HOME: home, CODEX_API_KEY: "sk-bench", LANG: "C.UTF-8" };
  });
  const times = cases.map(() => []);
  let failures = 0;
  for (let run = 0; run < RUNS + 1; run++) {
    // The order rotates every round: under load, a fixed order biases whoever runs in the same slot.
    for (let k = 0; k < cases.length; k++) {
      const i = (k + run) % cases.length;
      const r = await runExec(cases[i].bin, homes[i], root);
      if (!r.ok) failures += 1;
      if (run > 0) times[i].push(r.ms); // the first round warms the disk cache
    }
  }
  plain.close();
  sink.close();
  rmSync(root, { recursive: true, force: true });
  return { rows: cases.map((c, i) => ({ name: `exec plain turn: ${c.name}`, ms: median(times[i]), note: `min ${Math.min(...times[i]).toFixed(1)}, max ${Math.max(...times[i]).toFixed(1)}` })), failures };
}

export async function benchWs() {
  const lib = await loadClient();
  const rows = [];
  const per = { http: [], websocket: [] };
  for (let i = 0; i < RUNS; i++) for (const t of ["http", "websocket"]) per[t].push(await benchLoop(lib, t));
  for (const t of ["http", "websocket"]) {
    const rs = per[t];
    rows.push({ name: `${t}: first request of the loop`, ms: median(rs.map((r) => r.first)), note: t === "websocket" ? "includes the connect" : "includes the TCP connect" });
    rows.push({ name: `${t}: later requests (median of ${LOOP - 1})`, ms: median(rs.map((r) => r.rest)), note: `${Math.round(rs[0].bytes / 1024)} KiB sent for ${LOOP} requests${rs.some((r) => r.fellBack) ? ", FELL BACK" : ""}` });
  }
  const exec = await benchExec();
  rows.push(...exec.rows);
  if (exec.failures > 0) rows.push({ name: "exec runs without turn.completed", ms: exec.failures, note: "check the build" });
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(`load average at start: ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}; runs ${RUNS}`);
  for (const r of await benchWs()) console.log(`${r.name}: ${r.ms.toFixed(1)} ms${r.note ? ` (${r.note})` : ""}`);
  console.log(`load average at end: ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
}
