// Beside the trust digest in config.toml, a record of what was trusted part by part (one sha256 per hooks
// file, hook script, rules file, Claude settings and MCP server list): $CODEX_HOME/trust/<hash of root>.json.
// When the digest no longer matches, the trust prompt compares the project against this record to say what
// changed. The record never decides trust; a missing or unreadable one only means "cannot say".
import { lazyCrypto } from "../../util/lazy-builtin.js";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";

export interface TrustChange {
  kind: "added" | "changed" | "removed";
  /** What it is, for people: `.codex/hooks.json`, `MCP servers in .codex/config.toml`, a script path… */
  what: string;
}

interface Manifest {
  root: string;
  parts: Record<string, string>;
}

const sha = (s: string) => lazyCrypto().createHash("sha256").update(s).digest("hex");
const manifestPath = (codexHome: string, root: string) => path.join(codexHome, "trust", `${sha(root).slice(0, 32)}.json`);

export async function writeTrustManifest(o: { codexHome: string; root: string; parts: { label: string; content: string }[] }): Promise<void> {
  const file = manifestPath(o.codexHome, o.root);
  const manifest: Manifest = { root: o.root, parts: Object.fromEntries(o.parts.map((p) => [p.label, sha(p.content)])) };
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(manifest, null, 2) + "\n", { mode: 0o600 });
  await rename(tmp, file);
}

/** What differs between the recorded parts of `root` and `parts` now; null when there is no record to compare with. */
export async function trustChanges(o: {
  codexHome: string;
  root: string;
  parts: { label: string; content: string }[];
}): Promise<TrustChange[] | null> {
  let recorded: Manifest;
  try {
    recorded = JSON.parse(await readFile(manifestPath(o.codexHome, o.root), "utf8")) as Manifest;
  } catch {
    return null;
  }
  if (recorded.root !== o.root || typeof recorded.parts !== "object" || recorded.parts === null) return null;
  const now = new Map(o.parts.map((p) => [p.label, sha(p.content)]));
  const changes: TrustChange[] = [];
  for (const [label, digest] of now) {
    const before = recorded.parts[label];
    if (before === undefined) changes.push({ kind: "added", what: describePart(label) });
    else if (before !== digest) changes.push({ kind: "changed", what: describePart(label) });
  }
  for (const label of Object.keys(recorded.parts)) {
    if (!now.has(label)) changes.push({ kind: "removed", what: describePart(label) });
  }
  return changes;
}

function describePart(label: string): string {
  const at = label.indexOf(":");
  const kind = at < 0 ? label : label.slice(0, at);
  const rest = at < 0 ? "" : label.slice(at + 1);
  const inDir = (dir: string, file: string) => (dir === "." ? file : `${dir}/${file}`);
  switch (kind) {
    case "hooks":
      return inDir(rest, "hooks.json");
    case "script":
      return `hook script ${rest}`;
    case "rules": {
      const slash = rest.lastIndexOf("/");
      return inDir(rest.slice(0, slash), `rules/${rest.slice(slash + 1)}`);
    }
    case "claude-settings":
      return ".claude/settings.json";
    case "mcp":
      return `MCP servers in ${inDir(rest, "config.toml")}`;
    default:
      return label;
  }
}
