import { z } from "zod";

// Schema of `config.toml` (user, system, profile and project layers share it). Every key is optional: a
// layer only says what it overrides. Closed sections are plain objects so unknown keys can be reported
// (see `unknownConfigKeys` in core/config); open-ended sections (tui, otel, mcp server entries...) are
// loose so newer upstream keys pass through untouched.

const int = () => z.number().int();
const nonNegInt = () => z.number().int().min(0);
const stringMap = () => z.record(z.string(), z.string());

export const ApprovalPolicyToml = z.enum(["untrusted", "on-failure", "on-request", "never"]);
export const SandboxModeToml = z.enum(["read-only", "workspace-write", "danger-full-access"]);
export const ReasoningEffortToml = z.enum([
  "none",
  "minimal",
  "low",
  "medium",
  "high",
  "xhigh",
  "max",
  "ultra",
  "persistent",
]);
export const ReasoningSummaryToml = z.enum(["auto", "concise", "detailed", "none"]);
export const VerbosityToml = z.enum(["low", "medium", "high"]);
export const WebSearchModeToml = z.enum(["disabled", "cached", "live"]);
export const TrustLevelToml = z.enum(["trusted", "untrusted"]);

export const ModelProviderToml = z.object({
  name: z.string().optional(),
  base_url: z.string().optional(),
  env_key: z.string().optional(),
  env_key_instructions: z.string().optional(),
  experimental_bearer_token: z.string().optional(),
  // "chat" is accepted by the schema only so the loader can explain how to fix it.
  wire_api: z.enum(["responses", "chat"]).optional(),
  query_params: stringMap().optional(),
  http_headers: stringMap().optional(),
  env_http_headers: stringMap().optional(),
  request_max_retries: nonNegInt().optional(),
  stream_max_retries: nonNegInt().optional(),
  stream_idle_timeout_ms: nonNegInt().optional(),
  supports_websockets: z.boolean().optional(),
  websocket_connect_timeout_ms: nonNegInt().optional(),
  requires_openai_auth: z.boolean().optional(),
});
export type ModelProviderToml = z.infer<typeof ModelProviderToml>;

export const SandboxWorkspaceWriteToml = z.object({
  writable_roots: z.array(z.string()).optional(),
  network_access: z.boolean().optional(),
  exclude_tmpdir_env_var: z.boolean().optional(),
  exclude_slash_tmp: z.boolean().optional(),
});

export const ShellEnvironmentPolicyToml = z.object({
  inherit: z.enum(["all", "core", "none"]).optional(),
  ignore_default_excludes: z.boolean().optional(),
  exclude: z.array(z.string()).optional(),
  include_only: z.array(z.string()).optional(),
  set: stringMap().optional(),
  experimental_use_profile: z.boolean().optional(),
});

export const McpToolApprovalModeToml = z.enum(["auto", "prompt", "writes", "approve"]);

export const McpServerToml = z.looseObject({
  command: z.string().optional(),
  args: z.array(z.string()).optional(),
  env: stringMap().optional(),
  env_vars: z.array(z.string()).optional(),
  cwd: z.string().optional(),
  url: z.string().optional(),
  bearer_token_env_var: z.string().optional(),
  http_headers: stringMap().optional(),
  env_http_headers: stringMap().optional(),
  enabled: z.boolean().optional(),
  startup_timeout_sec: z.number().min(0).optional(),
  startup_timeout_ms: nonNegInt().optional(),
  tool_timeout_sec: z.number().min(0).optional(),
  enabled_tools: z.array(z.string()).optional(),
  disabled_tools: z.array(z.string()).optional(),
  /** How this server's tools are approved unless `tools.<name>.approval_mode` says otherwise. */
  default_tools_approval_mode: McpToolApprovalModeToml.optional(),
  tools: z.record(z.string(), z.looseObject({ approval_mode: McpToolApprovalModeToml.optional() })).optional(),
});
export type McpServerToml = z.infer<typeof McpServerToml>;

export const HistoryToml = z.object({
  persistence: z.enum(["save-all", "none"]).optional(),
  max_bytes: nonNegInt().optional(),
});

export const ProjectToml = z.looseObject({
  trust_level: TrustLevelToml.optional(),
  /** Digest of the project's hooks, rules and MCP server commands when trust was granted through a prompt. */
  trust_digest: z.string().optional(),
});

/** `[hooks.state."<key>"]`: per-hook state the user config records (trust of user-level hooks). */
export const HooksToml = z.looseObject({
  state: z.record(z.string(), z.looseObject({ enabled: z.boolean().optional(), trusted_hash: z.string().optional() })).optional(),
});

export const TuiToml = z.looseObject({
  notifications: z.union([z.boolean(), z.array(z.string())]).optional(),
  notification_method: z.string().optional(),
  notification_condition: z.string().optional(),
  alternate_screen: z.union([z.boolean(), z.string()]).optional(),
  show_tooltips: z.boolean().optional(),
  theme: z.string().optional(),
});

export const OtelToml = z.looseObject({
  exporter: z.unknown().optional(),
  environment: z.string().optional(),
  log_user_prompt: z.boolean().optional(),
});

/** Keys that may appear both at top level and inside `[profiles.NAME]`. */
const layerShape = {
  model: z.string().optional(),
  review_model: z.string().optional(),
  model_provider: z.string().optional(),
  model_providers: z.record(z.string(), ModelProviderToml).optional(),
  openai_base_url: z.string().optional(),
  chatgpt_base_url: z.string().optional(),
  oss_provider: z.string().optional(),
  model_reasoning_effort: ReasoningEffortToml.optional(),
  plan_mode_reasoning_effort: ReasoningEffortToml.optional(),
  model_reasoning_summary: ReasoningSummaryToml.optional(),
  model_supports_reasoning_summaries: z.boolean().optional(),
  model_verbosity: VerbosityToml.optional(),
  service_tier: z.string().optional(),
  model_context_window: nonNegInt().optional(),
  model_auto_compact_token_limit: int().optional(),
  model_max_output_tokens: nonNegInt().optional(),
  tool_output_token_limit: nonNegInt().optional(),
  model_catalog_json: z.string().optional(),
  instructions: z.string().optional(),
  developer_instructions: z.string().optional(),
  model_instructions_file: z.string().optional(),
  experimental_instructions_file: z.string().optional(),
  compact_prompt: z.string().optional(),
  experimental_compact_prompt_file: z.string().optional(),
  project_doc_max_bytes: nonNegInt().optional(),
  /** Longest wait of an empty write_stdin poll on a background terminal (ms; default 300000). */
  background_terminal_max_timeout: nonNegInt().optional(),
  project_doc_fallback_filenames: z.array(z.string()).optional(),
  project_root_markers: z.array(z.string()).optional(),
  approval_policy: ApprovalPolicyToml.optional(),
  approvals_reviewer: z.enum(["user", "auto_review", "guardian_subagent"]).optional(),
  sandbox_mode: SandboxModeToml.optional(),
  sandbox_workspace_write: SandboxWorkspaceWriteToml.optional(),
  default_permissions: z.string().optional(),
  permissions: z.record(z.string(), z.looseObject({})).optional(),
  shell_environment_policy: ShellEnvironmentPolicyToml.optional(),
  allow_login_shell: z.boolean().optional(),
  mcp_servers: z.record(z.string(), McpServerToml).optional(),
  hooks: HooksToml.optional(),
  mcp_oauth_credentials_store: z.enum(["auto", "file", "keyring"]).optional(),
  mcp_oauth_callback_port: nonNegInt().optional(),
  features: z.record(z.string(), z.boolean()).optional(),
  suppress_unstable_features_warning: z.boolean().optional(),
  tui: TuiToml.optional(),
  hide_agent_reasoning: z.boolean().optional(),
  show_raw_agent_reasoning: z.boolean().optional(),
  file_opener: z.enum(["vscode", "vscode-insiders", "windsurf", "cursor", "none"]).optional(),
  disable_paste_burst: z.boolean().optional(),
  check_for_update_on_startup: z.boolean().optional(),
  history: HistoryToml.optional(),
  sqlite_home: z.string().optional(),
  log_dir: z.string().optional(),
  /** Ours: the retention budget of the log rows in $CODEX_HOME/state.sqlite, in bytes (64 MiB by default). */
  log_retention_bytes: nonNegInt().optional(),
  notify: z.array(z.string()).optional(),
  otel: OtelToml.optional(),
  cli_auth_credentials_store: z.enum(["file", "keyring", "auto", "ephemeral"]).optional(),
  forced_login_method: z.enum(["chatgpt", "api"]).optional(),
  forced_chatgpt_workspace_id: z.string().optional(),
  web_search: WebSearchModeToml.optional(),
  tools: z.looseObject({ tool_search_threshold: nonNegInt().optional() }).optional(),
  /** Sub-agents (feature multi_agent_v2): how deep a tree may grow and how many agents may live at once. */
  agents: z.looseObject({ max_depth: nonNegInt().optional(), max_threads: nonNegInt().optional() }).optional(),
  notice: z.looseObject({}).optional(),
  analytics: z.looseObject({}).optional(),
  feedback: z.looseObject({}).optional(),
  windows_wsl_setup_acknowledged: z.boolean().optional(),
} as const;

export const ConfigProfileToml = z.object(layerShape);
export type ConfigProfileToml = z.infer<typeof ConfigProfileToml>;

export const ConfigToml = z.object({
  ...layerShape,
  profile: z.string().optional(),
  profiles: z.record(z.string(), ConfigProfileToml).optional(),
  projects: z.record(z.string(), ProjectToml).optional(),
});
export type ConfigToml = z.infer<typeof ConfigToml>;
