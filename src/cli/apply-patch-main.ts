// The standalone binary loads only the patch engine, not the whole agent (start-up cost).
import { ApplyPatchError, applyPatch } from "../core/apply-patch/index.js";
import { readAll } from "../util/read-all.js";

const USAGE = "Usage: apply_patch 'PATCH'\n       echo 'PATCH' | apply_patch\n";

/** The standalone `apply_patch` command: patch as the one argument or on stdin; sets process.exitCode. */
export async function applyPatchMain(argv: string[]): Promise<void> {
  if (argv.length > 1) {
    process.stderr.write(`Error: apply_patch accepts exactly one argument.\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  const patch = argv[0] ?? (process.stdin.isTTY ? "" : await readAll(process.stdin));
  if (patch.trim() === "") {
    process.stderr.write(USAGE);
    process.exitCode = 2;
    return;
  }
  try {
    const result = await applyPatch(patch, { cwd: process.cwd() });
    process.stdout.write(result.summary);
    process.exitCode = 0;
  } catch (err) {
    const message = err instanceof ApplyPatchError ? err.message : err instanceof Error ? err.message : String(err);
    process.stderr.write(message.endsWith("\n") ? message : `${message}\n`);
    process.exitCode = 1;
  }
}

