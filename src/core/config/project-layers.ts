import fs from "node:fs";
import path from "node:path";

type Projects = Record<string, { trust_level?: "trusted" | "untrusted" }>;

/** Nearest ancestor of `cwd` (inclusive) holding one of `markers`; `cwd` itself when none does. */
export function findProjectRoot(cwd: string, markers: readonly string[]): string {
  for (let dir = cwd; ; dir = path.dirname(dir)) {
    if (markers.some((m) => fs.existsSync(path.join(dir, m)))) return dir;
    if (path.dirname(dir) === dir) return cwd;
  }
}

/** Trust of `cwd`: the nearest of cwd and its ancestors that has a `projects."<path>"` entry decides. */
export function isTrustedProject(cwd: string, projects: Projects | undefined): boolean {
  if (!projects) return false;
  const real = safeRealpath(cwd);
  for (const start of new Set([cwd, real])) {
    for (let dir = start; ; dir = path.dirname(dir)) {
      const level = projects[dir]?.trust_level;
      if (level) return level === "trusted";
      if (path.dirname(dir) === dir) break;
    }
  }
  return false;
}

/** `.codex/config.toml` candidates from the project root down to cwd, lowest precedence first. */
export function projectConfigPaths(root: string, cwd: string): string[] {
  const dirs: string[] = [];
  for (let dir = cwd; ; dir = path.dirname(dir)) {
    dirs.unshift(dir);
    if (dir === root || path.dirname(dir) === dir) break;
  }
  return dirs.map((d) => path.join(d, ".codex", "config.toml"));
}

export function safeRealpath(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return p;
  }
}
