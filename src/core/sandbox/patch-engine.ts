import { accessSync, constants as fsConstants } from "node:fs";
import path from "node:path";
import type { SandboxPolicy } from "../../protocol/policy.js";
import type { ExecRunner } from "../exec/contract.js";

// A patch the sandbox must judge is applied by our standalone apply_patch engine run as a sandboxed command,
// under exactly the mounts a model's command gets: a write the mounts refuse fails there (and the engine rolls
// back), so a patch can write nowhere a command could not, links and races included.

/** File name of the standalone engine in the package's bin/ (which the runtime puts first on commands' PATH). */
export const PATCH_ENGINE_FILE = "apply_patch.js";

/** `[node, <bin>/apply_patch.js]` from the first PATH entry holding the engine, or undefined. */
export function findPatchEngine(env: Record<string, string | undefined>, execPath: string = process.execPath): string[] | undefined {
  for (const dir of (env.PATH ?? "").split(path.delimiter)) {
    if (!path.isAbsolute(dir)) continue;
    const candidate = path.join(dir, PATCH_ENGINE_FILE);
    try {
      accessSync(candidate, fsConstants.R_OK);
      return [execPath, candidate];
    } catch {
      // keep looking
    }
  }
  return undefined;
}

export interface SandboxedPatchRequest {
  /** argv that starts the engine; it reads the patch on stdin. */
  command: string[];
  patch: string;
  cwd: string;
  env: Record<string, string>;
  sandbox: SandboxPolicy;
  exec: ExecRunner;
  signal: AbortSignal;
}

export type SandboxedPatchResult = { ok: true; summary: string } | { ok: false; message: string };

/** Runs the engine under `req.sandbox`; the result carries its summary, or its error text ("Failed to write file ..."). */
export async function applyPatchInSandbox(req: SandboxedPatchRequest): Promise<SandboxedPatchResult> {
  let result;
  try {
    result = await req.exec.run(
      { argv: req.command, cwd: req.cwd, env: req.env, sandbox: req.sandbox, stdin: req.patch },
      { signal: req.signal },
    );
  } catch (err) {
    return { ok: false, message: `apply_patch could not run in the sandbox: ${err instanceof Error ? err.message : String(err)}` };
  }
  if (result.exitCode === 0) return { ok: true, summary: result.stdout };
  const text = result.stderr.trim() || result.stdout.trim();
  if (text !== "") return { ok: false, message: text };
  const how = result.signal !== null ? `was killed by ${result.signal}` : `exited with status ${String(result.exitCode)}`;
  return { ok: false, message: `apply_patch ${how}` };
}
