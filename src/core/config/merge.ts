import { isTable } from "./config-layer.js";

/** Deep merge of TOML tables: tables merge key by key, everything else (arrays included) is replaced. */
export function mergeTables(
  base: Record<string, unknown>,
  over: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(base)) {
    Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  }
  for (const [k, v] of Object.entries(over)) {
    const prev = Object.hasOwn(out, k) ? out[k] : undefined;
    const value = isTable(prev) && isTable(v) ? mergeTables(prev, v) : v;
    // defineProperty so a `__proto__` key from a file stays data instead of swapping the prototype.
    Object.defineProperty(out, k, { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}
