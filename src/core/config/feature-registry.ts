// The feature flags `codex features list` shows, with 0.169's stages and defaults (cli-surface.md §5).
// Under-development flags beyond the ones named in the spec are omitted: unknown names in config only warn.

export type FeatureStage = "stable" | "experimental" | "under development" | "deprecated" | "removed";

export interface FeatureSpec {
  name: string;
  stage: FeatureStage;
  defaultEnabled: boolean;
}

const stable = (names: string[], on: boolean): FeatureSpec[] =>
  names.map((name) => ({ name, stage: "stable", defaultEnabled: on }));
const staged = (stage: FeatureStage, names: string[], on = false): FeatureSpec[] =>
  names.map((name) => ({ name, stage, defaultEnabled: on }));

export const FEATURES: readonly FeatureSpec[] = [
  ...stable(
    [
      "hooks",
      "unified_exec",
      "unified_exec_tty",
      "shell_tool",
      "shell_snapshot",
      "view_image",
      "image_generation",
      "apps",
      "plugins",
      "goals",
      "fast_mode",
      "guardian_approval",
      "skill_search",
      "skill_mcp_dependency_install",
      "tool_suggest",
      "sleep_tool",
      "write_stdin_approval",
      "browser_use",
      "computer_use",
      "enable_request_compression",
    ],
    true,
  ),
  ...stable(
    ["memories", "multi_agent_v2", "secret_auth_storage", "recommended_plugins", "incremental_tools_legacy"],
    false,
  ),
  ...staged("experimental", [
    "network_proxy",
    "prevent_idle_sleep",
    "respect_system_proxy",
    "login_shell_package_path",
    "analytics_plan_history",
  ]),
  ...staged("deprecated", ["multi_agent"], true),
  ...staged("deprecated", ["use_legacy_landlock", "web_search_request", "web_search_cached"]),
  ...staged("under development", [
    "code_mode",
    "code_mode_only",
    "request_permissions_tool",
    "exec_permission_approvals",
    "token_budget",
    "async_compaction",
    "mcp_lazy_stdio_startup",
    "external_agent_memory_import",
  ]),
  ...staged("under development", ["instant_interrupt"], true),
  ...staged("removed", [
    "undo",
    "personality",
    "search_tool",
    "tool_search",
    "js_repl",
    "use_linux_sandbox_bwrap",
    "responses_websockets",
    "responses_websockets_v2",
    "remote_compaction_v2",
    "steer",
    "sqlite",
    "collaboration_modes",
    "worktrees",
  ]),
];

/** Old names still accepted in config, mapped to the flag they now control. */
export const FEATURE_ALIASES: Readonly<Record<string, string>> = { codex_hooks: "hooks" };

export function findFeature(name: string): FeatureSpec | undefined {
  const canonical = FEATURE_ALIASES[name] ?? name;
  return FEATURES.find((f) => f.name === canonical);
}
