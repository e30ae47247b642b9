import { z } from "zod";
import { ConfigToml } from "../../protocol/config.js";
import { ConfigError, formatLocated } from "./errors.js";
import { formatKeyPath, locateKeyLine } from "./toml-keys.js";
import { isTable, type ConfigLayer } from "./config-layer.js";

// The layer type and table check live in config-layer.ts (no zod there: the start path reads layers without it).
export { isTable, type ConfigLayer } from "./config-layer.js";

/** Checks one layer against the schema. Throws ConfigError; returns warnings for unknown keys. */
export function validateLayer(layer: ConfigLayer, o: { strict: boolean }): string[] {
  const result = ConfigToml.safeParse(layer.table);
  if (!result.success) {
    const issue = result.error.issues[0];
    if (issue) throw issueToError(layer, issue);
  }
  const wireErr = findChatWireApi(layer.table);
  if (wireErr) throw located(layer, wireErr.path, wireErr.msg);

  const warnings: string[] = [];
  for (const p of unknownConfigKeys(ConfigToml, layer.table)) {
    const full = [...(layer.prefix ?? []), ...p];
    const key = formatKeyPath(full);
    if (o.strict) throw located(layer, p, `unknown config key '${key}'`);
    warnings.push(
      layer.kind === "override"
        ? `unknown config key '${key}' in -c override '${layer.source}'`
        : `unknown config key '${key}' in ${layer.source}`,
    );
  }
  return warnings;
}

function located(layer: ConfigLayer, path: (string | number)[], msg: string): ConfigError {
  if (layer.kind === "override") return new ConfigError(`invalid -c override '${layer.source}': ${msg}`);
  const full = [...(layer.prefix ?? []), ...path];
  const line = layer.text === undefined ? undefined : locateKeyLine(layer.text, full);
  return new ConfigError(formatLocated(layer.source, line, msg), { file: layer.source, line });
}

function issueToError(layer: ConfigLayer, issue: z.core.$ZodIssue): ConfigError {
  const path = issue.path.filter((p): p is string | number => typeof p !== "symbol");
  const key = formatKeyPath([...(layer.prefix ?? []), ...path]);
  return located(layer, path, `invalid value for ${key}: ${describeIssue(issue, valueAt(layer.table, path))}`);
}

function describeIssue(issue: z.core.$ZodIssue, actual: unknown): string {
  switch (issue.code) {
    case "invalid_value":
      return `expected one of ${issue.values.map(String).join("|")}`;
    case "invalid_type":
      return `expected ${issue.expected}, got ${typeName(actual)}`;
    case "too_small":
      return `must be >= ${String(issue.minimum)}`;
    case "too_big":
      return `must be <= ${String(issue.maximum)}`;
    default:
      return issue.message;
  }
}

function typeName(v: unknown): string {
  if (Array.isArray(v)) return "array";
  if (v === null) return "null";
  if (v instanceof Date) return "datetime";
  if (typeof v === "object") return "table";
  if (typeof v === "number" && !Number.isInteger(v)) return "float";
  if (typeof v === "number" || typeof v === "bigint") return "integer";
  return typeof v;
}

function valueAt(table: unknown, path: (string | number)[]): unknown {
  let cur: unknown = table;
  for (const p of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string | number, unknown>)[p];
  }
  return cur;
}

function findChatWireApi(table: Record<string, unknown>): { path: string[]; msg: string } | null {
  const scopes: [string[], unknown][] = [[[], table]];
  const profiles = table["profiles"];
  if (isTable(profiles)) for (const [n, p] of Object.entries(profiles)) scopes.push([["profiles", n], p]);
  for (const [prefix, scope] of scopes) {
    if (!isTable(scope) || !isTable(scope["model_providers"])) continue;
    for (const [id, prov] of Object.entries(scope["model_providers"])) {
      if (isTable(prov) && prov["wire_api"] === "chat") {
        return {
          path: [...prefix, "model_providers", id, "wire_api"],
          msg: `wire_api = "chat" is no longer supported for provider '${id}'; set wire_api = "responses"`,
        };
      }
    }
  }
  return null;
}

/**
 * Key paths present in `value` that `schema` does not declare. Only plain (non-loose) objects are
 * closed; loose objects and records of loose objects accept anything extra.
 */
export function unknownConfigKeys(schema: z.ZodType, value: unknown, at: string[] = []): string[][] {
  const s = unwrap(schema);
  if (!isTable(value)) return [];
  if (s instanceof z.ZodObject) {
    const shape = s.shape as Record<string, z.ZodType>;
    const open = s._zod.def.catchall !== undefined;
    const out: string[][] = [];
    for (const [k, v] of Object.entries(value)) {
      const child = shape[k];
      if (child) out.push(...unknownConfigKeys(child, v, [...at, k]));
      else if (!open) out.push([...at, k]);
    }
    return out;
  }
  if (s instanceof z.ZodRecord) {
    const valueType = s._zod.def.valueType as z.ZodType;
    return Object.entries(value).flatMap(([k, v]) => unknownConfigKeys(valueType, v, [...at, k]));
  }
  return [];
}

function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  while (s instanceof z.ZodOptional || s instanceof z.ZodDefault || s instanceof z.ZodNullable) {
    s = s.unwrap() as z.ZodType;
  }
  return s;
}
