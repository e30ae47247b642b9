// app-server `command/exec` figures, ours beside the reference 0.169 (when installed): request → answer for
// `true` run buffered (pipe) and under a pseudo-terminal (tty), and `cat` fed by streamed stdin closed at once; full access
// (the reference's sandbox helper is not installed here, so sandboxed figures would compare nothing).
// Run alone: `node scripts/bench-command-exec.mjs` (after npm run build). Not a test.
import { spawn, execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const CACHE = process.env.CODEX_BENCH_CACHE ?? path.join(ROOT, ".bench-cache");
const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const REF_CANDIDATES = [
  process.env.CODEX_REF_BIN,
  path.join(CACHE, "ref-0.169.0/node_modules/@openai/codex-linux-x64/vendor/x86_64-unknown-linux-musl/bin/codex"),
  "/work/wt/bench/.bench-cache/ref-0.169.0/node_modules/@openai/codex-linux-x64/vendor/x86_64-unknown-linux-musl/bin/codex",
].filter(Boolean);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function client(argv, env, cwd) {
  const child = spawn(argv[0], [...argv.slice(1), "app-server"], { cwd, env, stdio: ["pipe", "pipe", "ignore"] });
  const waiters = new Map();
  createInterface({ input: child.stdout }).on("line", (line) => {
    const m = JSON.parse(line);
    if (m.id !== undefined && !m.method) waiters.get(m.id)?.(m);
  });
  let id = 1;
  const request = (method, params) =>
    new Promise((resolve, reject) => {
      const n = id++;
      const timer = setTimeout(() => reject(new Error(`bench: ${method} timed out`)), 30_000);
      waiters.set(n, (m) => {
        clearTimeout(timer);
        waiters.delete(n);
        if (m.error) reject(new Error(`${method}: ${JSON.stringify(m.error)}`));
        else resolve(m.result);
      });
      child.stdin.write(JSON.stringify({ id: n, method, params }) + "\n");
    });
  return { child, request };
}

const MODES = {
  pipe: () => ({}),
  tty: (i) => ({ processId: `tty-${i}`, tty: true }),
  stdin: (i) => ({ processId: `in-${i}`, streamStdin: true }),
};

async function benchBinary(bin) {
  const home = mkdtempSync(path.join(CACHE, "cx-home-"));
  const codexHome = path.join(home, ".codex");
  mkdirSync(codexHome);
  mkdirSync(path.join(home, "repo"));
  execFileSync("git", ["init", "-q", path.join(home, "repo")]);
  const env = { PATH: process.env.PATH, HOME: home, CODEX_HOME: codexHome, LANG: "C.UTF-8", CODEX_API_KEY: "sk-bench" };
  const c = client(bin.argv, env, path.join(home, "repo"));
  try {
    await c.request("initialize", { clientInfo: { name: "bench", title: null, version: "1" }, capabilities: { experimentalApi: true } });
    c.child.stdin.write(JSON.stringify({ method: "initialized" }) + "\n");
    const row = { name: bin.name };
    for (const [mode, extra] of Object.entries(MODES)) {
      const times = [];
      for (let i = 0; i < RUNS; i++) {
        const t0 = performance.now();
        const command = mode === "stdin" ? ["cat"] : ["true"];
        const answer = c.request("command/exec", { command, sandboxPolicy: { type: "dangerFullAccess" }, ...extra(i) });
        if (mode === "stdin") await c.request("command/exec/write", { processId: `in-${i}`, closeStdin: true });
        await answer;
        times.push(performance.now() - t0);
      }
      row[mode] = median(times);
    }
    return row;
  } finally {
    c.child.stdin.end();
    await new Promise((r) => c.child.once("exit", r));
    rmSync(home, { recursive: true, force: true });
  }
}

export async function benchCommandExec() {
  mkdirSync(CACHE, { recursive: true });
  const binaries = [{ name: "codex-ts", argv: [process.execPath, path.join(ROOT, "bin", "codex.js")] }];
  const ref = REF_CANDIDATES.find((p) => existsSync(p));
  if (ref) binaries.push({ name: "reference 0.169.0", argv: [ref] });
  const rows = [];
  for (const bin of binaries) rows.push(await benchBinary(bin));
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(`command/exec of \`true\`, request → answer, ${RUNS} runs per mode (medians), load ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  console.log("| binary | pipe (buffered) | tty | `cat`, streamStdin closed at once |");
  console.log("|---|---|---|---|");
  for (const r of await benchCommandExec()) console.log(`| ${r.name} | ${r.pipe.toFixed(1)} ms | ${r.tty.toFixed(1)} ms | ${r.stdin.toFixed(1)} ms |`);
}
