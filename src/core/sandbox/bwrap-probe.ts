import { execFile } from "node:child_process";
import { accessSync, constants as fsConstants } from "node:fs";
import path from "node:path";

export const BWRAP_REQUIRED_MESSAGE = "bubblewrap (bwrap) is required for the sandbox: apt-get install bubblewrap";

/** Thrown instead of ever running a command unsandboxed when bwrap is missing or cannot create namespaces. */
export class SandboxUnavailableError extends Error {
  constructor(detail: string) {
    super(`${BWRAP_REQUIRED_MESSAGE} (${detail})`);
    this.name = "SandboxUnavailableError";
  }
}

/** First executable `bwrap` on `pathEnv`, or undefined. */
export function findBwrap(pathEnv: string | undefined): string | undefined {
  for (const dir of (pathEnv ?? "").split(":")) {
    if (dir === "") continue;
    const candidate = path.join(dir, "bwrap");
    try {
      accessSync(candidate, fsConstants.X_OK);
      return candidate;
    } catch {
      // keep looking
    }
  }
  return undefined;
}

export type BwrapProbeResult = { ok: true } | { ok: false; reason: string };

/** Runs `true` under the same namespace set real commands get, so a kernel that forbids user namespaces shows up here. */
export function probeBwrap(bwrapPath: string | undefined, options: { timeoutMs?: number } = {}): Promise<BwrapProbeResult> {
  if (bwrapPath === undefined) return Promise.resolve({ ok: false, reason: "bwrap not found on PATH" });
  const args = [
    "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc",
    "--unshare-user", "--unshare-pid", "--unshare-net", "--cap-drop", "ALL", "--die-with-parent",
    "--", "true",
  ];
  return new Promise((resolve) => {
    execFile(
      bwrapPath,
      args,
      { timeout: options.timeoutMs ?? 10_000, env: { PATH: "/usr/bin:/bin:/usr/sbin:/sbin" } },
      (err, _stdout, stderr) => {
        if (!err) return resolve({ ok: true });
        const first = String(stderr).trim().split("\n")[0] || err.message;
        resolve({ ok: false, reason: `${bwrapPath} is not usable: ${first}` });
      },
    );
  });
}
