import fs from "node:fs";
import path from "node:path";

/** Nearest ancestor of `cwd` (inclusive) holding one of `markers`; `cwd` itself when none does. */
export function findProjectRoot(cwd: string, markers: readonly string[]): string {
  for (let dir = cwd; ; dir = path.dirname(dir)) {
    if (markers.some((m) => fs.existsSync(path.join(dir, m)))) return dir;
    if (path.dirname(dir) === dir) return cwd;
  }
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
