// The only public surface of core. Front ends import from here and from protocol/.
export { createCodexRuntime, MissingApiKeyError, type CodexRuntime, type RuntimeOptions } from "./runtime.js";
export type { SubAgentEvent } from "./agents/agent-tree.js";
export type { Thread } from "./thread/thread.js";
export { openRequestedThread, ThreadNotFoundError, type ThreadManager, type ThreadOpenRequest, type ThreadStartOptions } from "./thread/thread-manager.js";
export type { DynamicToolCall, DynamicToolDef, DynamicToolResult, DynamicToolsSetup } from "./tools/handlers/dynamic-tool.js";
export type { ResolvedConfig } from "./config/types.js";
export { createRolloutStore, createThreadNames, type ThreadNames, type ThreadSummary, type RolloutLine } from "./persistence/index.js";
export { isInjectedContextMessage } from "./context/injected-context.js";
export { imageProblemWarning, inspectLocalImage } from "./context/index.js";
export { findGitRepo } from "./context/git-info.js";
export { assistantText, userText } from "./turn/item-text.js";
export * from "./config/index.js";
export * from "./auth/index.js";
export * from "./approval/index.js";
export { applyPatch, ApplyPatchError, PatchParseError } from "./apply-patch/index.js";
export { createBwrapLauncher, createSandboxedExecRunner, findBwrap, probeBwrap, BWRAP_REQUIRED_MESSAGE, type BwrapLauncher } from "./sandbox/index.js";
export { buildChildEnv } from "./exec/child-env.js";
export { commandDisplay } from "./exec/command-display.js";
export { createSessionArchive, SessionNotFoundError, type SessionArchive } from "./persistence/index.js";
export * from "./review/index.js";
export { latestTurnPatches, agentDiffForGit, gitApply, AgentDiffError, type AgentPatch } from "./persistence/index.js";
export { grantHookTrust, discoverHooks, hookSources, type HookHandler } from "./hooks/index.js";
export { probeMcpServers, type McpServerProbe } from "./mcp/probe.js";
export {
  createStandaloneCommandRunner,
  createStandaloneExecRunner,
  type StandaloneCommandRequest,
  type StandaloneCommandResult,
  type StandaloneCommandRunner,
  type StandaloneCommandSession,
  type StandaloneSessionRequest,
} from "./exec/standalone-command.js";
export { listHooks, type HookListing, type HookTrustStatus } from "./hooks/list.js";
export { pickerModels, type PickerModel } from "./model/picker.js";
export { parseTraceParent, type TraceContext } from "./telemetry/index.js";
export * from "./file-search/index.js";
export { listCustomPrompts, expandCustomPrompt, type CustomPrompt } from "./context/custom-prompts.js";
export { sessionGitBranch } from "./persistence/session-git-branch.js";
export { workingTreeDiff, type WorkingTreeDiff } from "./context/working-tree-diff.js";
export { exportFeedbackBundle, FeedbackExportError, type FeedbackBundle, type ExportFeedbackOptions } from "./feedback/index.js";
export { createMessageHistory, createHistoryReader, historyPath, type HistoryEntry, type HistoryReader, type MessageHistory } from "./history/index.js";
