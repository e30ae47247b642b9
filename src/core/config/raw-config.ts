// The layers of configuration as read and merged, before the schema: system < user < profile < the trusted
// project's files < `-c`. loadConfig validates each layer as it comes (onLayer) and resolves the result; the
// TUI's start (core/startup.ts) reads the same layers without the schemas to decide what its first frame is.
import path from "node:path";
import { ConfigError } from "./errors.js";
import { resolveCodexHome } from "./paths.js";
import { readFileLayer } from "./read-layer.js";
import { isTable, type ConfigLayer } from "./config-layer.js";
import { mergeTables } from "./merge.js";
import { overrideToTable, parseOverride } from "./overrides.js";
import { projectConfigPaths, safeRealpath } from "./project-layers.js";
import { resolveProjectTrust, skippedProjectWarning, trustProjectNow } from "./trust.js";

export const SYSTEM_CONFIG_PATH = "/etc/codex/config.toml";

export interface ReadRawConfigOptions {
  codexHome?: string;
  cwd: string;
  profile?: string;
  /** Raw `-c key=value` arguments, in command-line order. */
  overrides: string[];
  env: Record<string, string | undefined>;
  /** Defaults to /etc/codex/config.toml; tests point it elsewhere. */
  systemConfigPath?: string;
  ignoreUserConfig?: boolean;
  /** `codex exec --trust`: trust the project of cwd (recorded in config.toml) before its layer is read. */
  trustProject?: boolean;
  /** Each layer as it is read, before it is merged (loadConfig validates there; it may throw). */
  onLayer?(layer: ConfigLayer): void;
  /** Receives the warnings of reading (deprecated profile key, skipped project layer). */
  warnings: string[];
}

export interface RawConfig {
  codexHome: string;
  cwd: string;
  merged: Record<string, unknown>;
  layers: ConfigLayer[];
  activeProfile: string | undefined;
  trustedProjectRoot: string | undefined;
}

export async function readRawConfig(opts: ReadRawConfigOptions): Promise<RawConfig> {
  const codexHome = resolveCodexHome({ explicit: opts.codexHome, env: opts.env });
  const cwd = path.resolve(opts.cwd);
  const userPath = path.join(codexHome, "config.toml");
  let merged: Record<string, unknown> = {};
  const layers: ConfigLayer[] = [];
  const apply = (layer: ConfigLayer | null): void => {
    if (!layer) return;
    layers.push(layer);
    opts.onLayer?.(layer);
    merged = mergeTables(merged, layer.table);
  };

  apply(await readFileLayer(opts.systemConfigPath ?? SYSTEM_CONFIG_PATH));
  if (!opts.ignoreUserConfig) apply(await readFileLayer(userPath));

  const activeProfile = await applyProfile({ opts, codexHome, userPath, merged, apply });

  const markers = stringArray(merged["project_root_markers"]) ?? [".git"];
  let projects = isTable(merged["projects"]) ? (merged["projects"] as Parameters<typeof resolveProjectTrust>[0]["projects"]) : undefined;
  if (opts.trustProject) projects = await trustProjectNow({ codexHome, cwd, projects, markers });
  let trustedProjectRoot: string | undefined;
  const trust = resolveProjectTrust({ cwd, projects, markers });
  if (trust.state !== "trusted" && trust.hasLayer) opts.warnings.push(skippedProjectWarning(trust, { codexHome }));
  if (trust.state === "trusted") {
    const root = trust.root;
    trustedProjectRoot = root;
    for (const file of projectConfigPaths(root, cwd)) {
      if (safeRealpath(file) === safeRealpath(userPath)) continue;
      apply(await readFileLayer(file));
    }
  }

  for (const raw of opts.overrides) {
    const ov = parseOverride(raw);
    apply({ source: raw, kind: "override", table: overrideToTable(ov) });
  }
  return { codexHome, cwd, merged, layers, activeProfile, trustedProjectRoot };
}

async function applyProfile(o: {
  opts: ReadRawConfigOptions;
  codexHome: string;
  userPath: string;
  merged: Record<string, unknown>;
  apply: (layer: ConfigLayer | null) => void;
}): Promise<string | undefined> {
  let name = o.opts.profile;
  const legacy = o.merged["profile"];
  if (!name && typeof legacy === "string" && legacy !== "") {
    name = legacy;
    o.opts.warnings.push(
      `top-level profile = "${legacy}" in config.toml is deprecated; pass -p ${legacy} (or --profile) instead`,
    );
  }
  if (!name) return undefined;
  if (!/^[A-Za-z0-9_][A-Za-z0-9._-]*$/.test(name)) {
    throw new ConfigError(`invalid profile name '${name}': use letters, digits, '.', '_' or '-'`);
  }
  const file = path.join(o.codexHome, `${name}.config.toml`);
  const fileLayer = await readFileLayer(file);
  const profiles = o.merged["profiles"];
  const table = isTable(profiles) ? profiles[name] : undefined;
  if (fileLayer) {
    if (isTable(table)) {
      o.opts.warnings.push(`profile '${name}' is defined both in ${file} and in [profiles.${name}]; using ${file}`);
    }
    o.apply(fileLayer);
  } else if (isTable(table)) {
    o.apply({ source: o.userPath, kind: "file", prefix: ["profiles", name], table });
  } else {
    o.opts.warnings.push(`profile '${name}' not found: no ${file} and no [profiles.${name}]`);
  }
  return name;
}

function stringArray(v: unknown): string[] | undefined {
  return Array.isArray(v) && v.every((x) => typeof x === "string") ? (v as string[]) : undefined;
}
