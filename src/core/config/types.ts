import type { AskForApproval, SandboxMode } from "../../protocol/policy.js";
import type { ConfigLayer } from "./validate-layer.js";

// The resolved configuration every part of core reads. Produced by config/load.ts from defaults <
// config.toml < profile < -c overrides < dedicated flags.

export interface ModelProviderInfo {
  id: string;
  name: string;
  baseUrl: string;
  /** Env var holding the bearer key; undefined = the built-in OpenAI auth chain. */
  envKey?: string;
  wireApi: "responses";
  queryParams: Record<string, string>;
  httpHeaders: Record<string, string>;
  envHttpHeaders: Record<string, string>;
  requestMaxRetries: number;
  streamMaxRetries: number;
  streamIdleTimeoutMs: number;
  requiresOpenaiAuth: boolean;
  /** True for the built-in `openai` provider (adds `version` header etc.). */
  builtIn: boolean;
  supportsWebsockets?: boolean;
  /** `websocket_connect_timeout_ms`: how long a websocket may take to open before HTTP takes over. */
  websocketConnectTimeoutMs?: number;
}

export interface ShellEnvironmentPolicy {
  inherit: "all" | "core" | "none";
  ignoreDefaultExcludes: boolean;
  exclude: string[];
  includeOnly: string[];
  set: Record<string, string>;
}

export interface ResolvedConfig {
  codexHome: string;
  cwd: string;
  model: string;
  modelProviderId: string;
  modelProvider: ModelProviderInfo;
  approvalPolicy: AskForApproval;
  sandboxMode: SandboxMode;
  sandboxWorkspaceWrite: {
    writableRoots: string[];
    networkAccess: boolean;
    excludeTmpdirEnvVar: boolean;
    excludeSlashTmp: boolean;
  };
  /** `--add-dir` directories (absolute). */
  additionalWritableRoots: string[];
  modelReasoningEffort?: string;
  modelReasoningSummary?: string;
  /** `review_model`: the model of review turns (`codex review`, `/review`) unless `-m` names one. */
  reviewModel?: string;
  modelVerbosity?: string;
  serviceTier?: string;
  modelContextWindow?: number;
  modelAutoCompactTokenLimit?: number;
  /** Name of the profile layered in (`-p`, or legacy top-level `profile = "x"`). */
  activeProfile?: string;
  /** Root of the project containing cwd, when `projects."<path>".trust_level = "trusted"` covers it. */
  trustedProjectRoot?: string;
  hideAgentReasoning?: boolean;
  showRawAgentReasoning?: boolean;
  projectDocMaxBytes: number;
  /** `background_terminal_max_timeout`: bound of an empty write_stdin poll (ms); unset = 300000. */
  backgroundTerminalMaxTimeoutMs?: number;
  projectDocFallbackFilenames: string[];
  instructions?: string;
  developerInstructions?: string;
  /**
   * Who answers approval requests: a person, or the guardian sub-agent (`approvals_reviewer =
   * "guardian_subagent"` / "auto_review", or the deprecated `[features] guardian_approval = true`).
   */
  approvalsReviewer: "user" | "guardian";
  /** Text of `model_instructions_file` (alias `experimental_instructions_file`): replaces our base instructions. */
  modelInstructions?: string;
  features: Record<string, boolean>;
  shellEnvironmentPolicy: ShellEnvironmentPolicy;
  projects: Record<string, { trustLevel?: "trusted" | "untrusted" }>;
  history: { persistence: "save-all" | "none"; maxBytes?: number };
  notify?: string[];
  webSearch?: "disabled" | "cached" | "live";
  /** `--dangerously-bypass-hook-trust`: run hooks without a persisted trust record this invocation. */
  bypassHookTrust?: boolean;
  /** Raw merged TOML table, for parts that read keys not modelled here (mcp_servers, hooks...). */
  raw: Record<string, unknown>;
  /** The layers merged into `raw`, lowest precedence first (files as found, `-c` overrides); for config/read. */
  layers?: ConfigLayer[];
  /** Non-fatal problems found while loading (unknown keys, deprecated env vars...). */
  warnings: string[];
}
