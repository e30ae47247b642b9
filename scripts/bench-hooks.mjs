// Benchmarks the hook engine: bundles src/core/hooks with esbuild into a temp file, imports it, and times
// one event firing (1) a single trivial command hook and (2) three matching handlers (run concurrently),
// i.e. what a PreToolUse hook adds to every tool call. Runnable alone: node scripts/bench-hooks.mjs
import { build } from "esbuild";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath, pathToFileURL } from "node:url";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const RUNS = 30;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "bench-hooks-"));
  try {
    const outfile = path.join(work, "hooks.mjs");
    await build({ entryPoints: [path.join(repo, "src/core/hooks/index.ts")], bundle: true, platform: "node", format: "esm", outfile, logLevel: "silent" });
    const hooks = await import(pathToFileURL(outfile).href);
    const file = path.join(work, "hooks.json");
    const session = { sessionId: "s", cwd: work, model: "m", permissionMode: "default", env: { PATH: process.env.PATH ?? "/usr/bin:/bin" } };
    for (const [label, count] of [["1 handler", 1], ["3 handlers", 3]]) {
      const handlers = Array.from({ length: count }, () => ({ type: "command", command: "cat >/dev/null" }));
      fs.writeFileSync(file, JSON.stringify({ hooks: { PreToolUse: [{ matcher: "Bash", hooks: handlers }] } }));
      const found = hooks.discoverHooks({ sources: [{ file, scope: "project" }], state: {}, bypassTrust: false });
      const engine = hooks.createHookEngine({ handlers: found.handlers, session: { ...session, transcriptPath: () => null } });
      const times = [];
      for (let i = 0; i < RUNS; i++) {
        const t0 = performance.now();
        await engine.fire({ event: "PreToolUse", emit: () => {}, matchValue: "Bash", fields: { tool_name: "Bash", tool_input: { command: "ls" } } });
        times.push(performance.now() - t0);
      }
      console.log(`PreToolUse, ${label}: median ${median(times).toFixed(1)} ms, min ${Math.min(...times).toFixed(1)} ms, max ${Math.max(...times).toFixed(1)} ms (${RUNS} runs)`);
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
await main();
