import { stringify as stringifyToml } from "smol-toml";
import { findFeature } from "./feature-registry.js";
import { ConfigError } from "./errors.js";
import { parseTomlText } from "./read-layer.js";
import { readUserConfigText, writeUserConfigAtomically } from "./user-config-file.js";
import { isTable } from "./validate-layer.js";

/**
 * Returns `text` with `features.<name> = value` set. Edits the `[features]` section in place so comments
 * and layout survive; falls back to re-serialising the document when the layout is unusual
 * (inline or dotted `features` keys).
 */
export function setFeatureInToml(text: string, o: { name: string; value: boolean; file: string }): string {
  const doc = parseTomlText(text, o.file);
  const edited = editInPlace(text, o.name, o.value);
  if (edited !== null) {
    const check = parseTomlText(edited, o.file);
    if (isTable(check["features"]) && check["features"][o.name] === o.value) return edited;
  }
  const features = isTable(doc["features"]) ? doc["features"] : {};
  return stringifyToml({ ...doc, features: { ...features, [o.name]: o.value } }) + "\n";
}

function editInPlace(text: string, name: string, value: boolean): string | null {
  const lines = text.split("\n");
  const header = lines.findIndex((l) => /^\s*\[\s*features\s*\]\s*(#.*)?\r?$/.test(l));
  const assignment = `${/^[A-Za-z0-9_-]+$/.test(name) ? name : JSON.stringify(name)} = ${String(value)}`;
  if (header < 0) {
    // A `features` key elsewhere (inline table / dotted key) would clash with a new section.
    if (/^\s*features\s*[.=]/m.test(text)) return null;
    const sep = text === "" || text.endsWith("\n") ? "" : "\n";
    return `${text}${sep}${text.trim() === "" ? "" : "\n"}[features]\n${assignment}\n`;
  }
  let end = lines.length;
  for (let i = header + 1; i < lines.length; i++) {
    if (/^\s*\[/.test(lines[i] ?? "")) {
      end = i;
      break;
    }
  }
  const keyRe = new RegExp(`^\\s*("?)${escapeRe(name)}\\1\\s*=`);
  for (let i = header + 1; i < end; i++) {
    if (keyRe.test(lines[i] ?? "")) {
      lines[i] = assignment;
      return lines.join("\n");
    }
  }
  let insertAt = header + 1;
  for (let i = header + 1; i < end; i++) if ((lines[i] ?? "").trim() !== "") insertAt = i + 1;
  lines.splice(insertAt, 0, assignment);
  return lines.join("\n");
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** `codex features enable|disable NAME`: validates the name and updates $CODEX_HOME/config.toml atomically. */
export async function writeFeatureToUserConfig(o: {
  codexHome: string;
  name: string;
  value: boolean;
}): Promise<string> {
  const spec = findFeature(o.name);
  if (!spec) throw new ConfigError(`Unknown feature flag: ${o.name}`);
  const { file, text } = await readUserConfigText(o.codexHome);
  return writeUserConfigAtomically(o.codexHome, setFeatureInToml(text, { name: spec.name, value: o.value, file }));
}
