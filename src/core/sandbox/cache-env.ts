import path from "node:path";

/**
 * Package managers keep caches under $HOME by default, which the sandbox mounts read-only, so `npm install` or
 * `pip install` would fail on a cache write. For each tool whose cache would land outside the writable roots, point
 * it at `<cacheRoot>/<tool>` instead. CARGO_HOME is left alone on purpose: it also holds the installed toolchains.
 */
export interface CacheEnvOptions {
  env: Record<string, string>;
  /** Real paths of the writable roots. */
  writableRoots: string[];
  /** Directory under which redirected caches go; undefined = no redirection possible. */
  cacheRoot: string | undefined;
  /** Used when env has no HOME. */
  homeDir?: string;
}

interface CacheVar {
  name: string;
  defaultPath(env: Record<string, string>, home: string): string;
  dir: string;
}

const xdgCache = (env: Record<string, string>, home: string): string =>
  env.XDG_CACHE_HOME || path.join(home, ".cache");

const CACHE_VARS: CacheVar[] = [
  { name: "XDG_CACHE_HOME", defaultPath: (_e, home) => path.join(home, ".cache"), dir: "xdg" },
  { name: "npm_config_cache", defaultPath: (_e, home) => path.join(home, ".npm"), dir: "npm" },
  { name: "PIP_CACHE_DIR", defaultPath: (e, home) => path.join(xdgCache(e, home), "pip"), dir: "pip" },
  { name: "UV_CACHE_DIR", defaultPath: (e, home) => path.join(xdgCache(e, home), "uv"), dir: "uv" },
  { name: "GOCACHE", defaultPath: (e, home) => path.join(xdgCache(e, home), "go-build"), dir: "go-build" },
  {
    name: "GOMODCACHE",
    defaultPath: (e, home) => path.join(e.GOPATH?.split(":")[0] || path.join(home, "go"), "pkg", "mod"),
    dir: "go-mod",
  },
];

export function isInsideRoots(p: string, roots: string[]): boolean {
  return roots.some((root) => p === root || p.startsWith(root.endsWith("/") ? root : `${root}/`));
}

/** Only the variables to add/override; the caller merges them over its env. */
export function writableCacheEnv(options: CacheEnvOptions): Record<string, string> {
  const { env, writableRoots, cacheRoot } = options;
  if (cacheRoot === undefined) return {};
  const home = env.HOME || options.homeDir || "/";
  const out: Record<string, string> = {};
  for (const v of CACHE_VARS) {
    // Later defaults read XDG_CACHE_HOME, so they see a redirection made earlier in this loop.
    const effective = env[v.name] || v.defaultPath({ ...env, ...out }, home);
    if (isInsideRoots(path.resolve(effective), writableRoots)) continue;
    out[v.name] = path.join(cacheRoot, v.dir);
  }
  return out;
}

/** The first writable root that is a temp dir (TMPDIR or /tmp), as the base for redirected caches. */
export function pickCacheRoot(writableRoots: string[], tmpDirs: string[]): string | undefined {
  const tmp = writableRoots.find((root) => tmpDirs.includes(root));
  return tmp === undefined ? undefined : path.join(tmp, "codex-cache");
}
