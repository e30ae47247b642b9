// Settings we accept (so configs and scripts written for Codex keep working) but do not act on yet.
// Each one warns once, naming itself. When a feature lands, its row goes: this table is the only list.
import { formatKeyPath } from "./toml-keys.js";
import type { ConfigLayer } from "./validate-layer.js";

export interface UnsupportedSetting {
  kind: "config" | "flag";
  /** A top-level config key (also inside `[profiles.NAME]`), or a long flag with its dashes. */
  name: string;
}

export const UNSUPPORTED_SETTINGS: readonly UnsupportedSetting[] = [
  { kind: "config", name: "compact_prompt" },
  { kind: "config", name: "experimental_compact_prompt_file" },
  { kind: "config", name: "tool_output_token_limit" },
  { kind: "flag", name: "--ignore-rules" },
  { kind: "flag", name: "--cyber-access-program" },
  { kind: "flag", name: "--collaboration-mode" },
  { kind: "flag", name: "--skip-trust" },
];

/**
 * Warnings for unsupported keys set in `layer`; `seen` holds the keys already warned about, so a key set
 * in several layers (user file, profile, `-c`) warns once.
 */
export function unsupportedConfigWarnings(layer: ConfigLayer, seen: Set<string>): string[] {
  const out: string[] = [];
  for (const s of UNSUPPORTED_SETTINGS) {
    if (s.kind !== "config" || layer.table[s.name] === undefined || seen.has(s.name)) continue;
    seen.add(s.name);
    const key = formatKeyPath([...(layer.prefix ?? []), s.name]);
    const where = layer.kind === "override" ? `-c override '${layer.source}'` : layer.source;
    out.push(`\`${key}\` in ${where} is not supported yet; ignored`);
  }
  return out;
}

/** Warnings for unsupported flags among `given` (commander's camelCase option names, e.g. `ignoreRules`). */
export function unsupportedFlagWarnings(given: readonly string[]): string[] {
  const set = new Set(given);
  return UNSUPPORTED_SETTINGS.filter((s) => s.kind === "flag" && set.has(optionAttribute(s.name))).map(
    (s) => `\`${s.name}\` is not supported yet; ignored`,
  );
}

/** `--ignore-rules` -> `ignoreRules`, the attribute name commander stores the option under. */
function optionAttribute(flag: string): string {
  return flag.replace(/^--/, "").replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}
