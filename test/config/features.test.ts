import { describe, expect, test } from "vitest";
import {
  ConfigError,
  FEATURES,
  formatFeaturesList,
  resolveFeatures,
  setFeatureInToml,
} from "../../src/core/config/index.js";
import { parse } from "smol-toml";

const SPEC_NAMES = [
  "hooks", "unified_exec", "unified_exec_tty", "shell_tool", "shell_snapshot", "view_image", "image_generation",
  "apps", "plugins", "goals", "fast_mode", "guardian_approval", "skill_search", "skill_mcp_dependency_install",
  "tool_suggest", "sleep_tool", "write_stdin_approval", "browser_use", "computer_use", "enable_request_compression",
  "memories", "multi_agent_v2", "secret_auth_storage", "recommended_plugins", "incremental_tools_legacy",
  "network_proxy", "prevent_idle_sleep", "respect_system_proxy", "login_shell_package_path", "analytics_plan_history",
  "multi_agent", "use_legacy_landlock", "web_search_request", "web_search_cached", "code_mode", "code_mode_only",
  "request_permissions_tool", "exec_permission_approvals", "token_budget", "async_compaction",
  "mcp_lazy_stdio_startup", "external_agent_memory_import", "instant_interrupt", "undo", "personality",
  "search_tool", "tool_search", "js_repl", "use_linux_sandbox_bwrap", "responses_websockets",
  "responses_websockets_v2", "remote_compaction_v2", "steer", "sqlite", "collaboration_modes", "worktrees",
];

describe("feature registry", () => {
  test("contains every flag named in the spec, once", () => {
    const names = FEATURES.map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(expect.arrayContaining(SPEC_NAMES));
  });

  test("defaults and stages", () => {
    const { features } = resolveFeatures(undefined, [], []);
    expect(features).toMatchObject({
      apps: true, hooks: true, memories: false, network_proxy: false, multi_agent: true,
      web_search_cached: false, code_mode: false, instant_interrupt: true, undo: false,
    });
  });
});

describe("resolveFeatures", () => {
  test("config table, then --enable, then --disable", () => {
    const r = resolveFeatures({ memories: true, apps: false }, ["network_proxy", "apps"], ["memories"]);
    expect([r.features["memories"], r.features["apps"], r.features["network_proxy"]]).toEqual([false, true, true]);
    expect(r.warnings).toEqual([]);
  });

  test("unknown config name warns; unknown --enable/--disable name is an error", () => {
    expect(resolveFeatures({ nope: true }, [], []).warnings).toEqual([
      "unknown feature flag 'nope' in [features]; ignoring it",
    ]);
    expect(() => resolveFeatures({}, ["nope"], [])).toThrowError(new ConfigError("Unknown feature flag: nope"));
    expect(() => resolveFeatures({}, [], ["nope2"])).toThrowError("Unknown feature flag: nope2");
  });

  test("codex_hooks is an alias of hooks", () => {
    expect(resolveFeatures({ codex_hooks: false }, [], []).features["hooks"]).toBe(false);
    expect(resolveFeatures({ hooks: false }, ["codex_hooks"], []).features["hooks"]).toBe(true);
  });

  test("enabling an under-development flag warns unless suppressed", () => {
    const r = resolveFeatures({ code_mode: true }, [], []);
    expect(r.warnings).toEqual([expect.stringMatching(/^feature 'code_mode' is under development/)]);
    expect(resolveFeatures({}, ["token_budget"], [], { suppressUnstableWarning: true }).warnings).toEqual([]);
    // on by default, not explicitly enabled: no warning
    expect(resolveFeatures({}, [], []).warnings).toEqual([]);
  });

  test("removed flags are accepted; they can be switched off but never on (as the 0.169 binary shows them)", () => {
    const r = resolveFeatures({ undo: true }, ["steer"], []);
    expect([r.features["undo"], r.features["steer"], r.warnings]).toEqual([false, true, []]);
    const off = resolveFeatures({ sqlite: false }, [], ["steer"]);
    expect([off.features["sqlite"], off.features["steer"]]).toEqual([false, false]);
  });

  test("the registry holds all 215 flags of the reference with their stages", () => {
    expect(FEATURES).toHaveLength(215);
    const stages = FEATURES.reduce<Record<string, number>>((acc, f) => ({ ...acc, [f.stage]: (acc[f.stage] ?? 0) + 1 }), {});
    expect(stages).toEqual({ stable: 68, experimental: 5, deprecated: 4, "under development": 90, removed: 48 });
  });
});

describe("formatFeaturesList", () => {
  test("exact column layout, sorted, effective values", () => {
    const { features } = resolveFeatures({ code_mode: true }, [], ["apps"], { suppressUnstableWarning: true });
    const lines = formatFeaturesList(features).split("\n");
    expect(lines).toHaveLength(FEATURES.length);
    expect(lines).toContain("apps                                     stable             false");
    expect(lines).toContain("code_mode                                under development  true");
    expect(lines).toContain("multi_agent                              deprecated         true");
    const names = lines.map((l) => l.split(" ")[0]);
    expect(names).toEqual([...names].sort());
    for (const l of lines) expect(l).toMatch(/^\S+ +(stable|experimental|under development|deprecated|removed) +(true|false)$/);
    for (const l of lines) expect(l.slice(41, 60).trim()).toMatch(/^(stable|experimental|under development|deprecated|removed)$/);
  });
});

describe("setFeatureInToml", () => {
  const file = "/x/config.toml";
  test("appends a [features] section, keeping comments", () => {
    const out = setFeatureInToml('# my config\nmodel = "m"\n', { name: "memories", value: true, file });
    expect(out).toBe('# my config\nmodel = "m"\n\n[features]\nmemories = true\n');
  });

  test("replaces an existing key in place", () => {
    const text = "[features]\nmemories = false # old\napps = true\n\n[tui]\ntheme = \"x\"\n";
    expect(setFeatureInToml(text, { name: "memories", value: true, file })).toBe(
      "[features]\nmemories = true\napps = true\n\n[tui]\ntheme = \"x\"\n",
    );
  });

  test("inserts into an existing section before the next table", () => {
    const text = "[features]\napps = true\n\n[tui]\ntheme = \"x\"\n";
    const out = setFeatureInToml(text, { name: "goals", value: false, file });
    expect(out).toBe("[features]\napps = true\ngoals = false\n\n[tui]\ntheme = \"x\"\n");
  });

  test("falls back to re-serialising inline features tables", () => {
    const out = setFeatureInToml('model = "m"\nfeatures = { apps = true }\n', { name: "goals", value: true, file });
    expect(parse(out)).toEqual({ model: "m", features: { apps: true, goals: true } });
  });
});
