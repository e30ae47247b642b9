// Sandbox overhead: `true` through the sandboxed exec runner vs. the plain local runner, median of N runs each.
// Goal: <= 25 ms added per command. Run directly (`node scripts/bench-sandbox.mjs`) or import benchSandbox().
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const GOAL_MS = 25;

async function loadModules() {
  const dir = mkdtempSync(path.join(os.tmpdir(), "codex-bench-sandbox-"));
  const entry = path.join(dir, "entry.ts");
  const out = path.join(dir, "bundle.mjs");
  await build({
    stdin: {
      contents: [
        `export { createLocalExecRunner } from ${JSON.stringify(path.join(ROOT, "src/core/exec/local-runner.ts"))};`,
        `export { createSandboxedExecRunner } from ${JSON.stringify(path.join(ROOT, "src/core/sandbox/index.ts"))};`,
      ].join("\n"),
      resolveDir: ROOT,
      sourcefile: entry,
      loader: "ts",
    },
    bundle: true,
    platform: "node",
    format: "esm",
    outfile: out,
    logLevel: "error",
    external: ["@lydell/node-pty"],
  });
  const mod = await import(pathToFileURL(out).href);
  return { mod, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

function bareRunner() {
  return {
    run: (req) =>
      new Promise((resolve, reject) => {
        const child = spawn(req.argv[0], req.argv.slice(1), {
          cwd: req.cwd,
          env: req.env,
          stdio: ["ignore", "ignore", "pipe", ...(req.extraFds ?? [])],
        });
        let err = "";
        child.stderr.on("data", (d) => (err += d));
        child.once("error", reject);
        child.once("close", (code) => resolve({ exitCode: code, aggregatedOutput: err }));
      }),
  };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

async function timeRuns(runner, req, runs) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const res = await runner.run(req, { signal: new AbortController().signal });
    times.push(performance.now() - t);
    if (res.exitCode !== 0) throw new Error(`bench command failed (${res.exitCode}): ${res.aggregatedOutput}`);
  }
  return median(times);
}

/** Returns one row per mode: median wall time and the overhead over a direct spawn. */
export async function benchSandbox({ runs = Number(process.env.BENCH_RUNS ?? 50) } = {}) {
  const { mod, cleanup } = await loadModules();
  const ws = mkdtempSync(path.join(os.tmpdir(), "codex-bench-ws-"));
  try {
    const direct = mod.createLocalExecRunner();
    const sandboxed = mod.createSandboxedExecRunner(direct);
    const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: os.homedir() };
    const base = { argv: ["true"], cwd: ws, env };
    const policies = {
      "read-only": { mode: "read-only", networkAccess: false },
      "workspace-write": {
        mode: "workspace-write",
        writableRoots: [ws, "/tmp"],
        networkAccess: false,
        excludeTmpdirEnvVar: false,
        excludeSlashTmp: false,
      },
    };
    // Warm-up: the first sandboxed run also pays the one-time bwrap probe.
    await timeRuns(sandboxed, { ...base, sandbox: policies["workspace-write"] }, 3);
    await timeRuns(direct, { ...base, sandbox: { mode: "danger-full-access" } }, 3);
    const directMs = await timeRuns(direct, { ...base, sandbox: { mode: "danger-full-access" } }, runs);
    const rows = [{ mode: "direct", medianMs: directMs, overheadMs: 0, withinGoal: true }];
    for (const [mode, sandbox] of Object.entries(policies)) {
      const ms = await timeRuns(sandboxed, { ...base, sandbox }, runs);
      rows.push({ mode, medianMs: ms, overheadMs: ms - directMs, withinGoal: ms - directMs <= GOAL_MS });
    }
    // fdPassing "inherit" skips the /bin/sh shim; the local runner does not pass extraFds yet, so a bare spawn
    // runner stands in for both sides of this comparison.
    const bare = bareRunner();
    const inheriting = mod.createSandboxedExecRunner(bare, { fdPassing: "inherit" });
    const bareMs = await timeRuns(bare, { ...base, sandbox: { mode: "danger-full-access" } }, runs);
    const inhMs = await timeRuns(inheriting, { ...base, sandbox: policies["workspace-write"] }, runs);
    rows.push({ mode: "bare direct", medianMs: bareMs, overheadMs: 0, withinGoal: true });
    rows.push({ mode: "ww, fd inherit", medianMs: inhMs, overheadMs: inhMs - bareMs, withinGoal: inhMs - bareMs <= GOAL_MS });
    return rows;
  } finally {
    rmSync(ws, { recursive: true, force: true });
    cleanup();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const rows = await benchSandbox();
  for (const r of rows) {
    console.log(
      `${r.mode.padEnd(16)} median ${r.medianMs.toFixed(1).padStart(7)} ms   overhead ${r.overheadMs.toFixed(1).padStart(7)} ms` +
        (r.mode.endsWith("direct") ? "" : `   (goal <= ${GOAL_MS} ms: ${r.withinGoal ? "ok" : "MISSED"})`),
    );
  }
}
