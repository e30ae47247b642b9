// Custom prompts: every `*.md` file directly in $CODEX_HOME/prompts/ is a saved prompt the person can send as
// `/name [args]` (name = the file name without `.md`). An optional front matter block gives `description:`
// and `argument-hint:` for the command popup. In the body, `$ARGUMENTS` becomes all arguments, `$1`…`$9` the
// positional ones, `$NAME` (upper case) the value of a `NAME=value` argument, and `$$` a literal `$`.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { shlexSplit } from "../approval/shlex.js";

export interface CustomPrompt {
  name: string;
  path: string;
  body: string;
  description?: string;
  argumentHint?: string;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** The prompts in `<codexHome>/prompts`, sorted by name; none when the folder is missing. Unreadable files are skipped. */
export async function listCustomPrompts(o: { codexHome: string }): Promise<CustomPrompt[]> {
  const dir = path.join(o.codexHome, "prompts");
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const prompts: CustomPrompt[] = [];
  for (const e of entries) {
    if (!e.name.endsWith(".md") || !(e.isFile() || e.isSymbolicLink())) continue;
    const name = e.name.slice(0, -3);
    if (!NAME.test(name)) continue;
    const file = path.join(dir, e.name);
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch {
      continue;
    }
    prompts.push({ name, path: file, ...parseFrontMatter(text) });
  }
  return prompts.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function parseFrontMatter(text: string): { body: string; description?: string; argumentHint?: string } {
  const m = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/.exec(text);
  if (!m) return { body: text };
  const fields: Record<string, string> = {};
  for (const line of m[1]!.split(/\r?\n/)) {
    const kv = /^([A-Za-z_-]+)\s*:\s*(.*)$/.exec(line);
    if (kv) fields[kv[1]!.toLowerCase()] = kv[2]!.trim().replace(/^(["'])(.*)\1$/, "$2");
  }
  return {
    body: text.slice(m[0].length),
    ...(fields["description"] ? { description: fields["description"] } : {}),
    ...(fields["argument-hint"] ? { argumentHint: fields["argument-hint"] } : {}),
  };
}

/** The prompt's body with its placeholders filled from `args` (the text typed after `/name`). */
export function expandCustomPrompt(prompt: Pick<CustomPrompt, "body">, args: string): string {
  const trimmed = args.trim();
  const words = shlexSplit(trimmed) ?? trimmed.split(/\s+/).filter(Boolean);
  const named: Record<string, string> = {};
  const positional: string[] = [];
  for (const w of words) {
    const kv = /^([A-Z][A-Z0-9_]*)=(.*)$/s.exec(w);
    if (kv) named[kv[1]!] = kv[2]!;
    else positional.push(w);
  }
  return prompt.body.replace(/\$(\$|ARGUMENTS\b|[1-9]|[A-Z][A-Z0-9_]*)/g, (whole, key: string) => {
    if (key === "$") return "$";
    if (key === "ARGUMENTS") return trimmed;
    if (/^[1-9]$/.test(key)) return positional[Number(key) - 1] ?? "";
    return named[key] ?? whole;
  });
}
