import fs from "node:fs/promises";
import { parse as parseToml, TomlError } from "smol-toml";
import { ConfigError } from "./errors.js";
import { toPlain } from "./overrides.js";
import type { ConfigLayer } from "./config-layer.js";

/** Reads and parses one TOML file; null when it does not exist. Syntax errors name file:line:col. */
export async function readFileLayer(file: string): Promise<ConfigLayer | null> {
  let text: string;
  try {
    text = await fs.readFile(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return null;
    throw new ConfigError(`${file}: cannot read config: ${(e as Error).message}`, { file });
  }
  return { source: file, kind: "file", text, table: parseTomlText(text, file) };
}

export function parseTomlText(text: string, file: string): Record<string, unknown> {
  try {
    return toPlain(parseToml(text)) as Record<string, unknown>;
  } catch (e) {
    if (e instanceof TomlError) {
      const reason = (e.message.split("\n")[0] ?? "").replace(/^Invalid TOML document:\s*/, "");
      throw new ConfigError(`${file}:${e.line}:${e.column}: invalid TOML: ${reason}`, { file, line: e.line });
    }
    throw e;
  }
}
