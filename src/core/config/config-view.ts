import path from "node:path";
import type { ResolvedConfig } from "./types.js";
import { SYSTEM_CONFIG_PATH } from "./load.js";
import { isTable, type ConfigLayer } from "./validate-layer.js";
import { configLayerVersion } from "./write-value.js";

// The effective configuration as a client reads it (app-server config/read): the merged table, which layer
// each key's value came from, and the layers themselves, highest precedence first.

export type ConfigLayerName =
  | { type: "system"; file: string }
  | { type: "user"; file: string; profile: string | null }
  | { type: "project"; dotCodexFolder: string }
  | { type: "sessionFlags" };

export interface ConfigLayerView {
  name: ConfigLayerName;
  version: string;
  config: Record<string, unknown>;
  disabledReason: string | null;
}

export interface ConfigView {
  config: Record<string, unknown>;
  origins: Record<string, { name: ConfigLayerName; version: string }>;
  layers: ConfigLayerView[];
}

/** Keys the reference always reports, null when unset. */
const TYPED_KEYS = [
  "model", "review_model", "model_context_window", "model_auto_compact_token_limit",
  "model_auto_compact_token_limit_scope", "model_provider", "approval_policy", "approvals_reviewer", "sandbox_mode",
  "sandbox_workspace_write", "forced_chatgpt_workspace_id", "forced_login_method", "web_search",
  "client_search_provider", "tools", "instructions", "developer_instructions", "compact_prompt",
  "model_reasoning_effort", "model_reasoning_summary", "model_verbosity", "service_tier", "analytics", "apps",
  "browser_use", "computer_use", "desktop",
] as const;

export function configView(config: ResolvedConfig, o: { systemConfigPath?: string } = {}): ConfigView {
  const userFile = path.join(config.codexHome, "config.toml");
  const systemFile = o.systemConfigPath ?? SYSTEM_CONFIG_PATH;
  const found = config.layers ?? [];
  const named = found.map((layer) => ({ layer, name: layerName(layer, { userFile, codexHome: config.codexHome }) }));
  // The system and user files are layers even when absent (empty), as the reference lists them.
  if (!found.some((l) => l.source === systemFile && !l.prefix)) {
    named.unshift({ layer: { source: systemFile, kind: "file", table: {} }, name: { type: "system", file: systemFile } });
  }
  if (!found.some((l) => l.source === userFile && !l.prefix)) {
    named.splice(1, 0, { layer: { source: userFile, kind: "file", table: {} }, name: { type: "user", file: userFile, profile: null } });
  }
  const views = named.map(({ layer, name }) => {
    const table = layer.prefix ? nest(layer.prefix, layer.table) : layer.table;
    return { name, version: configLayerVersion(table), config: table, disabledReason: null };
  });
  const origins: ConfigView["origins"] = {};
  for (const v of views) {
    for (const key of leafKeys(v.config)) origins[key] = { name: v.name, version: v.version };
  }
  const effective: Record<string, unknown> = Object.fromEntries(TYPED_KEYS.map((k) => [k, null]));
  Object.assign(effective, config.raw);
  return { config: effective, origins, layers: views.reverse() };
}

function layerName(layer: ConfigLayer, o: { userFile: string; codexHome: string }): ConfigLayerName {
  if (layer.kind === "override") return { type: "sessionFlags" };
  if (layer.source === o.userFile) {
    const profile = layer.prefix?.[0] === "profiles" ? (layer.prefix[1] ?? null) : null;
    return { type: "user", file: o.userFile, profile };
  }
  const base = path.basename(layer.source);
  if (path.dirname(layer.source) === o.codexHome && base.endsWith(".config.toml")) {
    return { type: "user", file: layer.source, profile: base.slice(0, -".config.toml".length) };
  }
  if (path.basename(path.dirname(layer.source)) === ".codex") return { type: "project", dotCodexFolder: path.dirname(layer.source) };
  return { type: "system", file: layer.source };
}

function nest(prefix: readonly string[], table: Record<string, unknown>): Record<string, unknown> {
  return prefix.reduceRight<Record<string, unknown>>((inner, key) => ({ [key]: inner }), table);
}

/** Dotted paths of every non-table value (`model_providers.fake.base_url`). */
function leafKeys(table: Record<string, unknown>, prefix = ""): string[] {
  return Object.entries(table).flatMap(([k, v]) => {
    const key = prefix ? `${prefix}.${k}` : k;
    return isTable(v) ? leafKeys(v, key) : [key];
  });
}
