import { stringify as stringifyToml } from "smol-toml";
import { parseTomlText } from "./read-layer.js";
import { readUserConfigText, writeUserConfigAtomically } from "./user-config-file.js";
import { isTable } from "./config-layer.js";

// Writes string keys into one `[a."b"]` table of $CODEX_HOME/config.toml, keeping the rest of the file:
// the table is edited in place (comments and layout survive); an unusual layout (inline or dotted tables)
// falls back to re-serialising the document. The write is atomic (temp file + rename).

/** `text` with `table.<key> = value` set for every entry of `values`; `table` is a key path such as ["projects", "/w"]. */
export function setTableKeysInToml(
  text: string,
  o: { table: readonly string[]; values: Record<string, string>; file: string },
): string {
  const doc = parseTomlText(text, o.file);
  const edited = editInPlace(text, o.table, o.values);
  if (edited !== null && editWorked(edited, o)) return edited;
  let node: Record<string, unknown> = doc;
  for (const key of o.table) {
    const next = isTable(node[key]) ? (node[key] as Record<string, unknown>) : {};
    node[key] = next;
    node = next;
  }
  Object.assign(node, o.values);
  return stringifyToml(doc) + "\n";
}

/** Reads, edits and atomically rewrites `$CODEX_HOME/config.toml`. Returns the file's path. */
export async function writeUserConfigTable(o: {
  codexHome: string;
  table: readonly string[];
  values: Record<string, string>;
}): Promise<string> {
  const { file, text } = await readUserConfigText(o.codexHome);
  return writeUserConfigAtomically(o.codexHome, setTableKeysInToml(text, { table: o.table, values: o.values, file }));
}

function editWorked(edited: string, o: { table: readonly string[]; values: Record<string, string>; file: string }): boolean {
  try {
    return hasValues(parseTomlText(edited, o.file), o.table, o.values);
  } catch {
    // e.g. a new [table] header clashing with an inline table of the same name
    return false;
  }
}

function hasValues(doc: Record<string, unknown>, table: readonly string[], values: Record<string, string>): boolean {
  let node: unknown = doc;
  for (const key of table) node = isTable(node) ? node[key] : undefined;
  return isTable(node) && Object.entries(values).every(([k, v]) => node[k] === v);
}

const bareKey = (k: string): string => (/^[A-Za-z0-9_-]+$/.test(k) ? k : JSON.stringify(k));

function editInPlace(text: string, table: readonly string[], values: Record<string, string>): string | null {
  const header = `[${table.map(bareKey).join(".")}]`;
  const lines = text.split("\n");
  const at = lines.findIndex((l) => l.trim() === header);
  const assignments = Object.entries(values).map(([k, v]) => `${bareKey(k)} = ${JSON.stringify(v)}`);
  if (at < 0) {
    const sep = text === "" || text.endsWith("\n") ? "" : "\n";
    return `${text}${sep}${text.trim() === "" ? "" : "\n"}${header}\n${assignments.join("\n")}\n`;
  }
  let end = lines.length;
  for (let i = at + 1; i < lines.length; i++) {
    if (/^\s*\[/.test(lines[i] ?? "")) {
      end = i;
      break;
    }
  }
  const missing: string[] = [];
  for (const [k, v] of Object.entries(values)) {
    const keyRe = new RegExp(`^\\s*("?)${k.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\1\\s*=`);
    const line = lines.slice(at + 1, end).findIndex((l) => keyRe.test(l));
    if (line >= 0) lines[at + 1 + line] = `${bareKey(k)} = ${JSON.stringify(v)}`;
    else missing.push(`${bareKey(k)} = ${JSON.stringify(v)}`);
  }
  let insertAt = at + 1;
  for (let i = at + 1; i < end; i++) if ((lines[i] ?? "").trim() !== "") insertAt = i + 1;
  lines.splice(insertAt, 0, ...missing);
  return lines.join("\n");
}
