// Sandbox overhead: `true` through the sandboxed exec runner vs. the plain local runner, median of N runs each.
// Goal: <= 25 ms added per command. Run directly (`node scripts/bench-sandbox.mjs`) or import benchSandbox().
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

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

async function timeOnce(runner, req) {
  const t = performance.now();
  const res = await runner.run(req, { signal: new AbortController().signal });
  const ms = performance.now() - t;
  if (res.exitCode !== 0) throw new Error(`bench command failed (${res.exitCode}): ${res.aggregatedOutput}`);
  return ms;
}

/** Round-robin over the cases so load from other processes hits every case alike. */
async function timeInterleaved(cases, runs) {
  const times = cases.map(() => []);
  for (let i = 0; i < runs; i++) {
    for (const [k, c] of cases.entries()) times[k].push(await timeOnce(c.runner, c.req));
  }
  return times.map(median);
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
    const shimmed = mod.createSandboxedExecRunner(direct, { fdPassing: "proc-path" });
    const cases = [
      { mode: "direct", runner: direct, req: { ...base, sandbox: { mode: "danger-full-access" } } },
      { mode: "read-only", runner: sandboxed, req: { ...base, sandbox: policies["read-only"] } },
      { mode: "workspace-write", runner: sandboxed, req: { ...base, sandbox: policies["workspace-write"] } },
      // The /bin/sh shim (runners without extraFds support, and pty sessions), for comparison.
      { mode: "ww, sh shim", runner: shimmed, req: { ...base, sandbox: policies["workspace-write"] } },
    ];
    // Warm-up: the first sandboxed run also pays the one-time bwrap probe.
    await timeInterleaved(cases, 3);
    const medians = await timeInterleaved(cases, runs);
    const directMs = medians[0];
    const rows = cases.map((c, k) => {
      const overheadMs = medians[k] - directMs;
      return { mode: c.mode, medianMs: medians[k], overheadMs, withinGoal: overheadMs <= GOAL_MS };
    });
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
