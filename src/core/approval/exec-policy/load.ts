import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { parseRules } from "./parser.js";
import { ExecPolicyParseError, type ExecPolicy, type PrefixRule } from "./types.js";

// Where rules live: `$CODEX_HOME/rules/*.rules`, then `<project>/.codex/rules/*.rules` for each
// trusted project directory (the caller decides trust). Files load in name order, lowest
// precedence first; since the strictest match wins, order only affects `matchedRules` order.

export const RULES_DIR = "rules";
export const DEFAULT_RULES_FILE = "default.rules";

async function listRuleFiles(dir: string): Promise<string[]> {
  let names: import("node:fs").Dirent[];
  try {
    names = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw new Error(`failed to read rules directory ${dir}: ${(err as Error).message}`);
  }
  return names
    .filter((d) => d.isFile() && d.name.endsWith(".rules"))
    .map((d) => path.join(dir, d.name))
    .sort();
}

/** Reads and parses rule files in order; a parse error is an ExecPolicyParseError. */
export async function loadRuleFiles(files: readonly string[]): Promise<ExecPolicy> {
  const rules: PrefixRule[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (err) {
      throw new Error(`failed to read rules file ${file}: ${(err as Error).message}`);
    }
    rules.push(...parseRules(file, text));
  }
  return { rules };
}

export async function loadExecPolicy(options: {
  codexHome: string;
  /** Trusted project roots whose `.codex/rules/` are loaded too. */
  projectDirs?: readonly string[];
}): Promise<ExecPolicy> {
  const dirs = [
    path.join(options.codexHome, RULES_DIR),
    ...(options.projectDirs ?? []).map((d) => path.join(d, ".codex", RULES_DIR)),
  ];
  const files: string[] = [];
  for (const dir of dirs) files.push(...(await listRuleFiles(dir)));
  return loadRuleFiles(files);
}

/**
 * Like loadExecPolicy, but a broken rules file does not stop the session: the policy is empty and
 * the parse error comes back as a warning to show (Codex keeps running the same way).
 */
export async function loadExecPolicyOrWarn(options: {
  codexHome: string;
  projectDirs?: readonly string[];
}): Promise<{ policy: ExecPolicy; warning?: string }> {
  try {
    return { policy: await loadExecPolicy(options) };
  } catch (err) {
    if (!(err instanceof ExecPolicyParseError)) throw err;
    return { policy: { rules: [] }, warning: `failed to parse rules: ${err.message}` };
  }
}
