// Benchmarks the interactive TUI through a real pseudo-terminal (node-pty) against a loopback model:
//   1. start-up to the first frame (the composer on screen), `codex` with no prompt;
//   2. keystroke-to-frame latency with 10,000 lines of history in the scrollback (a 10,000-line answer);
//   3. RSS after a 2,000-message session (1,000 turns, each a prompt and an answer; BENCH_TUI_ANSWER_BYTES
//      makes each answer longer), also halfway.
// Runnable alone (after `npm run build`): node scripts/bench-tui.mjs. Not a test: nothing fails.
import { build } from "esbuild";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath, pathToFileURL } from "node:url";
import { startBenchModelServer } from "./bench-model-server.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const HISTORY_LINES = Number(process.env.BENCH_TUI_HISTORY_LINES ?? 10_000);
const KEYSTROKES = Number(process.env.BENCH_TUI_KEYSTROKES ?? 40);
const MESSAGES = Number(process.env.BENCH_TUI_MESSAGES ?? 2_000);
const ANSWER_BYTES = Number(process.env.BENCH_TUI_ANSWER_BYTES ?? 0);
const BIN = process.env.CODEX_BENCH_OURS ?? path.join(ROOT, "bin", "codex.js");

const sorted = (xs) => [...xs].filter(Number.isFinite).sort((a, b) => a - b);
const median = (xs) => {
  const s = sorted(xs);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fmt = (xs, unit = "ms") => `median ${median(xs).toFixed(1)} ${unit}, min ${sorted(xs)[0]?.toFixed(1)}, max ${sorted(xs).at(-1)?.toFixed(1)} (${xs.length} samples)`;
const strip = (s) => s.replace(/\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07/g, "");

async function loadPty() {
  try {
    return (await import("@lydell/node-pty")).default;
  } catch {
    return null;
  }
}

/** A codex TUI in a pty; `until(text)` resolves when the output since `mark()` contains it (ANSI stripped). */
function spawnTui(pty, args, env, cwd) {
  const proc = pty.spawn(process.execPath, [BIN, ...args], { name: "xterm-256color", cols: 100, rows: 30, cwd, env });
  let since = "";
  let waiter = null;
  proc.onData((d) => {
    since += d;
    if (waiter && strip(since).includes(waiter.text)) {
      const w = waiter;
      waiter = null;
      w.resolve(performance.now());
    }
  });
  return {
    proc,
    mark() {
      since = "";
    },
    until(text, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        if (strip(since).includes(text)) return resolve(performance.now());
        const timer = setTimeout(() => reject(new Error(`no "${text}" in the output; last output:\n${strip(since).slice(-1500)}`)), timeoutMs);
        waiter = { text, resolve: (t) => (clearTimeout(timer), resolve(t)) };
      });
    },
    rssKb() {
      const status = readFileSync(`/proc/${proc.pid}/status`, "utf8");
      return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
    },
    async quit() {
      const exited = new Promise((resolve) => proc.onExit(resolve));
      proc.write("\x03");
      proc.write("\x03");
      const timer = setTimeout(() => proc.kill(), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** The figures as rows for scripts/bench.mjs ({ name, ms, note }); also printed as they come. */
export async function benchTui({ log = console.log } = {}) {
  const rows = [];
  const pty = await loadPty();
  if (!pty) {
    log("bench-tui: @lydell/node-pty is not installed; nothing measured");
    return rows;
  }
  const sseFile = path.join(mkdtempSync(path.join(os.tmpdir(), "bench-tui-sse-")), "sse.mjs");
  await build({ entryPoints: [path.join(ROOT, "test/support/sse.ts")], bundle: true, platform: "node", format: "esm", outfile: sseFile, logLevel: "silent" });
  const sse = await import(pathToFileURL(sseFile).href);
  const body = (...events) => sse.sseBody(events);
  const okBody = body(sse.created("r"), sse.textMessage("ok"), sse.completed("r"));
  const server = await startBenchModelServer({ fallbackBody: okBody });
  const home = mkdtempSync(path.join(os.tmpdir(), "bench-tui-"));
  const repo = path.join(home, "repo");
  mkdirSync(repo);
  execFileSync("git", ["init", "-q", repo]);
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
      `[projects."${repo}"]`,
      `trust_level = "trusted"`,
      "",
    ].join("\n"),
  );
  const env = { PATH: process.env.PATH, HOME: home, CODEX_HOME: home, CODEX_API_KEY: "sk-bench", TERM: "xterm-256color", LANG: "C.UTF-8" };
  try {
    // 1. Start-up to the first frame. The first run writes the V8 code cache; it is reported apart.
    // Beside it, `codex --version` in the same pty: what starting node and the CLI costs on this machine now
    // (the figures swing with the load; the difference is the TUI's own start).
    const starts = [];
    const versions = [];
    let firstRun = NaN;
    for (let i = 0; i <= RUNS; i++) {
      const v0 = performance.now();
      const version = spawnTui(pty, ["--version"], env, repo);
      const v1 = await version.until("codex-cli");
      await new Promise((resolve) => version.proc.onExit(resolve));
      const t0 = performance.now();
      const tui = spawnTui(pty, [], env, repo);
      const t1 = await tui.until("Ask Codex to do anything");
      if (i === 0) firstRun = t1 - t0;
      else {
        starts.push(t1 - t0);
        versions.push(v1 - v0);
      }
      await tui.quit();
    }
    const overhead = starts.map((s, i) => s - versions[i]);
    log(`TUI start-up to the first frame: ${fmt(starts)} (first run, writing the code cache: ${firstRun.toFixed(0)} ms)`);
    log(`  codex --version in the same pty: ${fmt(versions)}; the TUI's own part: ${fmt(overhead)}`);
    log(`  load average: ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}`);
    rows.push({ name: "TUI start-up to the first frame (goal <= 250 ms)", ms: median(starts), note: `codex --version in the same pty ${median(versions).toFixed(1)} ms` });

    // 2. Keystroke-to-frame latency with a long history above.
    const paragraphs = [];
    for (let i = 0; i < HISTORY_LINES; i += 5) paragraphs.push(Array.from({ length: 5 }, (_, k) => `history line ${i + k + 1}`).join("\n"));
    const longAnswer = paragraphs.join("\n\n");
    server.reset([body(sse.created("r1"), sse.textMessage(longAnswer, { chunks: chunk(longAnswer, 4096) }), sse.completed("r1"))]);
    const tui = spawnTui(pty, ["show history"], env, repo);
    await tui.until(`history line ${HISTORY_LINES}`, 120_000);
    await tui.until("context left", 60_000);
    const latencies = [];
    for (let k = 1; k <= KEYSTROKES; k++) {
      // A fast typist: a key every 50 ms or so (the wait is pacing, not part of the figure).
      await new Promise((r) => setTimeout(r, 50));
      tui.mark();
      const t0 = performance.now();
      tui.proc.write("x");
      const t1 = await tui.until(`› ${"x".repeat(k)}`);
      latencies.push(t1 - t0);
    }
    log(`Keystroke to frame with ${HISTORY_LINES.toLocaleString("en-US")} history lines: ${fmt(latencies)}`);
    rows.push({ name: `TUI keystroke to frame, ${HISTORY_LINES.toLocaleString("en-US")} history lines (goal <= 16 ms median)`, ms: median(latencies) });
    await tui.quit();

    // 3. RSS after a 2,000-message session.
    // BENCH_TUI_ANSWER_BYTES adds a paragraph of that size to each answer (what the view state would keep).
    const filler = ANSWER_BYTES > 0 ? `\n\n${"lorem ipsum dolor sit amet ".repeat(Math.ceil(ANSWER_BYTES / 27))}` : "";
    server.reset(Array.from({ length: MESSAGES / 2 }, (_, i) => body(sse.created(`r${i}`), sse.textMessage(filler ? `reply number ${i + 1}.${filler}\n\nend of reply ${i + 1}.` : `reply number ${i + 1}.`), sse.completed(`r${i}`))));
    const long = spawnTui(pty, [], env, repo);
    await long.until("Ask Codex to do anything");
    const rssStart = long.rssKb();
    const t0 = performance.now();
    let rssHalf = NaN;
    for (let i = 1; i <= MESSAGES / 2; i++) {
      long.mark();
      long.proc.write(`message ${i}\r`);
      await long.until(filler ? `end of reply ${i}.` : `reply number ${i}.`);
      if (i === MESSAGES / 4) rssHalf = long.rssKb();
    }
    const seconds = (performance.now() - t0) / 1000;
    rows.push({ name: `TUI RSS after a ${MESSAGES.toLocaleString("en-US")}-message session`, note: `${(long.rssKb() / 1024).toFixed(1)} MiB` });
    log(
      `RSS after a ${MESSAGES.toLocaleString("en-US")}-message session (${MESSAGES / 2} turns in ${seconds.toFixed(1)} s${filler ? `, answers of ${ANSWER_BYTES} bytes` : ""}): ${(long.rssKb() / 1024).toFixed(1)} MiB (${(rssStart / 1024).toFixed(1)} MiB at start, ${(rssHalf / 1024).toFixed(1)} MiB halfway)`,
    );
    await long.quit();
  } finally {
    await server.close();
    rmSync(home, { recursive: true, force: true });
  }
  return rows;
}

function chunk(text, size) {
  const out = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await benchTui();
