import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { configView } from "./config-view.js";
import { loadConfig } from "./load.js";
import { configLayerVersion, ConfigWriteError, writeUserConfigValues } from "./write-value.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
function home(text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cfg-write-"));
  dirs.push(dir);
  fs.writeFileSync(path.join(dir, "config.toml"), text);
  return dir;
}

describe("writeUserConfigValues", () => {
  it("writes the value, keeps comments, and returns the new layer's version", async () => {
    const codexHome = home('# mine\nmodel = "o3"\n');
    const out = await writeUserConfigValues({ codexHome, edits: [{ keyPath: "model_reasoning_effort", value: "high", merge: "replace" }] });
    const text = fs.readFileSync(path.join(codexHome, "config.toml"), "utf8");
    expect(text).toBe('# mine\nmodel = "o3"\nmodel_reasoning_effort = "high"\n');
    expect(out).toEqual({ filePath: path.join(codexHome, "config.toml"), version: configLayerVersion({ model: "o3", model_reasoning_effort: "high" }) });
  });

  it("refuses a value the schema refuses, naming the key, and writes nothing", async () => {
    const codexHome = home('model = "o3"\n');
    const err = await writeUserConfigValues({ codexHome, edits: [{ keyPath: "model", value: 5, merge: "replace" }] }).catch((e) => e);
    expect(err).toBeInstanceOf(ConfigWriteError);
    expect(err.code).toBe("configValidationError");
    expect(err.message).toMatch(/^Invalid configuration: .*model/);
    expect(fs.readFileSync(path.join(codexHome, "config.toml"), "utf8")).toBe('model = "o3"\n');
  });

  it("refuses a stale expectedVersion and a file other than the user's", async () => {
    const codexHome = home('model = "o3"\n');
    const stale = await writeUserConfigValues({ codexHome, expectedVersion: "sha256:00", edits: [{ keyPath: "model", value: "x", merge: "replace" }] }).catch((e) => e);
    expect(stale.code).toBe("configVersionConflict");
    const ok = await writeUserConfigValues({ codexHome, expectedVersion: configLayerVersion({ model: "o3" }), edits: [{ keyPath: "model", value: "x", merge: "replace" }] });
    expect(ok.version).toBe(configLayerVersion({ model: "x" }));
    const other = await writeUserConfigValues({ codexHome, filePath: "/etc/passwd", edits: [{ keyPath: "model", value: "y", merge: "replace" }] }).catch((e) => e);
    expect(other.code).toBe("configLayerReadonly");
  });
});

describe("configView", () => {
  it("lists layers highest first with versions, origins per key and null for unset typed keys", async () => {
    const codexHome = home('model = "o3"\n[tui]\ntheme = "dark"\n');
    const config = await loadConfig({ codexHome, cwd: codexHome, overrides: [], flags: {}, env: {}, systemConfigPath: path.join(codexHome, "none.toml") });
    const view = configView(config, { systemConfigPath: path.join(codexHome, "none.toml") });
    const user = { type: "user", file: path.join(codexHome, "config.toml"), profile: null };
    expect(view.layers).toEqual([
      { name: user, version: configLayerVersion({ model: "o3", tui: { theme: "dark" } }), config: { model: "o3", tui: { theme: "dark" } }, disabledReason: null },
      { name: { type: "system", file: path.join(codexHome, "none.toml") }, version: configLayerVersion({}), config: {}, disabledReason: null },
    ]);
    expect(view.origins["tui.theme"]).toEqual({ name: user, version: view.layers[0]!.version });
    expect(view.config).toMatchObject({ model: "o3", review_model: null, tui: { theme: "dark" } });
  });
});
