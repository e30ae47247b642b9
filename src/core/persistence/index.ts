export type * from "./contract.js";
export { createRolloutStore, type FileRolloutStore, type RolloutStoreOptions } from "./rollout-store.js";
export { reconstructThread } from "./reconstruct.js";
export { forkRollout, type ForkRolloutOptions } from "./fork.js";
export { scrubForJournal, REDACTED } from "./scrub.js";
export { rolloutPathFor, rolloutFileStamp, parseRolloutFileName, SESSIONS_SUBDIR, ARCHIVED_SESSIONS_SUBDIR } from "./rollout-path.js";
export { parseRolloutText, readRollout } from "./rollout-reader.js";
export { createSessionArchive, SessionNotFoundError, type SessionArchive, type SessionLocation } from "./archive.js";
export { latestTurnPatches, agentDiffForGit, gitApply, AgentDiffError, type AgentPatch } from "./agent-diff.js";
