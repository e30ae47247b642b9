// `npm run bench`: speed and memory goals, measured against the reference `@openai/codex` binary.
// Prints a markdown table of min/median/max per binary and paired ratios; record it in docs/benchmarks.md.
// Not a test: nothing here fails the build.
import { spawn, execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, mkdirSync, writeFileSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import { startBenchModelServer } from "./bench-model-server.mjs";
import { BENCH_SESSION_ID, writeRollout } from "./bench-rollout.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const CACHE = process.env.CODEX_BENCH_CACHE ?? path.join(ROOT, ".bench-cache");
const REF_VERSION = process.env.CODEX_REF_VERSION ?? "0.169.0";
const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const RESUME_ITEMS = Number(process.env.BENCH_RESUME_ITEMS ?? 10_000);

async function bundle(entry, name) {
  const out = path.join(mkdtempSync(path.join(os.tmpdir(), "codex-bench-")), `${name}.mjs`);
  await build({ entryPoints: [entry], bundle: true, platform: "node", format: "esm", outfile: out, logLevel: "error" });
  return import(pathToFileURL(out).href);
}

function referenceBinary() {
  const prefix = path.join(CACHE, `ref-${REF_VERSION}`);
  const find = () => {
    const vendor = path.join(prefix, "node_modules", "@openai");
    if (!existsSync(vendor)) return null;
    for (const pkg of readdirSync(vendor)) {
      const dir = path.join(vendor, pkg, "vendor");
      if (!existsSync(dir)) continue;
      for (const triple of readdirSync(dir)) {
        for (const candidate of [path.join(dir, triple, "bin", "codex"), path.join(dir, triple, "codex", "codex")]) {
          if (existsSync(candidate)) return candidate;
        }
      }
    }
    return null;
  };
  let bin = find();
  if (!bin) {
    mkdirSync(prefix, { recursive: true });
    console.error(`installing @openai/codex@${REF_VERSION} into ${prefix} ...`);
    try {
      execFileSync("npm", ["install", "--no-save", "--no-audit", "--no-fund", "--prefix", prefix, `@openai/codex@${REF_VERSION}`], {
        stdio: "inherit",
      });
    } catch {
      console.error("reference install failed; reporting our numbers only");
    }
    bin = find();
  }
  return bin;
}

/** The reference in both forms: its native binary, and the npm launcher (bin/codex.js) that spawns it. */
function referenceForms() {
  const native = referenceBinary();
  if (!native) return [];
  const launcher = path.join(CACHE, `ref-${REF_VERSION}`, "node_modules", "@openai", "codex", "bin", "codex.js");
  const forms = [{ name: "ref-native", argv: [native] }];
  if (existsSync(launcher)) forms.push({ name: "ref-npm", argv: [process.execPath, launcher] });
  return forms;
}

/**
 * Runs argv once under GNU time. Returns wall ms, peak RSS (KiB), and when (ms after spawn) the
 * `thread.started` and `turn.completed` lines reached us, and the ms from `turn.completed` to exit.
 */
function runOnce(argv, { env, cwd, stdin }) {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn("/usr/bin/time", ["-f", "__RSS__%M", ...argv], { env, cwd, stdio: ["pipe", "pipe", "pipe"] });
    let stderr = "";
    let pending = "";
    const marks = {};
    child.stdout.on("data", (d) => {
      const now = performance.now() - start;
      pending += d;
      const lines = pending.split("\n");
      pending = lines.pop();
      for (const l of lines) {
        if (l.startsWith('{"type":"thread.started"')) marks.threadStarted ??= now;
        if (l.startsWith('{"type":"turn.completed"')) marks.turnCompleted ??= now;
      }
    });
    child.stderr.on("data", (d) => (stderr += d));
    child.stdin.end(stdin ?? "");
    child.on("error", reject);
    child.on("close", (code) => {
      const ms = performance.now() - start;
      const rss = Number(/__RSS__(\d+)/.exec(stderr)?.[1] ?? NaN);
      if (code !== 0) reject(new Error(`${argv.join(" ")} exited ${code}: ${stderr.slice(-800)}`));
      else resolve({ ms, rss, ...marks, toExit: marks.turnCompleted === undefined ? NaN : ms - marks.turnCompleted });
    });
  });
}

const sorted = (xs) => [...xs].filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
const median = (xs) => {
  const s = sorted(xs);
  if (s.length === 0) return NaN;
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const stats = (xs) => ({ min: sorted(xs)[0] ?? NaN, median: median(xs), max: sorted(xs).at(-1) ?? NaN });

async function benchCli() {
  const sse = await bundle(path.join(ROOT, "test/support/sse.ts"), "sse");
  const body = (...events) => sse.sseBody(events);
  const okBody = body(sse.created("r"), sse.textMessage("ok"), sse.completed("r"));
  const server = await startBenchModelServer({ fallbackBody: okBody });
  // CODEX_BENCH_OURS points at another build's bin/codex.js (before/after comparisons).
  const ours = process.env.CODEX_BENCH_OURS ?? path.join(ROOT, "bin", "codex.js");
  const binaries = [{ name: "codex-ts", argv: [process.execPath, ours] }, ...referenceForms()];
  // Homes live in the cache, not in /tmp: the reference refuses some set-up under a temporary dir.
  mkdirSync(CACHE, { recursive: true });
  const home = mkdtempSync(path.join(CACHE, "home-"));
  const repo = path.join(home, "repo");
  mkdirSync(repo);
  execFileSync("git", ["init", "-q", repo]);
  // The same custom provider for both: plain HTTP SSE, no websocket attempt (the real API's path for
  // a provider without websockets; the reference's built-in openai provider would try one first).
  writeFileSync(
    path.join(home, "config.toml"),
    [
      `model = "gpt-5.5"`,
      `model_provider = "bench"`,
      `[model_providers.bench]`,
      `name = "bench"`,
      `base_url = "${server.url}"`,
      `env_key = "CODEX_API_KEY"`,
      `wire_api = "responses"`,
      `supports_websockets = false`,
      "",
    ].join("\n"),
  );
  const env = { PATH: process.env.PATH, HOME: home, CODEX_HOME: home, CODEX_API_KEY: "sk-bench", LANG: "C.UTF-8" };
  const scenarios = [
    { name: "version", argv: ["--version"], bodies: [] },
    { name: "plain", argv: ["exec", "--json", "--ephemeral", "-"], stdin: "say ok", bodies: [okBody] },
    {
      name: "tool",
      argv: ["exec", "--json", "--ephemeral", "-"],
      stdin: "run true",
      bodies: [body(sse.created("r1"), sse.functionCall("c1", "exec_command", { cmd: "true" }), sse.completed("r1")), okBody],
    },
    {
      name: "resume",
      argv: ["exec", "--json", "resume", BENCH_SESSION_ID, "next question"],
      bodies: [okBody],
      setup: () => writeRollout({ codexHome: home, cwd: repo, items: RESUME_ITEMS }),
    },
  ];
  const results = {};
  const checks = { upgrades: 0, gets: [], resumeItems: {} };
  for (let i = 0; i < RUNS; i++) {
    for (const sc of scenarios) {
      // Interleaved: each run measures every binary once, so load changes hit all of them alike.
      for (const bin of binaries) {
        sc.setup?.();
        server.reset(sc.bodies);
        const r = await runOnce([...bin.argv, ...sc.argv], { env, cwd: repo, stdin: sc.stdin });
        checks.upgrades += server.upgrades;
        checks.gets.push(...server.gets);
        const posts = server.posts;
        if (sc.name === "tool") r.roundTrip = posts.length >= 2 ? posts[1].at - posts[0].at : NaN;
        if (sc.name === "resume") checks.resumeItems[bin.name] = posts[0]?.inputItems;
        ((results[sc.name] ??= {})[bin.name] ??= []).push(r);
      }
    }
  }
  await server.close();
  rmSync(home, { recursive: true, force: true });
  return { binaries: binaries.map((b) => b.name), results, checks };
}

/** min/median/max of a figure per binary, and of the paired per-run ratio codex-ts / reference form. */
function report({ binaries, results, checks }) {
  const fmt = (n, d = 0) => (Number.isFinite(n) ? n.toFixed(d) : "n/a");
  const figures = [
    ["(a) plain `exec --json` turn, wall ms", "plain", (r) => r.ms, 0],
    ["(b) shell-tool round trip, request 1 → request 2, ms", "tool", (r) => r.roundTrip, 1],
    [`(c) \`exec resume\` of ${RESUME_ITEMS} items, wall ms`, "resume", (r) => r.ms, 0],
    ["(d) peak RSS of the plain turn, MiB", "plain", (r) => r.rss / 1024, 1],
    ["(e1) start: spawn → `thread.started`, ms", "plain", (r) => r.threadStarted, 0],
    ["(e2) end: `turn.completed` → exit, ms", "plain", (r) => r.toExit, 0],
    ["`--version`, wall ms", "version", (r) => r.ms, 0],
  ];
  const lines = [];
  const refs = binaries.filter((b) => b !== "codex-ts");
  lines.push(`| figure | ${binaries.map((b) => `${b} min / median / max`).join(" | ")} | ${refs.map((b) => `ratio vs ${b} min / median / max`).join(" | ")} |`);
  lines.push(`|---|${binaries.map(() => "---|").join("")}${refs.map(() => "---|").join("")}`);
  for (const [label, sc, pick, d] of figures) {
    const per = Object.fromEntries(binaries.map((b) => [b, (results[sc]?.[b] ?? []).map(pick)]));
    const cells = binaries.map((b) => {
      const s = stats(per[b]);
      return `${fmt(s.min, d)} / **${fmt(s.median, d)}** / ${fmt(s.max, d)}`;
    });
    const ratios = refs.map((b) => {
      const paired = per["codex-ts"].map((x, i) => x / per[b][i]);
      const s = stats(paired);
      return `${fmt(s.min, 2)} / **${fmt(s.median, 2)}** / ${fmt(s.max, 2)}`;
    });
    lines.push(`| ${label} | ${cells.join(" | ")} | ${ratios.join(" | ")} |`);
  }
  lines.push("");
  lines.push(`websocket upgrade attempts seen by the model server: ${checks.upgrades}; GETs: ${checks.gets.length ? checks.gets.join(", ") : "none"}`);
  lines.push(`input items in the resumed request: ${Object.entries(checks.resumeItems).map(([b, n]) => `${b} ${n}`).join(", ")}`);
  return lines.join("\n");
}

async function main() {
  const load = () => os.loadavg().map((l) => l.toFixed(2)).join(" ");
  const cpu = os.cpus()[0]?.model ?? "cpu";
  console.log(`machine: nproc ${os.availableParallelism?.() ?? os.cpus().length}, ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`);
  console.log(`load average at start: ${load()}`);
  console.log(`runs per figure: ${RUNS} (interleaved); ratios are codex-ts / reference per run\n`);
  console.log(report(await benchCli()));
  console.log(`\nload average after the CLI figures: ${load()}`);
  if (process.env.BENCH_SKIP_SUB === "1") return;
  for (const [file, fn] of [
    ["bench-apply-patch.mjs", "benchApplyPatch"],
    ["bench-sandbox.mjs", "benchSandbox"],
    ["bench-compaction.mjs", "benchCompaction"],
    ["bench-ws.mjs", "benchWs"],
    ["bench-tui.mjs", "benchTui"],
    ["bench-app-server.mjs", "benchAppServer"],
  ]) {
    const p = path.join(ROOT, "scripts", file);
    if (!existsSync(p)) continue;
    const mod = await import(pathToFileURL(p).href);
    const rows = await mod[fn]();
    const fmt = (n) => n.toFixed(1);
    for (const r of rows) {
      if (typeof r.ms === "number") console.log(`${r.name}: ${fmt(r.ms)} ms${r.note ? ` (${r.note})` : ""}`);
      else if (typeof r.overheadMs === "number") {
        console.log(`sandboxed \`true\` (${r.mode}): ${fmt(r.medianMs)} ms, overhead ${fmt(r.overheadMs)} ms vs direct spawn (goal <= 25 ms)`);
      } else console.log(JSON.stringify(r));
    }
  }
  // Code mode (issue 14) in a process of its own (its worker threads and GC stay out of the figures above).
  const codeMode = path.join(ROOT, "scripts", "bench-code-mode.mjs");
  if (existsSync(codeMode)) execFileSync(process.execPath, ["--expose-gc", codeMode], { stdio: "inherit" });
}

await main();
