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
    case "workspace-write": {
      const env = o.env ?? process.env;
      const candidates = [config.cwd, ...config.additionalWritableRoots, ...sww.writableRoots];
      const tmpdir = env["TMPDIR"];
      if (!sww.excludeTmpdirEnvVar && tmpdir) candidates.push(tmpdir);
      if (!sww.excludeSlashTmp) candidates.push("/tmp");
      const roots: string[] = [];
      for (const c of candidates) {
        const abs = safeRealpath(path.resolve(config.cwd, c));
        if (!roots.includes(abs)) roots.push(abs);
      }
      return {
        mode: "workspace-write",
        writableRoots: roots,
        networkAccess: sww.networkAccess,
        excludeTmpdirEnvVar: sww.excludeTmpdirEnvVar,
        excludeSlashTmp: sww.excludeSlashTmp,
      };
    }
  }
}
