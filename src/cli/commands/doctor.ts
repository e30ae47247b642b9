import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Command } from "commander";
import { redactSecrets } from "../../core/index.js";
import {
  checkAuth,
  checkCodexHome,
  checkConfig,
  checkEndpoint,
  checkInstall,
  checkMcpServers,
  checkNode,
  checkSandbox,
  checkTools,
  type CheckResult,
  type DoctorContext,
} from "./doctor-checks.js";

// `codex doctor`: one screen saying why Codex will not work here and how to fix it. ✓/⚠/✗ per line,
// --json for scripts, exit 1 when anything failed.

const ENDPOINT_TIMEOUT_MS = 3000;

export async function runDoctorChecks(ctx: DoctorContext): Promise<CheckResult[]> {
  const [home, configured, sandbox, tools] = await Promise.all([
    checkCodexHome(ctx),
    checkConfig(ctx),
    checkSandbox(ctx),
    checkTools(ctx),
  ]);
  const auth = await checkAuth(ctx, configured.config);
  const [endpoint, mcp] = await Promise.all([
    checkEndpoint(ctx, configured.config, auth.key),
    checkMcpServers(ctx, configured.config, ctx.version),
  ]);
  const results = [checkNode(), checkInstall(ctx), home, configured.result, auth.result, endpoint, ...mcp, ...sandbox, ...tools];
  // No line may show a key, whatever a check quoted (a config line, a URL, an error).
  const secrets = auth.key ? [auth.key] : [];
  return results.map((r) => ({
    ...r,
    summary: redactSecrets(r.summary, secrets),
    ...(r.fix !== undefined ? { fix: redactSecrets(r.fix, secrets) } : {}),
  }));
}

const MARK: Record<CheckResult["status"], { unicode: string; ascii: string }> = {
  ok: { unicode: "✓", ascii: "ok" },
  warn: { unicode: "⚠", ascii: "!!" },
  fail: { unicode: "✗", ascii: "XX" },
};

export function renderDoctor(results: CheckResult[], o: { version: string; ascii: boolean }): string {
  const width = Math.max(...results.map((r) => r.name.length));
  const lines = [`codex doctor (${o.version})`];
  for (const r of results) {
    const mark = o.ascii ? MARK[r.status].ascii : MARK[r.status].unicode;
    lines.push(`${mark} ${r.name.padEnd(width)}  ${r.summary}`);
    if (r.fix && r.status !== "ok") lines.push(`  ${" ".repeat(width)}  fix: ${r.fix}`);
  }
  const count = (s: CheckResult["status"]) => results.filter((r) => r.status === s).length;
  lines.push(`${results.length} checks: ${count("ok")} ok, ${count("warn")} warnings, ${count("fail")} failed`);
  return lines.join("\n") + "\n";
}

export function registerDoctorCommand(program: Command, o: { version: string }): void {
  const collect = (v: string, prev: string[]) => [...prev, v];
  program
    .command("doctor")
    .description("check the installation, config, auth, network and sandbox, and say how to fix problems")
    .option("--json", "machine-readable report")
    .option("--ascii", "ASCII status marks")
    .option("--no-color", "no ANSI colour (the report never uses colour)")
    .option("-c, --config <key=value>", "override a config value (TOML)", collect, [])
    .option("--enable <feature>", "enable a feature flag", collect, [])
    .option("--disable <feature>", "disable a feature flag", collect, [])
    .action(async (opts: { json?: boolean; ascii?: boolean; config: string[]; enable: string[]; disable: string[] }) => {
      const results = await runDoctorChecks({
        env: process.env,
        cwd: process.cwd(),
        installPath: path.resolve(path.dirname(fileURLToPath(import.meta.url)), ".."),
        configOverrides: opts.config,
        enable: opts.enable,
        disable: opts.disable,
        endpointTimeoutMs: ENDPOINT_TIMEOUT_MS,
        version: o.version,
      });
      const ok = results.every((r) => r.status !== "fail");
      process.stdout.write(
        opts.json ? JSON.stringify({ version: o.version, ok, checks: results }, null, 2) + "\n" : renderDoctor(results, { version: o.version, ascii: Boolean(opts.ascii) }),
      );
      process.exitCode = ok ? 0 : 1;
    });
}
