import { isDeepStrictEqual } from "node:util";
import { stringify as stringifyToml } from "smol-toml";
import { parseTomlText } from "./read-layer.js";
import { findKeyValueSeparator, splitDottedKey } from "./toml-keys.js";
import { isTable } from "./validate-layer.js";

// Sets (or removes) one value at a dotted key path of a config.toml text, keeping every other byte: the
// assignment line is replaced or inserted in the table section it belongs to. The edit is checked by
// re-parsing; when the file's layout defeats the line editor (inline tables, multi-line values, dotted keys
// spread over sections), the document is re-serialised instead, so the result is always what was asked.

export type MergeStrategy = "replace" | "upsert";

export interface ConfigValueEdit {
  keyPath: readonly string[];
  /** A JSON value; null removes the key. */
  value: unknown;
  merge: MergeStrategy;
}

/** The document `doc` with `edit` applied (a new object; `doc` is not changed). */
export function applyValueEdit(doc: Record<string, unknown>, edit: ConfigValueEdit): Record<string, unknown> {
  const out = structuredClone(doc);
  const parents = edit.keyPath.slice(0, -1);
  const last = edit.keyPath[edit.keyPath.length - 1]!;
  let node: Record<string, unknown> = out;
  for (const key of parents) {
    if (!isTable(node[key])) {
      if (edit.value === null) return out;
      node[key] = {};
    }
    node = node[key] as Record<string, unknown>;
  }
  if (edit.value === null) {
    delete node[last];
    return out;
  }
  const existing = node[last];
  node[last] = edit.merge === "upsert" && isTable(existing) && isTable(edit.value) ? deepMerge(existing, edit.value) : edit.value;
  return out;
}

function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (v === null) delete out[k];
    else out[k] = isTable(out[k]) && isTable(v) ? deepMerge(out[k] as Record<string, unknown>, v) : v;
  }
  return out;
}

/** `text` with the edits applied, comments and layout kept where the line editor can. */
export function setValuesInToml(text: string, edits: readonly ConfigValueEdit[], o: { file: string }): string {
  let expected = parseTomlText(text, o.file);
  let edited: string | null = text;
  for (const edit of edits) {
    const before = expected;
    expected = applyValueEdit(expected, edit);
    if (edited === null) continue;
    for (const leaf of leafEdits(before, edit)) {
      edited = edited === null ? null : editLine(edited, leaf.path, leaf.value);
    }
  }
  if (edited !== null && parsesTo(edited, expected, o.file)) return edited;
  return stringifyToml(expected) + "\n";
}

/** The single-line assignments (or removals) that make `edit` happen, or one whole-table replacement. */
function leafEdits(doc: Record<string, unknown>, edit: ConfigValueEdit): Array<{ path: string[]; value: unknown }> {
  const path = [...edit.keyPath];
  if (!isTable(edit.value)) return [{ path, value: edit.value }];
  const out: Array<{ path: string[]; value: unknown }> = [];
  // Replacing a table drops its old keys first.
  if (edit.merge === "replace") {
    const old = lookup(doc, path);
    if (isTable(old)) for (const leaf of leaves(old, path)) if (!hasLeaf(edit.value, leaf.path.slice(path.length))) out.push({ path: leaf.path, value: null });
  }
  out.push(...leaves(edit.value, path));
  return out;
}

function leaves(table: Record<string, unknown>, prefix: string[]): Array<{ path: string[]; value: unknown }> {
  return Object.entries(table).flatMap(([k, v]) => (isTable(v) ? leaves(v, [...prefix, k]) : [{ path: [...prefix, k], value: v }]));
}

function hasLeaf(table: Record<string, unknown>, path: string[]): boolean {
  return lookup(table, path) !== undefined;
}

function lookup(doc: unknown, path: readonly string[]): unknown {
  let node = doc;
  for (const k of path) node = isTable(node) ? node[k] : undefined;
  return node;
}

const bareKey = (k: string): string => (/^[A-Za-z0-9_-]+$/.test(k) ? k : JSON.stringify(k));

/** The TOML text of one value (`5`, `"x"`, `["a", "b"]`). */
function tomlValue(value: unknown): string {
  const line = stringifyToml({ v: value }).trim();
  return line.slice(line.indexOf("=") + 1).trim();
}

interface Line {
  /** The table header in force for this line. */
  table: string[];
  /** The full key path of an assignment line, else null. */
  key: string[] | null;
  header: boolean;
}

function scan(lines: string[]): Line[] {
  let table: string[] = [];
  return lines.map((raw) => {
    const line = raw.trim();
    if (line.startsWith("[")) {
      const arr = line.startsWith("[[");
      const close = line.indexOf(arr ? "]]" : "]");
      const key = close < 0 ? null : splitDottedKey(line.slice(arr ? 2 : 1, close));
      // An array-of-tables element cannot hold our keys; mark it so nothing is inserted there.
      table = key ? (arr ? [...key, "\u0000"] : key) : ["\u0000"];
      return { table, key: null, header: true };
    }
    if (line === "" || line.startsWith("#")) return { table, key: null, header: false };
    const eq = findKeyValueSeparator(line);
    const key = eq < 0 ? null : splitDottedKey(line.slice(0, eq));
    return { table, key: key ? [...table, ...key] : null, header: false };
  });
}

const same = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);
const startsWith = (a: readonly string[], prefix: readonly string[]): boolean => prefix.length <= a.length && prefix.every((x, i) => x === a[i]);

/** One assignment set, replaced or removed in place; null when the layout is not one the line editor handles. */
function editLine(text: string, path: string[], value: unknown): string | null {
  const lines = text.split("\n");
  const info = scan(lines);
  const at = info.findIndex((l) => l.key !== null && same(l.key, path));
  if (at >= 0) {
    const rel = path.slice(info[at]!.table.length);
    if (value === null) lines.splice(at, 1);
    else lines[at] = `${rel.map(bareKey).join(".")} = ${tomlValue(value)}`;
    return lines.join("\n");
  }
  if (value === null) return text;
  // The deepest existing section that is a prefix of the path takes the key (dotted for what is left).
  let best = -1;
  let bestLen = -1;
  info.forEach((l, i) => {
    if (l.header && startsWith(path.slice(0, -1), l.table) && l.table.length > bestLen) {
      best = i;
      bestLen = l.table.length;
    }
  });
  const parent = path.slice(0, -1);
  if (parent.length > 0 && bestLen < parent.length) {
    // No section for the key's table: a new one at the end.
    const sep = text === "" || text.endsWith("\n") ? "" : "\n";
    const gap = text.trim() === "" ? "" : "\n";
    return `${text}${sep}${gap}[${parent.map(bareKey).join(".")}]\n${bareKey(path[path.length - 1]!)} = ${tomlValue(value)}\n`;
  }
  const assignment = `${bareKey(path[path.length - 1]!)} = ${tomlValue(value)}`;
  if (parent.length === 0) {
    // A root key goes after the last root assignment, before the first section.
    const firstHeader = info.findIndex((l) => l.header);
    const rootEnd = firstHeader < 0 ? lines.length : firstHeader;
    let insertAt = 0;
    for (let i = 0; i < rootEnd; i++) if (info[i]!.key !== null) insertAt = i + 1;
    lines.splice(insertAt, 0, assignment);
    return lines.join("\n");
  }
  let end = lines.length;
  for (let i = best + 1; i < lines.length; i++) {
    if (info[i]!.header) {
      end = i;
      break;
    }
  }
  let insertAt = best + 1;
  for (let i = best + 1; i < end; i++) if (lines[i]!.trim() !== "") insertAt = i + 1;
  lines.splice(insertAt, 0, assignment);
  return lines.join("\n");
}

function parsesTo(text: string, expected: Record<string, unknown>, file: string): boolean {
  try {
    return isDeepStrictEqual(parseTomlText(text, file), expected);
  } catch {
    return false;
  }
}
