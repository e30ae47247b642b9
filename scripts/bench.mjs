// `npm run bench`: speed and memory goals, measured against the reference `@openai/codex` binary.
// Prints ratios; record results in docs/benchmarks.md. Not a test: nothing here fails the build.
import { spawn, execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, mkdirSync, writeFileSync, readdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const CACHE = process.env.CODEX_BENCH_CACHE ?? path.join(ROOT, ".bench-cache");
const REF_VERSION = process.env.CODEX_REF_VERSION ?? "0.169.0";
const RUNS = Number(process.env.BENCH_RUNS ?? 10);

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

/** Runs argv once; returns wall ms and peak RSS (KiB) from GNU time. */
function runOnce(argv, { env, cwd, stdin }) {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn("/usr/bin/time", ["-f", "__RSS__%M", ...argv], { env, cwd, stdio: ["pipe", "pipe", "pipe"] });
    let stderr = "";
    child.stdout.resume();
    child.stderr.on("data", (d) => (stderr += d));
    child.stdin.end(stdin ?? "");
    child.on("error", reject);
    child.on("close", (code) => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      const rss = Number(/__RSS__(\d+)/.exec(stderr)?.[1] ?? NaN);
      if (code !== 0) reject(new Error(`${argv.join(" ")} exited ${code}: ${stderr.slice(-500)}`));
      else resolve({ ms, rss });
    });
  });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function measure(label, argvFor, setup) {
  const times = [];
  const rss = [];
  for (let i = 0; i < RUNS; i++) {
    const ctx = await setup();
    const r = await runOnce(argvFor(ctx), ctx);
    times.push(r.ms);
    rss.push(r.rss);
  }
  return { label, ms: median(times), rssMiB: Math.max(...rss) / 1024 };
}

async function benchCli() {
  const { startFakeResponsesServer, sse } = await bundle(path.join(ROOT, "test/support/fake-responses-server.ts"), "fake");
  const sseMod = await bundle(path.join(ROOT, "test/support/sse.ts"), "sse");
  const server = await startFakeResponsesServer();
  const ours = [process.execPath, path.join(ROOT, "bin", "codex.js")];
  const ref = referenceBinary();
  const home = mkdtempSync(path.join(os.tmpdir(), "codex-bench-home-"));
  const repo = path.join(home, "repo");
  mkdirSync(repo);
  execFileSync("git", ["init", "-q", repo]);
  writeFileSync(path.join(home, "config.toml"), `model = "gpt-5.5"\n`);
  const env = { PATH: process.env.PATH, HOME: home, CODEX_HOME: home, CODEX_API_KEY: "sk-bench", LANG: "C.UTF-8" };
  const turnSetup = async () => {
    server.enqueue(sse(sseMod.created("r"), sseMod.textMessage("ok"), sseMod.completed("r")));
    return { env, cwd: repo, stdin: "say ok" };
  };
  const turnArgs = (bin) => () => [...bin, "exec", "--json", "--ephemeral", "-c", `openai_base_url="${server.url}"`, "-"];
  const plainSetup = async () => ({ env, cwd: repo });
  const rows = [];
  const pairs = [
    ["codex --version", (bin) => () => [...bin, "--version"], plainSetup],
    ["exec --json plain turn", turnArgs, turnSetup],
  ];
  for (const [name, argv, setup] of pairs) {
    const mine = await measure(`${name} (codex-ts)`, argv(ours), setup);
    const theirs = ref ? await measure(`${name} (reference ${REF_VERSION})`, argv([ref]), setup) : null;
    rows.push({ name, ours: mine, ref: theirs });
  }
  await server.close();
  return rows;
}

async function main() {
  const fmt = (n) => n.toFixed(1);
  console.log(`machine: ${os.cpus().length}x ${os.cpus()[0]?.model ?? "cpu"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`);
  console.log(`runs per measurement: ${RUNS} (median wall time, peak RSS)\n`);
  for (const row of await benchCli()) {
    const ratio = row.ref ? ` ratio ${fmt(row.ours.ms / row.ref.ms)}x` : "";
    console.log(`${row.name}: codex-ts ${fmt(row.ours.ms)} ms, ${fmt(row.ours.rssMiB)} MiB` +
      (row.ref ? ` | reference ${fmt(row.ref.ms)} ms, ${fmt(row.ref.rssMiB)} MiB |${ratio}` : " | reference unavailable"));
  }
  for (const [file, fn] of [["bench-apply-patch.mjs", "benchApplyPatch"], ["bench-sandbox.mjs", "benchSandbox"]]) {
    const p = path.join(ROOT, "scripts", file);
    if (!existsSync(p)) continue;
    const mod = await import(pathToFileURL(p).href);
    const rows = await mod[fn]();
    for (const r of rows) {
      if (typeof r.ms === "number") console.log(`${r.name}: ${fmt(r.ms)} ms${r.note ? ` (${r.note})` : ""}`);
      else if (typeof r.overheadMs === "number") {
        console.log(`sandboxed \`true\` (${r.mode}): ${fmt(r.medianMs)} ms, overhead ${fmt(r.overheadMs)} ms vs direct spawn (goal <= 25 ms)`);
      } else console.log(JSON.stringify(r));
    }
  }
}

await main();
