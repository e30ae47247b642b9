export { applyPatch, formatSummary, planChangesPreview, previewPatch } from "./apply.js";
export type { ApplyPatchOptions, ApplyPatchResult, PatchPreview } from "./apply.js";
export { APPLY_PATCH_LARK_GRAMMAR } from "./grammar.js";
export { nodePatchFs } from "./fs-port.js";
export type { PatchFileStat, PatchFs } from "./fs-port.js";
export { parsePatch } from "./parser.js";
export { seekSequence } from "./seek.js";
export {
  extractApplyPatchFromArgv,
  extractApplyPatchInvocation,
  extractPatchFromShellCommand,
} from "./shell-extract.js";
export type { ShellPatchInvocation } from "./shell-extract.js";
export { ApplyPatchError, PatchParseError } from "./types.js";
export type { ParsedPatch, PatchOp, UpdateChunk } from "./types.js";
