// Benchmarks unified exec in-process: bundles src/core/tools/handlers/unified-exec-sessions.ts and the local runner
// with esbuild into a temp file, imports them, and measures
//   (1) exec_command round trip for `true`, pipe and tty (median / p90 of RUNS, after one warm-up),
//   (2) write_stdin on a tty `cat`: time until the typed line echoes back, and the call's overhead above its yield,
//   (3) peak RSS (VmHWM) of a fresh process while `head -c 1GiB /dev/zero | tr '\0' a` streams through exec_command.
// and, side by side with the reference binary when one is found (CODEX_REF_BIN, or under CODEX_BENCH_CACHE /
// .bench-cache as `npm run bench` installs it), through the real CLIs against a loopback model server:
//   (4) per-call round trip of exec_command `true` (pipe, tty): the gap between the model request that carried the
//       call and the next one,
//   (5) max RSS (/usr/bin/time %M) of `exec --json` while a 1 GiB flood streams through exec_command.
// Run alone: `node scripts/bench-unified-exec.mjs` (no network; needs @lydell/node-pty for tty; build dist/ first).
import { build } from "esbuild";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath, pathToFileURL } from "node:url";
import { startBenchModelServer } from "./bench-model-server.mjs";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const RUNS = 30;
const GIB = 1024 * 1024 * 1024;

/** The bundle lives under the repo (dist/, never committed) so its external @lydell/node-pty resolves from node_modules. */
async function loadModules(bundleDir) {
  fs.mkdirSync(bundleDir, { recursive: true });
  const entry = path.join(bundleDir, "entry.ts");
  fs.writeFileSync(
    entry,
    [
      `export { createUnifiedExecTools } from ${JSON.stringify(path.join(repo, "src/core/tools/handlers/unified-exec-sessions.ts"))};`,
      `export { createLocalExecRunner } from ${JSON.stringify(path.join(repo, "src/core/exec/local-runner.ts"))};`,
    ].join("\n"),
  );
  const outfile = path.join(bundleDir, "uexec.mjs");
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: "node",
    format: "esm",
    outfile,
    external: ["@lydell/node-pty"],
    nodePaths: [path.join(repo, "node_modules")],
    logLevel: "silent",
  });
  return import(pathToFileURL(outfile).href);
}

function stats(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  return { median: at(0.5), p90: at(0.9) };
}

const fmt = (ms) => `${ms.toFixed(1)} ms`;

/** `keepEvents: false` drops the events as a front end that consumes them would (a 1 GiB flood is 1 GiB of deltas). */
function harness(mod, work, { keepEvents = true } = {}) {
  const tools = mod.createUnifiedExecTools({});
  const events = [];
  const ctx = {
    cwd: work,
    callId: "bench",
    sandboxPolicy: { mode: "danger-full-access" },
    approvalPolicy: "never",
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: os.homedir() },
    exec: mod.createLocalExecRunner({ spoolDir: path.join(work, "spool") }),
    spoolDir: path.join(work, "spool"),
    approval: {
      decide: async () => "approved",
      review: async () => ({ decision: "approved", sandboxed: true }),
    },
    emit: (msg) => {
      if (keepEvents) events.push(msg);
    },
    signal: new AbortController().signal,
  };
  const call = (tool, args) => tool.handle(tool.args.parse(args), ctx);
  return {
    tools,
    events,
    exec: (args) => call(tools.execCommand, { login: false, ...args }),
    write: (args) => call(tools.writeStdin, args),
  };
}

async function roundTrips(mod, work, tty) {
  const h = harness(mod, work);
  const times = [];
  for (let i = 0; i <= RUNS; i++) {
    const t0 = performance.now();
    const out = await h.exec({ cmd: "true", tty, yield_time_ms: 10_000 });
    const dt = performance.now() - t0;
    if (!/Process exited with code 0/.test(out.content)) throw new Error(`unexpected output: ${out.content}`);
    if (i > 0) times.push(dt);
  }
  await h.tools.dispose();
  return stats(times);
}

async function writeStdinLatency(mod, work) {
  const h = harness(mod, work);
  const started = await h.exec({ cmd: "cat", tty: true, yield_time_ms: 250 });
  const id = Number(/session ID (\d+)/.exec(started.content)?.[1]);
  const echoes = [];
  const overheads = [];
  for (let i = 0; i <= RUNS; i++) {
    const token = `ping-${i}-`;
    const seen = h.events.length;
    const t0 = performance.now();
    let echoedAt;
    const watch = setInterval(() => {
      if (echoedAt === undefined && h.events.slice(seen).some((e) => e.type === "exec_command_output_delta" && e.chunk.includes(token))) {
        echoedAt = performance.now();
      }
    }, 0);
    const out = await h.write({ session_id: id, chars: `${token}\n`, yield_time_ms: 250 });
    const done = performance.now();
    clearInterval(watch);
    if (!out.content.includes(token)) throw new Error(`no echo in ${out.content}`);
    if (i > 0) {
      overheads.push(done - t0 - 250);
      if (echoedAt !== undefined) echoes.push(echoedAt - t0);
    }
  }
  await h.tools.dispose();
  return { echo: stats(echoes), overhead: stats(overheads) };
}

function vmHwmKiB() {
  const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync("/proc/self/status", "utf8"));
  return m ? Number(m[1]) : NaN;
}

/** Child mode: stream 1 GiB through exec_command, print baseline and peak VmHWM as JSON. */
async function floodChild(bundle, work) {
  const mod = await import(pathToFileURL(bundle).href);
  const h = harness(mod, work, { keepEvents: false });
  await h.exec({ cmd: "true", yield_time_ms: 5000 });
  const baseline = vmHwmKiB();
  const t0 = performance.now();
  const out = await h.exec({ cmd: `head -c ${GIB} /dev/zero | tr '\\0' a`, yield_time_ms: 30_000 });
  let text = out.content;
  let id = Number(/session ID (\d+)/.exec(text)?.[1]);
  while (!Number.isNaN(id) && /session ID/.test(text)) {
    text = (await h.write({ session_id: id, chars: "", yield_time_ms: 30_000 })).content;
  }
  const seconds = (performance.now() - t0) / 1000;
  const spool = /full output: (\S+) \.\.\.\]/.exec(text)?.[1];
  const spoolBytes = spool ? fs.statSync(spool).size : 0;
  await h.tools.dispose();
  process.stdout.write(JSON.stringify({ baseline, peak: vmHwmKiB(), seconds, spoolBytes }) + "\n");
}

async function flood(bundle, work) {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), "--flood-child", bundle, work], { stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  await new Promise((resolve) => child.on("close", resolve));
  return JSON.parse(out.trim().split("\n").at(-1));
}

function findReference() {
  if (process.env.CODEX_REF_BIN) return process.env.CODEX_REF_BIN;
  const cache = process.env.CODEX_BENCH_CACHE ?? path.join(repo, ".bench-cache");
  const vendor = path.join(cache, `ref-${process.env.CODEX_REF_VERSION ?? "0.169.0"}`, "node_modules", "@openai");
  if (!fs.existsSync(vendor)) return null;
  for (const pkg of fs.readdirSync(vendor)) {
    const dir = path.join(vendor, pkg, "vendor");
    if (!fs.existsSync(dir)) continue;
    for (const triple of fs.readdirSync(dir)) {
      const candidate = path.join(dir, triple, "bin", "codex");
      if (fs.existsSync(candidate)) return candidate;
    }
  }
  return null;
}

function runCli(argv, { env, cwd }) {
  return new Promise((resolve, reject) => {
    const child = spawn("/usr/bin/time", ["-f", "__RSS__%M", ...argv], { env, cwd, stdio: ["pipe", "pipe", "pipe"] });
    let stderr = "";
    child.stdout.resume();
    child.stderr.on("data", (d) => (stderr += d));
    child.stdin.end("");
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) reject(new Error(`${argv.join(" ")} exited ${code}: ${stderr.slice(-600)}`));
      else resolve({ rssKiB: Number(/__RSS__(\d+)/.exec(stderr)?.[1] ?? NaN) });
    });
  });
}

/** Both CLIs against the same loopback model: per-call round trips and the flood's max RSS. */
async function sideBySide() {
  const sseBuild = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "bench-uexec-sse-")), "sse.mjs");
  await build({ entryPoints: [path.join(repo, "test/support/sse.ts")], bundle: true, platform: "node", format: "esm", outfile: sseBuild, logLevel: "silent" });
  const sse = await import(pathToFileURL(sseBuild).href);
  const body = (...events) => sse.sseBody(events);
  const okBody = body(sse.created("r"), sse.textMessage("ok"), sse.completed("r"));
  const server = await startBenchModelServer({ fallbackBody: okBody });
  // The reference refuses some set-up under a temporary dir, so the home lives in the (ignored) .bench-cache.
  fs.mkdirSync(path.join(repo, ".bench-cache"), { recursive: true });
  const home = fs.mkdtempSync(path.join(repo, ".bench-cache", "home-uexec-"));
  const cwd = path.join(home, "repo");
  fs.mkdirSync(cwd);
  fs.writeFileSync(
    path.join(home, "config.toml"),
    [`model = "gpt-5.5"`, `model_provider = "bench"`, `[model_providers.bench]`, `name = "bench"`, `base_url = "${server.url}"`,
      `env_key = "CODEX_API_KEY"`, `wire_api = "responses"`, `supports_websockets = false`, ""].join("\n"),
  );
  const env = { PATH: process.env.PATH, HOME: home, CODEX_HOME: home, CODEX_API_KEY: "sk-bench", LANG: "C.UTF-8" };
  const ref = findReference();
  const bins = [{ name: "codex-ts", argv: [process.execPath, path.join(repo, "bin", "codex.js")] }];
  if (ref) bins.push({ name: "reference", argv: [ref] });
  const CALLS = 8;
  const args = ["exec", "--json", "--ephemeral", "--dangerously-bypass-approvals-and-sandbox", "--skip-git-repo-check", "go"];
  const rows = [];
  try {
    for (const bin of bins) {
      for (const tty of [false, true]) {
        const bodies = [];
        for (let i = 0; i < CALLS; i++) {
          bodies.push(body(sse.created(`r${i}`), sse.functionCall(`c${i}`, "exec_command", { cmd: "true", tty, yield_time_ms: 10_000 }), sse.completed(`r${i}`)));
        }
        server.reset([...bodies, okBody]);
        await runCli([...bin.argv, ...args], { env, cwd });
        const gaps = server.posts.slice(1).map((p, i) => p.at - server.posts[i].at).slice(1); // first call is the cold one
        rows.push(`${bin.name}: exec_command \`true\` ${tty ? "tty " : "pipe"} per-call round trip median ${fmt(stats(gaps).median)} (${gaps.length} warm calls)`);
      }
      server.reset([
        body(sse.created("f"), sse.functionCall("f", "exec_command", { cmd: `head -c ${GIB} /dev/zero | tr '\\0' a`, yield_time_ms: 30_000 }), sse.completed("f")),
        okBody,
      ]);
      const t0 = performance.now();
      const r = await runCli([...bin.argv, ...args], { env, cwd });
      const tail = server.posts.length >= 2 ? "" : " (the flood call did not complete)";
      rows.push(`${bin.name}: 1 GiB flood through exec_command, max RSS ${Math.round(r.rssKiB / 1024)} MiB, ${((performance.now() - t0) / 1000).toFixed(1)} s${tail}`);
    }
  } finally {
    await server.close();
    fs.rmSync(home, { recursive: true, force: true });
  }
  if (!ref) rows.push("reference binary not found (set CODEX_REF_BIN or CODEX_BENCH_CACHE): our figures only");
  return rows;
}

async function main() {
  if (process.argv[2] === "--flood-child") return floodChild(process.argv[3], process.argv[4]);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "bench-uexec-"));
  const bundleDir = fs.mkdtempSync(path.join(repo, "dist", ".bench-uexec-"));
  try {
    const mod = await loadModules(bundleDir);
    const pipe = await roundTrips(mod, work, false);
    console.log(`exec_command \`true\` round trip, pipe: median ${fmt(pipe.median)}, p90 ${fmt(pipe.p90)} (${RUNS} runs)`);
    const tty = await roundTrips(mod, work, true);
    console.log(`exec_command \`true\` round trip, tty:  median ${fmt(tty.median)}, p90 ${fmt(tty.p90)} (${RUNS} runs)`);
    const w = await writeStdinLatency(mod, work);
    console.log(`write_stdin to tty cat: echo after median ${fmt(w.echo.median)}, p90 ${fmt(w.echo.p90)}; call overhead above its 250 ms yield median ${fmt(w.overhead.median)}, p90 ${fmt(w.overhead.p90)}`);
    const f = await flood(path.join(bundleDir, "uexec.mjs"), work);
    const mib = (kib) => `${Math.round(kib / 1024)} MiB`;
    console.log(
      `1 GiB flood through exec_command: ${f.seconds.toFixed(1)} s, VmHWM ${mib(f.baseline)} before -> ${mib(f.peak)} peak; spool ${f.spoolBytes === GIB ? "complete" : `INCOMPLETE (${f.spoolBytes} bytes)`}`,
    );
    if (process.env.BENCH_SKIP_CLI !== "1") for (const row of await sideBySide()) console.log(row);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
    fs.rmSync(bundleDir, { recursive: true, force: true });
  }
}

await main();
