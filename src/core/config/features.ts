import { EXTRA_FEATURES, FEATURES, findFeature } from "./feature-registry.js";
import { ConfigError } from "./errors.js";

export interface ResolvedFeatures {
  features: Record<string, boolean>;
  warnings: string[];
}

/**
 * Effective feature values: registry defaults < config `[features]` table < `--enable`/`--disable`.
 * Unknown names in config only warn (configs outlive flags); unknown names on the command line are
 * a ConfigError. Removed flags are accepted and stay off.
 */
export function resolveFeatures(
  table: Record<string, boolean> | undefined,
  enable: readonly string[],
  disable: readonly string[],
  o: { suppressUnstableWarning?: boolean } = {},
): ResolvedFeatures {
  const features: Record<string, boolean> = {};
  for (const f of [...FEATURES, ...EXTRA_FEATURES]) features[f.name] = f.defaultEnabled;
  const warnings: string[] = [];
  const explicitlyOn = new Set<string>();

  for (const [name, value] of Object.entries(table ?? {})) {
    const spec = findFeature(name);
    if (!spec) {
      warnings.push(`unknown feature flag '${name}' in [features]; ignoring it`);
      continue;
    }
    features[spec.name] = value;
    if (value) explicitlyOn.add(spec.name);
    else explicitlyOn.delete(spec.name);
  }
  const apply = (names: readonly string[], value: boolean): void => {
    for (const name of names) {
      const spec = findFeature(name);
      if (!spec) throw new ConfigError(`Unknown feature flag: ${name}`);
      features[spec.name] = value;
      if (value) explicitlyOn.add(spec.name);
      else explicitlyOn.delete(spec.name);
    }
  };
  apply(enable, true);
  apply(disable, false);

  for (const f of [...FEATURES, ...EXTRA_FEATURES]) {
    // A removed flag can still be switched off (when it defaulted on) but never on, as in the reference.
    if (f.stage === "removed") features[f.name] = f.defaultEnabled && features[f.name] !== false;
    if (f.stage === "under development" && explicitlyOn.has(f.name) && !o.suppressUnstableWarning) {
      warnings.push(
        `feature '${f.name}' is under development and may be incomplete or unstable; ` +
          "set suppress_unstable_features_warning = true to hide this warning",
      );
    }
  }
  return { features, warnings };
}

const NAME_WIDTH = 41;
const STAGE_WIDTH = 19;

/** `codex features list`: one line per known flag, sorted by name, columns 41 / 19 / value. */
export function formatFeaturesList(features: Record<string, boolean>): string {
  return [...FEATURES]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((f) => {
      const value = features[f.name] ?? f.defaultEnabled;
      return `${pad(f.name, NAME_WIDTH)}${pad(f.stage, STAGE_WIDTH)}${String(value)}`;
    })
    .join("\n");
}

/** Left-align in `width` columns, always leaving at least one space before the next column. */
function pad(s: string, width: number): string {
  return s.length < width ? s.padEnd(width) : `${s} `;
}
