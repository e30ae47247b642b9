export type { CompactionHooks, CompactionSettings, CompactionTrigger } from "./contract.js";
export { noCompactionHooks } from "./contract.js";
export { compactHistory, contextWindowError, type CompactionResult } from "./compact.js";
export { createCompactionObserver } from "./compaction-observer.js";
export { buildReplacementHistory, type ReplacementHistory } from "./replacement-history.js";
export { summaryRequestInput } from "./summary-request.js";
export { contextLeftPercent, tokenBudget, type TokenBudget } from "./threshold.js";
export { estimateTokens } from "./estimate.js";
export { SUMMARY_INSTRUCTION, SUMMARY_PREFIX, DROPPED_OUTPUT_MARKER } from "./summary-text.js";
