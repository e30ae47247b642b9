import { mkdir, open } from "node:fs/promises";
import path from "node:path";
import { DEFAULT_RULES_FILE, RULES_DIR } from "./load.js";
import type { PrefixRule } from "./types.js";

// "Approve and remember": append an allow rule for an argv prefix to
// `$CODEX_HOME/rules/default.rules`, in the one-line form Codex itself writes, skipping exact
// duplicates so repeated approvals do not grow the file.

export function allowRuleLine(prefix: readonly string[]): string {
  return `prefix_rule(pattern=[${prefix.map((t) => JSON.stringify(t)).join(", ")}], decision="allow")`;
}

export function defaultRulesPath(codexHome: string): string {
  return path.join(codexHome, RULES_DIR, DEFAULT_RULES_FILE);
}

/** Appends the rule and returns the in-memory rule it stands for. */
export async function appendAllowPrefixRule(codexHome: string, prefix: readonly string[]): Promise<PrefixRule> {
  if (prefix.length === 0) throw new Error("prefix rule requires at least one token");
  const file = defaultRulesPath(codexHome);
  await mkdir(path.dirname(file), { recursive: true });
  const line = allowRuleLine(prefix);
  const handle = await open(file, "a+");
  let lineNumber: number;
  try {
    const contents = await handle.readFile("utf8");
    const lines = contents.split("\n");
    const existing = lines.indexOf(line);
    if (existing >= 0) {
      lineNumber = existing + 1;
    } else {
      const needsNewline = contents.length > 0 && !contents.endsWith("\n");
      await handle.appendFile(`${needsNewline ? "\n" : ""}${line}\n`);
      lineNumber = (contents.length === 0 ? 0 : lines.length - (needsNewline ? 0 : 1)) + 1;
    }
  } finally {
    await handle.close();
  }
  return { pattern: prefix.map((t) => [t]), decision: "allow", source: { file, line: lineNumber } };
}
