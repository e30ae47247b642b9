import path from "node:path";
import type { SandboxPolicy } from "../../protocol/policy.js";
import type { ResolvedConfig } from "./types.js";
import { safeRealpath } from "./project-layers.js";

/**
 * The policy commands run under. Workspace-write roots: cwd, `--add-dir`s, `writable_roots`, $TMPDIR
 * (unless excluded) and /tmp (unless excluded); absolute, realpath'd where they exist, de-duplicated.
 */
export function resolveSandboxPolicy(
  config: ResolvedConfig,
  o: { env?: Record<string, string | undefined> } = {},
): SandboxPolicy {
  const sww = config.sandboxWorkspaceWrite;
  switch (config.sandboxMode) {
    case "danger-full-access":
      return { mode: "danger-full-access" };
    case "read-only":
      return { mode: "read-only", networkAccess: false };
    case "workspace-write":
      return workspaceWritePolicy({
        cwd: config.cwd,
        roots: [...config.additionalWritableRoots, ...sww.writableRoots],
        networkAccess: sww.networkAccess,
        excludeTmpdirEnvVar: sww.excludeTmpdirEnvVar,
        excludeSlashTmp: sww.excludeSlashTmp,
        ...(o.env ? { env: o.env } : {}),
      });
  }
}

/**
 * A workspace-write policy for a working directory: cwd first, then the given roots (relative ones against
 * cwd), $TMPDIR and /tmp unless excluded; realpath'd where they exist, de-duplicated. The one rule for what a
 * workspace-write thread may write, from config.toml or from a client's sandbox policy (app-server turn/start).
 */
export function workspaceWritePolicy(o: {
  cwd: string;
  roots: readonly string[];
  networkAccess: boolean;
  excludeTmpdirEnvVar: boolean;
  excludeSlashTmp: boolean;
  env?: Record<string, string | undefined>;
}): Extract<SandboxPolicy, { mode: "workspace-write" }> {
  const env = o.env ?? process.env;
  const candidates = [o.cwd, ...o.roots];
  const tmpdir = env["TMPDIR"];
  if (!o.excludeTmpdirEnvVar && tmpdir) candidates.push(tmpdir);
  if (!o.excludeSlashTmp) candidates.push("/tmp");
  const roots: string[] = [];
  for (const c of candidates) {
    const abs = safeRealpath(path.resolve(o.cwd, c));
    if (!roots.includes(abs)) roots.push(abs);
  }
  return {
    mode: "workspace-write",
    writableRoots: roots,
    networkAccess: o.networkAccess,
    excludeTmpdirEnvVar: o.excludeTmpdirEnvVar,
    excludeSlashTmp: o.excludeSlashTmp,
  };
}
