import fs from "node:fs/promises";
import path from "node:path";
import { ConfigError } from "./errors.js";

// The one way our commands rewrite `$CODEX_HOME/config.toml` (features, trust, MCP servers): read it whole,
// write it back through a temp file and a rename, so a reader never sees half a file.

/** The text of `$CODEX_HOME/config.toml`, "" when it does not exist. */
export async function readUserConfigText(codexHome: string): Promise<{ file: string; text: string }> {
  const file = path.join(codexHome, "config.toml");
  try {
    return { file, text: await fs.readFile(file, "utf8") };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return { file, text: "" };
    throw new ConfigError(`${file}: cannot read config: ${(e as Error).message}`, { file });
  }
}

/** Writes `$CODEX_HOME/config.toml` atomically (mode 0600); returns its path. */
export async function writeUserConfigAtomically(codexHome: string, text: string): Promise<string> {
  const file = path.join(codexHome, "config.toml");
  await fs.mkdir(codexHome, { recursive: true, mode: 0o700 });
  const tmp = `${file}.tmp-${process.pid}-${Date.now()}`;
  try {
    await fs.writeFile(tmp, text, { mode: 0o600 });
    await fs.rename(tmp, file);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
  return file;
}
