import { lazyCrypto } from "../../util/lazy-builtin.js";
import fs from "node:fs";
import path from "node:path";
import { parseTomlText } from "./read-layer.js";
import { findProjectRoot, projectConfigPaths, safeRealpath } from "./project-layers.js";
import { writeUserConfigTable } from "./trust-edit.js";
import { writeTrustManifest } from "./trust-manifest.js";
import { isTable } from "./config-layer.js";

// Project trust: a repository's own layer (.codex/config.toml, .codex/hooks.json, .codex/rules/, its
// mcp_servers) is code the repository brings, so it takes effect only when the user's config.toml says
// `[projects."<abs path>"] trust_level = "trusted"`. Trust granted through a prompt also records a digest
// of that code (`trust_digest`); when the code changes, the project is untrusted again until re-confirmed.
// A hand-written entry without a digest trusts the path, as before.

type Projects = Record<string, { trust_level?: "trusted" | "untrusted"; trust_digest?: string }>;

export type ProjectTrustState = "trusted" | "untrusted" | "changed";

export interface ProjectTrust {
  state: ProjectTrustState;
  /** Root of the project containing cwd (project_root_markers). */
  root: string;
  /** The `projects."<path>"` entry that decided, if any. */
  entryPath?: string;
  /** Whether the project brings a layer at all (.codex/config.toml, hooks.json or rules/). */
  hasLayer: boolean;
}

/** The `projects` entry covering `cwd`: the nearest of cwd and its ancestors (also through symlinks). */
function findEntry(cwd: string, projects: Projects | undefined): { path: string; entry: Projects[string] } | undefined {
  if (!projects) return undefined;
  for (const start of new Set([cwd, safeRealpath(cwd)])) {
    for (let dir = start; ; dir = path.dirname(dir)) {
      const entry = projects[dir];
      if (entry?.trust_level) return { path: dir, entry };
      if (path.dirname(dir) === dir) break;
    }
  }
  return undefined;
}

/**
 * The `.codex` folders of the project from its root down to cwd: each is a layer whose config.toml,
 * hooks.json and rules/ are loaded (nested ones too, as in the reference), so each counts in the digest.
 * A cwd outside `root` has only the root's folder.
 */
export function projectLayerDirs(root: string, cwd: string): string[] {
  const inside = (c: string): boolean => c === root || c.startsWith(root + path.sep);
  const from = inside(cwd) ? cwd : inside(safeRealpath(cwd)) ? safeRealpath(cwd) : root;
  return projectConfigPaths(root, from).map((f) => path.dirname(f));
}
const layerDirs = projectLayerDirs;

export function resolveProjectTrust(o: { cwd: string; projects: Projects | undefined; markers: readonly string[] }): ProjectTrust {
  const root = findProjectRoot(o.cwd, o.markers);
  const hasLayer = layerDirs(root, o.cwd).some((d) =>
    ["config.toml", "hooks.json", "rules"].some((f) => fs.existsSync(path.join(d, f))),
  );
  const found = findEntry(o.cwd, o.projects);
  if (!found || found.entry.trust_level !== "trusted") {
    return { state: "untrusted", root, hasLayer, ...(found ? { entryPath: found.path } : {}) };
  }
  const recorded = found.entry.trust_digest;
  // The digest covers every layer that loads: from the project root when the entry sits inside the project.
  const digestRoot = found.path.startsWith(root + path.sep) ? root : found.path;
  if (recorded !== undefined && recorded !== projectTrustDigest({ root: digestRoot, cwd: o.cwd })) {
    return { state: "changed", root, entryPath: found.path, hasLayer };
  }
  return { state: "trusted", root, entryPath: found.path, hasLayer };
}

/** The one warning exec and app-server give when they skip a project's layer. */
export function skippedProjectWarning(t: ProjectTrust, o: { codexHome: string }): string {
  const how = `trust it with [projects.${JSON.stringify(t.root)}] trust_level = "trusted" in ${path.join(o.codexHome, "config.toml")}`;
  if (t.state === "changed") {
    return `project ${t.root}: its hooks, rules or MCP servers changed since it was trusted; its .codex config, hooks, rules and MCP servers are skipped until you trust it again (${how})`;
  }
  return `project ${t.root} is not trusted: its .codex config, hooks, rules and MCP servers are skipped (${how})`;
}

/**
 * Digest of what a project can run, from the trust entry's path down to cwd: its hooks.json files (and the
 * project scripts they name), its rules files and the commands of the MCP servers its .codex/config.toml
 * files declare. A folder without any of these adds nothing, so the digest only differs between two
 * working directories when a nested `.codex` folder brings something. `sha256:<hex>`.
 */
export function projectTrustDigest(o: { root: string; cwd?: string }): string {
  const hash = lazyCrypto().createHash("sha256");
  for (const { label, content } of projectTrustParts(o)) hash.update(`${label}\0${content.length}\0${content}\0`);
  return `sha256:${hash.digest("hex")}`;
}

/** What the digest covers, part by part (`hooks:<dir>`, `script:<file>`, `rules:<dir>/<name>`, `claude-settings`, `mcp:<dir>`). */
export function projectTrustParts(o: { root: string; cwd?: string }): { label: string; content: string }[] {
  const parts: { label: string; content: string }[] = [];
  const part = (label: string, content: string): void => {
    parts.push({ label, content });
  };
  for (const dir of layerDirs(o.root, o.cwd ?? o.root)) {
    const rel = path.relative(o.root, dir) || ".";
    const hooks = readText(path.join(dir, "hooks.json"));
    if (hooks !== null) {
      part(`hooks:${rel}`, hooks);
      // Scripts of the project that the hooks run count too: editing one must untrust the project.
      for (const file of referencedProjectFiles(hooks, o.root)) part(`script:${path.relative(o.root, file)}`, readText(file) ?? "");
    }
    const rulesDir = path.join(dir, "rules");
    for (const name of listFiles(rulesDir)) part(`rules:${rel}/${name}`, readText(path.join(rulesDir, name)) ?? "");
    const claude = dir === path.join(o.root, ".codex") ? readText(path.join(o.root, ".claude", "settings.json")) : null;
    if (claude !== null) {
      part("claude-settings", claude);
      for (const file of referencedProjectFiles(claude, o.root)) part(`script:${path.relative(o.root, file)}`, readText(file) ?? "");
    }
    const config = readText(path.join(dir, "config.toml"));
    if (config !== null) part(`mcp:${rel}`, mcpCommands(config, path.join(dir, "config.toml")));
  }
  return parts;
}

/**
 * Trusts `projectRoot` in `$CODEX_HOME/config.toml` (what the TUI's trust prompt calls): writes
 * `trust_level = "trusted"` and the digest of the project's hooks, rules and MCP commands (root down to
 * `cwd`), keeping the rest of the file.
 */
export async function grantProjectTrust(o: {
  codexHome: string;
  projectRoot: string;
  /** The session's working directory: nested `.codex` folders between the root and it are approved too. */
  cwd?: string;
}): Promise<{ file: string; digest: string }> {
  const root = path.resolve(o.projectRoot);
  const digest = projectTrustDigest({ root, ...(o.cwd !== undefined ? { cwd: path.resolve(o.cwd) } : {}) });
  const file = await writeUserConfigTable({
    codexHome: o.codexHome,
    table: ["projects", root],
    values: { trust_level: "trusted", trust_digest: digest },
  });
  // Part by part, so a later prompt can say what changed (best effort: the digest alone decides trust).
  await writeTrustManifest({ codexHome: o.codexHome, root, parts: projectTrustParts({ root }) }).catch(() => {});
  return { file, digest };
}

/**
 * `codex exec --trust`: records trust (with the digest of what the project brings now) for the project of
 * `cwd`, and returns the projects table with it. An explicitly untrusted entry is not overridden: that is
 * an error, in the reference's words.
 */
export async function trustProjectNow(o: {
  codexHome: string;
  cwd: string;
  projects: Projects | undefined;
  markers: readonly string[];
}): Promise<Projects> {
  const found = findEntry(o.cwd, o.projects);
  const root = findProjectRoot(o.cwd, o.markers);
  if (found?.entry.trust_level === "untrusted") {
    throw new Error(`${found.path} is marked as untrusted. Update its trust setting first.`);
  }
  const { digest } = await grantProjectTrust({ codexHome: o.codexHome, projectRoot: root, cwd: o.cwd });
  return { ...(o.projects ?? {}), [root]: { trust_level: "trusted", trust_digest: digest } };
}

function mcpCommands(text: string, file: string): string {
  let doc: Record<string, unknown>;
  try {
    doc = parseTomlText(text, file);
  } catch {
    return `unparsable:${text}`;
  }
  const servers = isTable(doc["mcp_servers"]) ? doc["mcp_servers"] : {};
  const out = Object.keys(servers)
    .sort()
    .map((name) => {
      const s = isTable(servers[name]) ? (servers[name] as Record<string, unknown>) : {};
      // Approval modes a project sets (also for a server of the user's) decide what runs unasked: they count.
      const approvals = approvalSettings(s);
      return [name, s["command"] ?? null, s["args"] ?? null, s["cwd"] ?? null, s["url"] ?? null, s["env"] ?? null, ...(approvals ? [approvals] : [])];
    });
  return JSON.stringify(out);
}

/** `default_tools_approval_mode` and each `tools.<name>.approval_mode` of one server table, if any is set. */
function approvalSettings(s: Record<string, unknown>): Record<string, unknown> | null {
  const out: Record<string, unknown> = {};
  if (s["default_tools_approval_mode"] !== undefined) out["default"] = s["default_tools_approval_mode"];
  const tools = isTable(s["tools"]) ? (s["tools"] as Record<string, unknown>) : {};
  for (const tool of Object.keys(tools).sort()) {
    const mode = isTable(tools[tool]) ? (tools[tool] as Record<string, unknown>)["approval_mode"] : undefined;
    if (mode !== undefined) out[`tools.${tool}`] = mode;
  }
  return Object.keys(out).length > 0 ? out : null;
}

/** Files inside `root` named by a token of a hook command in `hooksJson` (e.g. `.codex/check.sh`). */
function referencedProjectFiles(hooksJson: string, root: string): string[] {
  const commands: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (typeof v === "object" && v !== null) {
      for (const [k, x] of Object.entries(v)) {
        if (k === "command" && typeof x === "string") commands.push(x);
        else walk(x);
      }
    }
  };
  try {
    walk(JSON.parse(hooksJson));
  } catch {
    return [];
  }
  const files = new Set<string>();
  for (const token of commands.flatMap((c) => c.split(/[\s;&|()<>"'`=]+/))) {
    if (token === "" || !/[./]/.test(token)) continue;
    const file = path.resolve(root, token);
    if (!file.startsWith(root + path.sep)) continue;
    try {
      if (fs.statSync(file).isFile()) files.add(file);
    } catch {
      // not a file of the project
    }
  }
  return [...files].sort();
}

function readText(file: string): string | null {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return null;
  }
}

function listFiles(dir: string): string[] {
  try {
    return fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}
