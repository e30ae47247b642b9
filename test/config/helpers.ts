import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadConfig, type LoadConfigOptions } from "../../src/core/config/index.js";

export function tempDir(prefix = "codex-config-"): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
}

export function write(file: string, text: string): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

/** A fresh CODEX_HOME + cwd, and a loader that never reads the real /etc or $HOME. */
export function sandboxHome(): {
  home: string;
  cwd: string;
  system: string;
  load: (o?: Partial<LoadConfigOptions>) => ReturnType<typeof loadConfig>;
} {
  const root = tempDir();
  const home = path.join(root, "codex-home");
  const cwd = path.join(root, "work");
  fs.mkdirSync(home);
  fs.mkdirSync(cwd);
  const system = path.join(root, "etc-codex", "config.toml");
  const load = (o: Partial<LoadConfigOptions> = {}) =>
    loadConfig({
      codexHome: home,
      cwd,
      overrides: [],
      env: { HOME: root },
      systemConfigPath: system,
      ...o,
      flags: { enable: [], disable: [], addDirs: [], ...o.flags },
    });
  return { home, cwd, system, load };
}
