// Benchmarks the state database: listing 10,000 saved sessions through the index vs by scanning the
// rollout files (each figure in a fresh node process, as `codex resume --last` or a picker pays it), the
// built CLI's `codex resume` list, and what logging costs a turn. Runnable alone: node scripts/bench-state.mjs
// (BENCH_SESSIONS, BENCH_RUNS to change the size). Not a test: nothing here fails the build.
import { build } from "esbuild";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const DAYS = 100;
const CWDS = 10;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (n) => n.toFixed(1);

/** The state and persistence code bundled under the repo (so better-sqlite3 resolves from node_modules). */
async function bundleCore(dir) {
  const outfile = path.join(dir, "state-bench.mjs");
  const entry = path.join(dir, "entry.ts");
  writeFileSync(
    entry,
    [
      `export { createRolloutStore } from ${JSON.stringify(path.join(ROOT, "src/core/persistence/index.ts"))};`,
      `export { openStateDb } from ${JSON.stringify(path.join(ROOT, "src/core/state/state-db.ts"))};`,
      `export { createLogger, createLogStore, createTurnLoggingObserver, ingestSpool } from ${JSON.stringify(path.join(ROOT, "src/core/logging/index.ts"))};`,
    ].join("\n"),
  );
  await build({ entryPoints: [entry], bundle: true, platform: "node", format: "esm", outfile, external: ["better-sqlite3"], logLevel: "error" });
  return outfile;
}

/** SESSIONS rollouts over DAYS day folders and CWDS working directories, each with a realistic head. */
function populate(codexHome) {
  const base = "You are Codex, a coding agent. ".repeat(400); // ~12 KB of base instructions in session_meta, as real rollouts carry
  for (let i = 0; i < SESSIONS; i++) {
    const d = new Date(2026, 0, 1 + (i % DAYS), 9, Math.floor(i / DAYS) % 60, i % 60);
    const pad = (n, w = 2) => String(n).padStart(w, "0");
    const dir = path.join(codexHome, "sessions", String(d.getFullYear()), pad(d.getMonth() + 1), pad(d.getDate()));
    mkdirSync(dir, { recursive: true });
    const id = `019a${pad(i.toString(16), 4)}-0000-7000-8000-${pad(i.toString(16), 12)}`;
    const stamp = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}-${pad(d.getMinutes())}-${pad(d.getSeconds())}`;
    const ts = d.toISOString();
    // cwd 0 is rare (1 session in 100): the worst case for a cwd-filtered scan, like a picker opened in a new project.
    const cwd = i % 100 === 0 ? "/work/rare" : `/work/project-${1 + (i % (CWDS - 1))}`;
    const line = (type, payload) => JSON.stringify({ timestamp: ts, type, payload });
    const lines = [
      line("session_meta", { id, timestamp: ts, cwd, originator: "codex_cli_rs", cli_version: "0.169.0", source: "cli", model_provider: "openai", base_instructions: { text: base } }),
      line("response_item", { type: "message", role: "developer", content: [{ type: "input_text", text: "<permissions instructions>sandbox: workspace-write</permissions instructions>" }] }),
      line("response_item", { type: "message", role: "user", content: [{ type: "input_text", text: `<environment_context>\n  <cwd>${cwd}</cwd>\n</environment_context>` }] }),
      line("turn_context", { turn_id: "t1", cwd, approval_policy: "on-request", sandbox_policy: { type: "workspace-write" }, model: "gpt-5.5" }),
      line("response_item", { type: "message", role: "user", content: [{ type: "input_text", text: `fix the failing test number ${i}` }] }),
      line("event_msg", { type: "user_message", message: `fix the failing test number ${i}` }),
      line("response_item", { type: "message", role: "assistant", content: [{ type: "output_text", text: "Done." }] }),
    ];
    const file = path.join(dir, `rollout-${stamp}-${id}.jsonl`);
    writeFileSync(file, lines.join("\n") + "\n");
    utimesSync(file, d, d);
  }
}

/** Runs `body` (an async function's source, given `core` and `home`) in a fresh node; returns its ms. */
function inFreshProcess(bundle, home, body) {
  const script = `
    const t0 = performance.now();
    const core = await import(${JSON.stringify(pathToFileURL(bundle).href)});
    const home = ${JSON.stringify(home)};
    const out = await (async () => { ${body} })();
    process.stdout.write(JSON.stringify({ ms: performance.now() - t0, out }));`;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", cwd: ROOT });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}

function figure(label, runs, fn) {
  const times = [];
  let out;
  for (let i = 0; i < runs; i++) {
    const r = fn();
    times.push(r.ms);
    out = r.out;
  }
  console.log(`| ${label} | ${fmt(median(times))} | ${fmt(Math.min(...times))} | ${fmt(Math.max(...times))} | ${out ?? ""} |`);
  return median(times);
}

export async function benchState() {
  const work = mkdtempSync(path.join(ROOT, ".bench-cache-state-"));
  try {
    const bundle = await bundleCore(work);
    const home = path.join(work, "home");
    const t0 = performance.now();
    populate(home);
    console.log(`${SESSIONS} sessions in ${DAYS} day folders written in ${fmt(performance.now() - t0)} ms; ${RUNS} runs per figure, each in a fresh node process (module load included)\n`);
    console.log("| listing | median ms | min | max | sessions returned |");
    console.log("|---|---|---|---|---|");
    // scan: the files only; index: straight to the index; default: what codex does (a short scan, then the index).
    const storeOpts = { scan: 'stateDb: "off"', index: "stateDb: () => core.openStateDb({ codexHome: home })", default: "" };
    const list = (mode, opts) => `
      const store = core.createRolloutStore({ codexHome: home, ${storeOpts[mode]} });
      const t = performance.now();
      const got = await store.list(${JSON.stringify(opts)});
      return got.length + " in " + (performance.now() - t).toFixed(1) + " ms of list()";`;
    const cases = [
      ["newest 50, all folders (picker --all)", { limit: 50 }],
      ["newest 50 in a rare cwd (picker)", { limit: 50, cwd: "/work/rare" }],
      ["newest 1 in a rare cwd (resume --last)", { limit: 1, cwd: "/work/rare" }],
    ];
    const results = {};
    for (const [label, opts] of cases) results[`scan ${label}`] = figure(`scan: ${label}`, Math.min(RUNS, 3), () => inFreshProcess(bundle, home, list("scan", opts)));
    figure("index: first build from the files (no state.sqlite)", 1, () => inFreshProcess(bundle, home, list("index", { limit: 50 })));
    for (const [label, opts] of cases) results[`index ${label}`] = figure(`index: ${label}`, RUNS, () => inFreshProcess(bundle, home, list("index", opts)));
    for (const [label, opts] of cases) results[`default ${label}`] = figure(`codex's list() (short scan, then index): ${label}`, RUNS, () => inFreshProcess(bundle, home, list("default", opts)));
    figure("index: after 1 new session in an old day folder", RUNS, () => {
      const d = new Date(2026, 0, 5, 23, 59, Math.floor(Math.random() * 60));
      const id = `019b0000-0000-7000-8000-${String(Math.floor(Math.random() * 1e12)).padStart(12, "0")}`;
      const pad = (n) => String(n).padStart(2, "0");
      const dir = path.join(home, "sessions", "2026", "01", "05");
      writeFileSync(
        path.join(dir, `rollout-2026-01-05T23-59-${pad(d.getSeconds())}-${id}.jsonl`),
        JSON.stringify({ timestamp: d.toISOString(), type: "session_meta", payload: { id, timestamp: d.toISOString(), cwd: "/work/rare", source: "cli" } }) +
          "\n" + JSON.stringify({ timestamp: d.toISOString(), type: "event_msg", payload: { type: "user_message", message: "new" } }) + "\n",
      );
      return inFreshProcess(bundle, home, list("default", { limit: 1, cwd: "/work/rare" }));
    });

    // The built CLI's list (node start, config, driver load, index): `codex resume --all --include-non-interactive`.
    const cli = path.join(ROOT, "bin", "codex.js");
    const env = { ...process.env, CODEX_HOME: home, HOME: work };
    figure("CLI: codex resume --all --include-non-interactive (whole process)", RUNS, () => {
      const t = performance.now();
      const r = spawnSync(process.execPath, [cli, "resume", "--all", "--include-non-interactive"], { env, encoding: "utf8", cwd: work });
      if (r.status !== 0) throw new Error(r.stderr);
      return { ms: performance.now() - t, out: `${r.stdout.split("\n").filter(Boolean).length} listed` };
    });

    // Logging: what one turn's log points cost on the turn's path (queueing) and in the batched write.
    console.log("\n| logging, per turn (12 rows: start, 4 responses, 3 tool calls, end) | median ms | min | max | |");
    console.log("|---|---|---|---|---|");
    const turnBody = (what) => `
      const db = core.openStateDb({ codexHome: home });
      const spoolDir = home + "/log/spool";
      const closedDb = Object.assign(() => db, { isOpen: () => false });
      const log = core.createLogger({ stateDb: closedDb, spoolDir, secrets: ["sk-secret-key-value"], processUuid: "bench", retentionBytes: 64 << 20, flushOnExit: false, flushIntervalMs: 1e9 });
      const store = core.createLogStore(db.db);
      const obs = core.createTurnLoggingObserver(log.child({ threadId: "thread-1" }));
      const turn = (i) => {
        obs.beforeSampling({ history: [], request: 1 });
        for (let c = 0; c < 3; c++) {
          const call = { type: "function_call", name: "exec_command", call_id: "c" + i + "-" + c, arguments: "{}" };
          obs.beforeToolCall(call);
          obs.afterToolCall(call, { type: "function_call_output", call_id: call.call_id, output: "ok" });
        }
        for (let r = 0; r < 4; r++) log.log("INFO", "core.model", "response completed", { threadId: "thread-1", fields: { response_id: "resp_" + r, duration_ms: 800, input_tokens: 12000, output_tokens: 300 } });
        obs.onStop({ status: "completed", lastAgentMessage: "done" });
      };
      for (let i = 0; i < 20; i++) { turn(i); log.flush(); core.ingestSpool({ dir: spoolDir, store }); }
      const queue = [], spool = [], ingest = [];
      for (let i = 0; i < 200; i++) {
        let t = performance.now(); turn(i); queue.push(performance.now() - t);
        t = performance.now(); log.flush(); spool.push(performance.now() - t);
        t = performance.now(); core.ingestSpool({ dir: spoolDir, store }); ingest.push(performance.now() - t);
      }
      const med = (xs) => xs.sort((a, b) => a - b)[100];
      return med(${what});`;
    for (const [label, what] of [
      ["queueing the records (on the turn's path)", "queue"],
      ["the flush: scrub + one append to the spool file (timer or exit)", "spool"],
      ["moving them into state.sqlite (only where the database is open or the spool is large)", "ingest"],
    ]) {
      figure(label, 3, () => ({ ms: inFreshProcess(bundle, home, turnBody(what)).out, out: "" }));
    }
    figure("a process's first exit flush (spool only: no driver load)", RUNS, () => {
      const r = inFreshProcess(bundle, home, `
        const t = performance.now();
        const log = core.createLogger({ stateDb: Object.assign(() => core.openStateDb({ codexHome: home }), { isOpen: () => false }), spoolDir: home + "/log/spool2", secrets: [], processUuid: "p" + Math.random(), retentionBytes: 64 << 20, flushOnExit: false });
        log.log("INFO", "core.runtime", "runtime started");
        log.flush();
        return performance.now() - t;`);
      return { ms: r.out, out: "" };
    });
    figure("opening state.sqlite to move rows (driver load + open + insert)", RUNS, () => {
      const r = inFreshProcess(bundle, home, `
        const t = performance.now();
        const log = core.createLogger({ stateDb: () => core.openStateDb({ codexHome: home }), spoolDir: home + "/log/spool3", secrets: [], processUuid: "p", retentionBytes: 64 << 20, flushOnExit: false });
        log.log("INFO", "core.runtime", "runtime started");
        log.flush();
        return performance.now() - t;`);
      return { ms: r.out, out: "" };
    });
    return results;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  console.log(`machine: nproc ${os.availableParallelism?.() ?? os.cpus().length}, load ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}, node ${process.version}\n`);
  await benchState();
}
