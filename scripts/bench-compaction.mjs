// Benchmarks resume of a long session: time and RSS to read and rebuild a 10,000-item rollout that
// has a `compacted` line near its end (only what follows it is parsed) beside the same session
// without compaction (every line is parsed). Each measurement runs in a fresh child process, so
// RSS is that resume's alone. Usage: node scripts/bench-compaction.mjs
import { build } from "esbuild";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const ITEMS = 10_000;
const TAIL = 100;
const RUNS = 7;

if (process.argv[2] === "--child") {
  const [, , , engineFile, rolloutFile] = process.argv;
  const engine = await import(pathToFileURL(engineFile).href);
  const t0 = process.hrtime.bigint();
  const lines = await engine.readRolloutForResume(rolloutFile);
  const t1 = process.hrtime.bigint();
  const thread = engine.reconstructThread(lines);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const readMs = Number(t1 - t0) / 1e6;
  const rssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(JSON.stringify({ ms, readMs, rssMb, items: thread.history.length, parsed: lines.length }));
  process.exit(0);
}

/** Rows for `npm run bench` (scripts/bench.mjs): one per case, median ms, RSS in the note. */
export async function benchCompaction({ runs = RUNS } = {}) {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "bench-compaction-"));
  try {
    const entry = path.join(work, "entry.ts");
    fs.writeFileSync(
      entry,
      `export { readRolloutForResume } from ${JSON.stringify(path.join(repo, "src/core/persistence/resume-reader.ts"))};\n` +
        `export { reconstructThread } from ${JSON.stringify(path.join(repo, "src/core/persistence/reconstruct.ts"))};\n`,
    );
    const engineFile = path.join(work, "engine.mjs");
    await build({ entryPoints: [entry], bundle: true, platform: "node", format: "esm", outfile: engineFile, logLevel: "silent" });
    const plain = path.join(work, "plain.jsonl");
    const compacted = path.join(work, "compacted.jsonl");
    writeSession(plain, { compactAt: null });
    writeSession(compacted, { compactAt: ITEMS - TAIL });
    const mb = (fs.statSync(plain).size / 1024 / 1024).toFixed(1);
    const rows = [];
    for (const [name, file] of [["without compaction", plain], [`compacted line ${TAIL} items from the end`, compacted]]) {
      const samples = [];
      for (let i = 0; i < runs; i++) {
        const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), "--child", engineFile, file], { encoding: "utf8" });
        if (r.status !== 0) throw new Error(r.stderr);
        samples.push(JSON.parse(r.stdout));
      }
      const med = (k) => [...samples.map((r) => r[k])].sort((a, b) => a - b)[Math.floor(samples.length / 2)];
      rows.push({
        name: `resume of a ${ITEMS.toLocaleString("en-US")}-item session (${mb} MB), ${name}`,
        ms: med("ms"),
        note: `median of ${runs} fresh processes; max RSS ${med("rssMb").toFixed(1)} MB; read ${med("readMs").toFixed(1)} ms; ` +
          `${samples[0].parsed} lines parsed, history ${samples[0].items} items`,
      });
    }
    return rows;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[2] !== "--child" && process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const r of await benchCompaction()) console.log(`${r.name}: ${r.ms.toFixed(1)} ms (${r.note})`);
}

/** 10,000 response items (prompts, shell calls with ~1 KB outputs, answers); optionally a compacted line. */
function writeSession(file, { compactAt }) {
  const ts = "2026-12-01T00:00:00.000Z";
  const out = [];
  const push = (type, payload) => out.push(JSON.stringify({ timestamp: ts, type, payload }));
  push("session_meta", { id: "bench", timestamp: ts, cwd: "/repo", originator: "bench", cli_version: "0", source: "exec" });
  push("turn_context", { turn_id: "t", cwd: "/repo", approval_policy: "never", sandbox_policy: { type: "read-only" }, model: "gpt-5.5" });
  const body = "output line of a command ".repeat(40);
  for (let i = 0; i < ITEMS; i++) {
    if (i === compactAt) {
      const replacement = [{ type: "message", role: "user", content: [{ type: "input_text", text: "summary of the work so far" }] }];
      push("compacted", { message: "summary of the work so far", replacement_history: replacement });
      // As codex-ts and the reference write it: the turn's context again, then the new fill.
      push("turn_context", { turn_id: "t", cwd: "/repo", approval_policy: "never", sandbox_policy: { type: "read-only" }, model: "gpt-5.5" });
      push("event_msg", { type: "token_count", info: { total_token_usage: { total_tokens: i }, last_token_usage: { total_tokens: 50 } } });
    }
    const k = i % 4;
    if (k === 0) push("response_item", { type: "message", role: "user", content: [{ type: "input_text", text: `step ${i}` }] });
    else if (k === 1) push("response_item", { type: "function_call", name: "exec_command", arguments: `{"cmd":"ls ${i}"}`, call_id: `c${i}` });
    else if (k === 2) push("response_item", { type: "function_call_output", call_id: `c${i - 1}`, output: `${body}${i}` });
    else {
      push("response_item", { type: "message", role: "assistant", content: [{ type: "output_text", text: `done ${i}` }] });
      push("event_msg", { type: "token_count", info: { total_token_usage: { total_tokens: i }, last_token_usage: { total_tokens: i } } });
    }
  }
  fs.writeFileSync(file, out.join("\n") + "\n");
}
