import path from "node:path";
import { fileURLToPath } from "node:url";
import type { ExecIo } from "../headless/run-exec.js";

/** `bin/` of this package, seen from the bundle in `dist/`: it holds the `apply_patch` binary. */
function packageBinDir(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "bin");
}

export function processIo(version: string): ExecIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
    version,
    helperBinDirs: [packageBinDir()],
    onSignal(signal, handler) {
      process.on(signal, handler);
      return () => process.off(signal, handler);
    },
  };
}
