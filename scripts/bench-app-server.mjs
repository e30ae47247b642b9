// app-server figures, ours beside the reference 0.169 (when installed), against the loopback bench model server:
// turn/start → turn/started and → first item/agentMessage/delta (a model that answers at once), and RSS of
// the server process with 20 idle threads. Run alone: `node scripts/bench-app-server.mjs` (after npm run build).
import { spawn, execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import { startBenchModelServer } from "./bench-model-server.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const CACHE = process.env.CODEX_BENCH_CACHE ?? path.join(ROOT, ".bench-cache");
const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const IDLE_THREADS = 20;
const REF_CANDIDATES = [
  process.env.CODEX_REF_BIN,
  path.join(CACHE, "ref-0.169.0/node_modules/@openai/codex-linux-x64/vendor/x86_64-unknown-linux-musl/bin/codex"),
  "/work/wt/bench/.bench-cache/ref-0.169.0/node_modules/@openai/codex-linux-x64/vendor/x86_64-unknown-linux-musl/bin/codex",
].filter(Boolean);

async function bundle(entry, name) {
  const out = path.join(mkdtempSync(path.join(os.tmpdir(), "codex-bench-")), `${name}.mjs`);
  await build({ entryPoints: [entry], bundle: true, platform: "node", format: "esm", outfile: out, logLevel: "silent" });
  return import(pathToFileURL(out).href);
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function client(argv, env, cwd) {
  const child = spawn(argv[0], [...argv.slice(1), "app-server"], { cwd, env, stdio: ["pipe", "pipe", "ignore"] });
  const waiters = new Set();
  const seen = [];
  createInterface({ input: child.stdout }).on("line", (line) => {
    const m = JSON.parse(line);
    m.at = performance.now();
    seen.push(m);
    for (const w of [...waiters]) w(m);
  });
  let id = 1;
  const waitFor = (match, timeoutMs = 30_000) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("bench: timed out")), timeoutMs);
      const w = (m) => {
        if (!match(m)) return;
        clearTimeout(timer);
        waiters.delete(w);
        resolve(m);
      };
      waiters.add(w);
    });
  return {
    child,
    waitFor,
    send(method, params) {
      const n = id++;
      const answer = waitFor((m) => m.id === n && !("method" in m));
      child.stdin.write(JSON.stringify({ id: n, method, params }) + "\n");
      return answer;
    },
    notify: (method) => child.stdin.write(JSON.stringify({ method }) + "\n"),
    close: () => new Promise((resolve) => (child.once("exit", resolve), child.stdin.end())),
  };
}

const rssMiB = (pid) => {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024;
};

async function benchBinary(bin, server, home) {
  const env = { PATH: process.env.PATH, HOME: home, CODEX_HOME: path.join(home, ".codex"), CODEX_API_KEY: "sk-bench", LANG: "C.UTF-8" };
  const c = client(bin.argv, env, path.join(home, "repo"));
  await c.send("initialize", { clientInfo: { name: "bench", title: null, version: "1" }, capabilities: null });
  c.notify("initialized");
  const started = [];
  const firstDelta = [];
  for (let i = 0; i < RUNS; i++) {
    const { result } = await c.send("thread/start", {});
    const threadId = result.thread.id;
    const t0 = performance.now();
    const turnStarted = c.waitFor((m) => m.method === "turn/started" && m.params.threadId === threadId);
    const delta = c.waitFor((m) => m.method === "item/agentMessage/delta" && m.params.threadId === threadId);
    const done = c.waitFor((m) => m.method === "turn/completed" && m.params.threadId === threadId);
    c.child.stdin.write(JSON.stringify({ id: 100000 + i, method: "turn/start", params: { threadId, input: [{ type: "text", text: "hi", text_elements: [] }] } }) + "\n");
    started.push((await turnStarted).at - t0);
    firstDelta.push((await delta).at - t0);
    await done;
  }
  const rssBefore = rssMiB(c.child.pid);
  for (let i = 0; i < IDLE_THREADS; i++) await c.send("thread/start", {});
  const rssIdle = rssMiB(c.child.pid);
  await c.close();
  return { name: bin.name, started: median(started), firstDelta: median(firstDelta), rssBefore, rssIdle };
}

export async function benchAppServer() {
  const sse = await bundle(path.join(ROOT, "test/support/sse.ts"), "sse");
  const okBody = sse.sseBody([sse.created("r"), sse.textMessage("ok"), sse.completed("r")]);
  const server = await startBenchModelServer({ fallbackBody: okBody });
  const binaries = [{ name: "codex-ts", argv: [process.execPath, path.join(ROOT, "bin", "codex.js")] }];
  const ref = REF_CANDIDATES.find((p) => existsSync(p));
  if (ref) binaries.push({ name: "reference 0.169.0", argv: [ref] });
  mkdirSync(CACHE, { recursive: true });
  const rows = [];
  try {
    for (const bin of binaries) {
      // Homes live in the cache, not in /tmp: the reference refuses some set-up under a temporary dir.
      const home = mkdtempSync(path.join(CACHE, "as-home-"));
      mkdirSync(path.join(home, ".codex"));
      mkdirSync(path.join(home, "repo"));
      execFileSync("git", ["init", "-q", path.join(home, "repo")]);
      writeFileSync(
        path.join(home, ".codex", "config.toml"),
        `model = "gpt-5.5"\nmodel_provider = "bench"\n[model_providers.bench]\nname = "bench"\nbase_url = "${server.url}"\nenv_key = "CODEX_API_KEY"\nwire_api = "responses"\n`,
      );
      try {
        rows.push(await benchBinary(bin, server, home));
      } finally {
        rmSync(home, { recursive: true, force: true });
      }
    }
  } finally {
    await server.close();
  }
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(`app-server, ${RUNS} turns per binary (medians), load ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  console.log("| binary | turn/start → turn/started | → first agentMessage delta | RSS after the turns | RSS with +20 idle threads |");
  console.log("|---|---|---|---|---|");
  for (const r of await benchAppServer()) {
    console.log(`| ${r.name} | ${r.started.toFixed(1)} ms | ${r.firstDelta.toFixed(1)} ms | ${r.rssBefore.toFixed(0)} MiB | ${r.rssIdle.toFixed(0)} MiB |`);
  }
}
