#!/usr/bin/env node
// MCP start-up cost: `exec --json` of a plain turn with 0, 1 and 3 stdio MCP servers configured (the SDK
// fault server from test/support), ours and the reference (when its native binary is cached). Each run
// has its own model server answering "ok". Runs alone: `node scripts/bench-mcp.mjs` (BENCH_RUNS, default 7).
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const FAULT = path.join(ROOT, "test", "support", "mcp-fault-server.mjs");
const REF =
  process.env.CODEX_REF_BIN ??
  path.join(ROOT, ".bench-cache/ref-0.169.0/node_modules/@openai/codex-linux-x64/vendor/x86_64-unknown-linux-musl/bin/codex");
const ALT_REF = "/work/wt/bench/.bench-cache/ref-0.169.0/node_modules/@openai/codex-linux-x64/vendor/x86_64-unknown-linux-musl/bin/codex";

const frame = (o) => `event: ${o.type}\ndata: ${JSON.stringify(o)}\n\n`;
const OK_BODY = [
  { type: "response.created", response: { id: "r" } },
  { type: "response.output_item.done", item: { type: "message", role: "assistant", id: "m", content: [{ type: "output_text", text: "ok", annotations: [] }] } },
  { type: "response.completed", response: { id: "r", usage: { input_tokens: 1, input_tokens_details: { cached_tokens: 0 }, output_tokens: 1, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 2 } } },
].map(frame).join("");

function modelServer() {
  return new Promise((resolve) => {
    const server = http.createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        if (req.method !== "POST") return void res.writeHead(426).end();
        res.writeHead(200, { "content-type": "text/event-stream" }).end(OK_BODY);
      });
    });
    server.listen(0, "127.0.0.1", () => resolve({ url: `http://127.0.0.1:${server.address().port}/v1`, close: () => server.close() }));
  });
}

function runOnce(argv, env, cwd) {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(argv[0], [...argv.slice(1), "exec", "--json", "--skip-git-repo-check", "say ok"], { env, cwd, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.on("close", () => resolve({ ms: performance.now() - started, ok: out.includes('"turn.completed"') }));
  });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function main() {
  const model = await modelServer();
  // Homes live in a cache dir, not in /tmp: the reference refuses some set-up under a temporary dir.
  const cache = process.env.CODEX_BENCH_CACHE ?? path.join(ROOT, ".bench-cache");
  mkdirSync(cache, { recursive: true });
  const root = mkdtempSync(path.join(cache, "mcp-"));
  const ref = existsSync(REF) ? REF : existsSync(ALT_REF) ? ALT_REF : null;
  const binaries = [{ name: "codex-ts", argv: [process.execPath, path.join(ROOT, "bin", "codex.js")] }, ...(ref ? [{ name: "reference", argv: [ref] }] : [])];
  const rows = [];
  for (const servers of [0, 1, 3]) {
    const home = path.join(root, `home-${servers}`);
    mkdirSync(home, { recursive: true });
    const toml = [
      `model = "gpt-5.5"`,
      `model_provider = "bench"`,
      `[model_providers.bench]`,
      `name = "bench"`,
      `base_url = "${model.url}"`,
      `env_key = "CODEX_API_KEY"`,
      `wire_api = "responses"`,
      `supports_websockets = false`,
      ...Array.from({ length: servers }, (_, i) => `[mcp_servers.s${i}]\ncommand = ${JSON.stringify(process.execPath)}\nargs = [${JSON.stringify(FAULT)}]`),
      "",
    ].join("\n");
    writeFileSync(path.join(home, "config.toml"), toml);
    const env = { PATH: process.env.PATH, HOME: home, CODEX_HOME: home, CODEX_API_KEY: "sk-bench", LANG: "C.UTF-8" };
    for (const bin of binaries) {
      const times = [];
      let failures = 0;
      for (let i = 0; i < RUNS; i++) {
        const r = await runOnce(bin.argv, env, os.tmpdir());
        if (r.ok) times.push(r.ms);
        else failures++;
      }
      rows.push({ binary: bin.name, servers, median_ms: Math.round(median(times)), min_ms: Math.round(Math.min(...times)), failures });
    }
  }
  model.close();
  rmSync(root, { recursive: true, force: true });
  console.table(rows);
}

await main();
