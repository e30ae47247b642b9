// The only public surface of core. Front ends import from here and from protocol/.
export { createCodexRuntime, MissingApiKeyError, type CodexRuntime, type RuntimeOptions } from "./runtime.js";
export type { Thread } from "./thread/thread.js";
export { ThreadNotFoundError, type ThreadManager } from "./thread/thread-manager.js";
export type { ResolvedConfig } from "./config/types.js";
export { loadConfig } from "./config/load.js";
export { resolveSandboxPolicy } from "./config/sandbox-policy.js";
export { ConfigError } from "./config/errors.js";
export { createRolloutStore } from "./persistence/index.js";
export { isInjectedContextMessage } from "./context/injected-context.js";
export { assistantText, userText } from "./turn/item-text.js";
