import os from "node:os";
import path from "node:path";

/** `$CODEX_HOME`, else `~/.codex`. An explicit value (e.g. from a flag) wins over both. */
export function resolveCodexHome(o: {
  explicit?: string;
  env: Record<string, string | undefined>;
}): string {
  const fromEnv = o.env["CODEX_HOME"];
  if (o.explicit) return path.resolve(o.explicit);
  if (fromEnv) return path.resolve(fromEnv);
  return path.join(o.env["HOME"] || os.homedir(), ".codex");
}
