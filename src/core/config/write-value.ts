import { createHash } from "node:crypto";
import path from "node:path";
import { ConfigError } from "./errors.js";
import { applyValueEdit, setValuesInToml, type MergeStrategy } from "./edit-value.js";
import { parseTomlText } from "./read-layer.js";
import { splitDottedKey } from "./toml-keys.js";
import { readUserConfigText, writeUserConfigAtomically } from "./user-config-file.js";
import { validateLayer } from "./validate-layer.js";

// Writes values into $CODEX_HOME/config.toml for a client (app-server config/value/write, config/batchWrite):
// every edit is checked against the config schema before anything is written, an `expectedVersion` that no
// longer matches the file is refused, and the file is rewritten atomically, keeping comments and other keys.

export type ConfigWriteErrorCode = "configValidationError" | "configVersionConflict" | "configLayerReadonly";

export class ConfigWriteError extends Error {
  constructor(
    message: string,
    readonly code: ConfigWriteErrorCode,
  ) {
    super(message);
    this.name = "ConfigWriteError";
  }
}

/** A layer's version: `sha256:` of its table as compact JSON with sorted keys (the reference's form). */
export function configLayerVersion(table: unknown): string {
  return `sha256:${createHash("sha256").update(canonicalJson(table)).digest("hex")}`;
}

function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
  if (v !== null && typeof v === "object") {
    const entries = Object.keys(v as object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`);
    return `{${entries.join(",")}}`;
  }
  return JSON.stringify(v) ?? "null";
}

export interface ConfigWriteRequest {
  codexHome: string;
  edits: ReadonlyArray<{ keyPath: string; value: unknown; merge: MergeStrategy }>;
  /** Must name the user's config.toml when given (the only layer a client may write). */
  filePath?: string | null;
  expectedVersion?: string | null;
}

export async function writeUserConfigValues(req: ConfigWriteRequest): Promise<{ filePath: string; version: string }> {
  const { file, text } = await readUserConfigText(req.codexHome);
  if (req.filePath && path.resolve(req.filePath) !== path.resolve(file)) {
    throw new ConfigWriteError(`Only the user config file (${file}) can be written, not ${req.filePath}`, "configLayerReadonly");
  }
  const current = parseTomlText(text, file);
  if (req.expectedVersion && req.expectedVersion !== configLayerVersion(current)) {
    throw new ConfigWriteError("Configuration was modified since last read. Fetch latest version and retry.", "configVersionConflict");
  }
  const edits = req.edits.map((e) => {
    const keyPath = splitDottedKey(e.keyPath);
    if (!keyPath || keyPath.length === 0) throw new ConfigWriteError(`Invalid configuration: invalid key path \`${e.keyPath}\``, "configValidationError");
    return { keyPath, value: e.value, merge: e.merge };
  });
  const expected = edits.reduce(applyValueEdit, current);
  try {
    validateLayer({ source: file, kind: "file", table: expected }, { strict: false });
  } catch (err) {
    if (err instanceof ConfigError) throw new ConfigWriteError(`Invalid configuration: ${err.message.replace(`${file}: `, "")}`, "configValidationError");
    throw err;
  }
  const edited = setValuesInToml(text, edits, { file });
  if (edited !== text) await writeUserConfigAtomically(req.codexHome, edited);
  return { filePath: file, version: configLayerVersion(expected) };
}
