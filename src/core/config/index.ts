export type { ModelProviderInfo, ResolvedConfig, ShellEnvironmentPolicy } from "./types.js";
export { ConfigError } from "./errors.js";
export { loadConfig, SYSTEM_CONFIG_PATH, type LoadConfigFlags, type LoadConfigOptions } from "./load.js";
export { resolveCodexHome } from "./paths.js";
export { parseOverride, type ConfigOverride } from "./overrides.js";
export { resolveSandboxPolicy, workspaceWritePolicy } from "./sandbox-policy.js";
export { resolveFeatures, formatFeaturesList, type ResolvedFeatures } from "./features.js";
export { FEATURES, FEATURE_ALIASES, findFeature, type FeatureSpec, type FeatureStage } from "./feature-registry.js";
export { setFeatureInToml, writeFeatureToUserConfig } from "./edit-features.js";
export {
  builtInProviders,
  DEFAULT_OPENAI_BASE_URL,
  OPENAI_PROVIDER_ID,
  OSS_PROVIDER_ID,
} from "./providers.js";
export {
  mcpServersTable,
  readUserConfigText,
  removeMcpServerFromToml,
  upsertMcpServerInToml,
  validateMcpServerName,
  writeUserConfigAtomically,
  type McpServerWrite,
} from "./edit-mcp.js";
export { grantProjectTrust, projectTrustDigest, resolveProjectTrust, type ProjectTrust } from "./trust.js";
export { acceptProjectTrust, declineProjectTrust, projectTrustQuestion, type TrustChange, type TrustQuestion } from "./trust-prompt.js";
export { configView, type ConfigView, type ConfigLayerName, type ConfigLayerView } from "./config-view.js";
export { configLayerVersion, ConfigWriteError, writeUserConfigValues, type ConfigWriteErrorCode } from "./write-value.js";
export { setValuesInToml, type MergeStrategy } from "./edit-value.js";
