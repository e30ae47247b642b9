import { Command } from "commander";
import type { ResolvedConfig } from "../../core/index.js";
import { formatFeaturesList, writeFeatureToUserConfig } from "../../core/index.js";

// `codex features list|enable F|disable F`. `list` shows effective values after every config layer;
// enable/disable persist to the user config only.

export interface FeaturesIo {
  stdout?: (text: string) => void;
  stderr?: (text: string) => void;
  setExitCode?: (code: number) => void;
}

export function registerFeaturesCommand(
  program: Command,
  load: (cmdOpts: Record<string, unknown>) => Promise<ResolvedConfig>,
  io: FeaturesIo = {},
): Command {
  const stdout = io.stdout ?? ((t: string) => void process.stdout.write(t));
  const stderr = io.stderr ?? ((t: string) => void process.stderr.write(t));
  const setExitCode = io.setExitCode ?? ((code: number) => void (process.exitCode = code));
  const run = async (body: () => Promise<void>): Promise<void> => {
    try {
      await body();
    } catch (e) {
      stderr(`Error: ${(e as Error).message ?? String(e)}\n`);
      setExitCode(1);
    }
  };
  const collect = (v: string, prev: string[] | undefined): string[] => [...(prev ?? []), v];

  const features = program.command("features").description("inspect and toggle feature flags");
  features
    .command("list")
    .description("list feature flags with their stage and effective value")
    .option("-c, --config <key=value>", "override a config value (repeatable)", collect)
    .option("--enable <feature>", "enable a feature for this invocation (repeatable)", collect)
    .option("--disable <feature>", "disable a feature for this invocation (repeatable)", collect)
    .action(async (_opts: Record<string, unknown>, cmd: Command) =>
      run(async () => {
        const config = await load(mergedOptions(cmd));
        stdout(`${formatFeaturesList(config.features)}\n`);
      }),
    );

  for (const [name, value] of [
    ["enable", true],
    ["disable", false],
  ] as const) {
    features
      .command(name)
      .description(`${name} a feature flag in $CODEX_HOME/config.toml`)
      .argument("<feature>", "feature flag name")
      .action(async (feature: string, _opts: Record<string, unknown>, cmd: Command) =>
        run(async () => {
          const config = await load(mergedOptions(cmd));
          await writeFeatureToUserConfig({ codexHome: config.codexHome, name: feature, value });
          stdout(`${value ? "Enabled" : "Disabled"} feature \`${feature}\` in config.toml.\n`);
        }),
      );
  }
  return features;
}

/** Ancestors' options, then this command's; repeatable list options are concatenated, not replaced. */
function mergedOptions(cmd: Command): Record<string, unknown> {
  const chain: Command[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) chain.unshift(c);
  const out: Record<string, unknown> = {};
  for (const c of chain) {
    for (const [k, v] of Object.entries(c.opts())) {
      const prev = out[k];
      out[k] = Array.isArray(prev) && Array.isArray(v) ? [...prev, ...v] : v;
    }
  }
  return out;
}
