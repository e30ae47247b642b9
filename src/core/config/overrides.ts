import { parse as parseToml } from "smol-toml";
import { ConfigError } from "./errors.js";
import { findKeyValueSeparator, splitDottedKey } from "./toml-keys.js";

export interface ConfigOverride {
  raw: string;
  path: string[];
  value: unknown;
}

/**
 * Parses one `-c key=value`. The key is a TOML dotted key (quoted segments allowed); the value is read
 * as a TOML value and, when that fails, taken verbatim as a string (so `-c model=o3` works unquoted).
 */
export function parseOverride(raw: string): ConfigOverride {
  const eq = findKeyValueSeparator(raw);
  if (eq < 0) throw new ConfigError(`invalid -c override '${raw}': expected key=value`);
  const path = splitDottedKey(raw.slice(0, eq));
  if (!path || path.length === 0) {
    throw new ConfigError(`invalid -c override '${raw}': invalid key '${raw.slice(0, eq).trim()}'`);
  }
  const text = raw.slice(eq + 1).trim();
  return { raw, path, value: parseTomlValue(text) };
}

function parseTomlValue(text: string): unknown {
  try {
    const doc = parseToml(`x = ${text}`);
    return toPlain(doc["x"]);
  } catch {
    return text;
  }
}

/** smol-toml returns null-prototype objects; normalise so deep equality and spreading behave. */
export function toPlain(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(toPlain);
  if (v !== null && typeof v === "object" && !(v instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = toPlain(x);
    return out;
  }
  return v;
}

/** `{a: {b: value}}` for path ["a", "b"]. */
export function overrideToTable(o: ConfigOverride): Record<string, unknown> {
  let cur: unknown = o.value;
  for (let i = o.path.length - 1; i >= 0; i--) cur = { [o.path[i] as string]: cur };
  return cur as Record<string, unknown>;
}
