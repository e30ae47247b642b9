import type { ModelInfo } from "../model/catalog.js";

export { createCodeModeRegistry, EXEC_TOOL, WAIT_TOOL, type CodeModeRegistry } from "./code-mode-registry.js";
export { createCellHost, DEFAULT_LIMITS, type CellHost, type CellReport } from "./cell-host.js";
export { createWorkerPool, type WorkerPool } from "./worker-pool.js";

export type CodeModeSetting = "off" | "beside" | "only";

/**
 * Whether a thread gets exec/wait: `code_mode_only` (or a model whose catalogue entry says so) sends
 * only them; `code_mode` adds them beside the normal tools. Both flags are under development and off
 * by default, and no model of the catalogue declares code mode (as in the reference 0.169).
 */
export function codeModeSetting(o: { info: ModelInfo; features: Record<string, boolean | undefined> }): CodeModeSetting {
  if (o.features.code_mode_only === true || (o.info.codeModeOnly && o.features.code_mode_only !== false)) return "only";
  return o.features.code_mode === true ? "beside" : "off";
}

/** The reference's warning when code mode is forced on a model that does not declare it. */
export function codeModeWarning(o: { info: ModelInfo; features: Record<string, boolean | undefined> }): string | undefined {
  if (codeModeSetting(o) === "off" || o.info.codeModeOnly) return undefined;
  return `Code Mode is enabled in configuration, but model \`${o.info.slug}\` does not advertise Code Mode support. This may degrade model performance. Disable \`features.code_mode\` and \`features.code_mode_only\`, or select a model whose metadata enables Code Mode.`;
}
