import type { ShellEnvironmentPolicy } from "../config/types.js";

/** Variables kept by `inherit = "core"`: enough for a shell to find programs, home and locale. */
const CORE_VARS = new Set([
  "HOME",
  "LOGNAME",
  "PATH",
  "SHELL",
  "USER",
  "USERNAME",
  "TMPDIR",
  "TEMP",
  "TMP",
  "LANG",
  "LANGUAGE",
  "TERM",
  "TZ",
]);

/** Names never passed to a child: our own credentials. */
const ALWAYS_DROPPED = ["OPENAI_API_KEY", "CODEX_API_KEY"];

const DEFAULT_EXCLUDES = ["*KEY*", "*SECRET*", "*TOKEN*"];

/**
 * Overlay for unified-exec (`exec_command`) processes: keep output plain and non-interactive so the
 * model can read it (no colours, no pagers, a fixed UTF-8 locale).
 */
export const UNIFIED_EXEC_ENV: Readonly<Record<string, string>> = Object.freeze({
  NO_COLOR: "1",
  TERM: "dumb",
  LANG: "C.UTF-8",
  LC_CTYPE: "C.UTF-8",
  LC_ALL: "C.UTF-8",
  COLORTERM: "",
  PAGER: "cat",
  GIT_PAGER: "cat",
  GH_PAGER: "cat",
  CODEX_CI: "1",
});

export function withUnifiedExecEnv(env: Record<string, string>): Record<string, string> {
  return { ...env, ...UNIFIED_EXEC_ENV };
}

/** Case-insensitive glob (`*` any run, `?` one character) as used by shell_environment_policy. */
export function envGlobToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${body}$`, "i");
}

function matchesAny(name: string, patterns: RegExp[]): boolean {
  return patterns.some((re) => re.test(name));
}

export interface ChildEnvOptions {
  /** Extra names to drop whatever the policy says (e.g. a custom provider's env_key). */
  secretsToDrop: string[];
  /** Sets CODEX_SANDBOX_NETWORK_DISABLED=1 so tools inside can tell network is off. */
  networkDisabled?: boolean;
  /** Sets CODEX_THREAD_ID so scripts can tell which thread started them. */
  threadId?: string;
}

/**
 * Environment for commands the model runs, following `[shell_environment_policy]`: inherit, drop
 * default secret-looking names, `exclude`, `set`, then `include_only`. Our own API keys never pass.
 */
export function buildChildEnv(
  policy: ShellEnvironmentPolicy,
  baseEnv: Record<string, string | undefined>,
  opts: ChildEnvOptions,
): Record<string, string> {
  let env: Record<string, string> = {};
  for (const [name, value] of Object.entries(baseEnv)) {
    if (value === undefined) continue;
    if (policy.inherit === "all" || (policy.inherit === "core" && (CORE_VARS.has(name) || name.startsWith("LC_")))) {
      env[name] = value;
    }
  }
  const drop = (patterns: RegExp[]): void => {
    env = Object.fromEntries(Object.entries(env).filter(([name]) => !matchesAny(name, patterns)));
  };
  if (!policy.ignoreDefaultExcludes) drop(DEFAULT_EXCLUDES.map(envGlobToRegExp));
  if (policy.exclude.length > 0) drop(policy.exclude.map(envGlobToRegExp));
  Object.assign(env, policy.set);
  if (policy.includeOnly.length > 0) {
    const keep = policy.includeOnly.map(envGlobToRegExp);
    env = Object.fromEntries(Object.entries(env).filter(([name]) => matchesAny(name, keep)));
  }
  const secrets = new Set([...ALWAYS_DROPPED, ...opts.secretsToDrop]);
  for (const name of Object.keys(env)) if (secrets.has(name)) delete env[name];
  if (opts.networkDisabled) env.CODEX_SANDBOX_NETWORK_DISABLED = "1";
  if (opts.threadId) env.CODEX_THREAD_ID = opts.threadId;
  return env;
}
