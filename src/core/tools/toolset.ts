import { codeModeSetting, createCodeModeRegistry } from "../code-mode/index.js";
import type { ResolvedConfig } from "../config/types.js";
import type { ModelInfo } from "../model/catalog.js";
import type { BackgroundTerminals } from "../exec/background-terminals.js";
import type { ToolHandler, ToolSpec } from "./contract.js";
import { applyPatchFreeformTool, applyPatchFunctionTool } from "./handlers/apply-patch.js";
import { requestUserInputTool } from "./handlers/request-user-input.js";
import { shellCommandTool } from "./handlers/shell-command.js";
import { createUnifiedExecTools } from "./handlers/unified-exec-sessions.js";
import { updatePlanTool } from "./handlers/update-plan.js";
import { viewImageTool } from "./handlers/view-image.js";
import { createToolRegistry, type DynamicToolRegistry } from "./registry.js";

export interface Toolset {
  /** `addSource` adds tools known only later (MCP servers). */
  registry: DynamicToolRegistry;
  /** The thread's background terminals, when its shell tool keeps sessions (unified exec). */
  terminals?: BackgroundTerminals;
  /** Ends the thread's long-lived processes. */
  dispose(): Promise<void>;
}

/** The tools a model gets, chosen from its catalogue entry and the config (one toolset per thread). */
export function buildToolset(o: { info: ModelInfo; config: ResolvedConfig }): Toolset {
  const { info, config } = o;
  const enabled = (name: string, fallback: boolean) => config.features[name] ?? fallback;
  const tools: ToolHandler[] = [];
  let dispose = async () => {};
  let terminals: BackgroundTerminals | undefined;
  if (enabled("shell_tool", true)) {
    if (info.shellTool === "exec_command" && enabled("unified_exec", true)) {
      const unified = createUnifiedExecTools(
        config.backgroundTerminalMaxTimeoutMs !== undefined ? { maxBackgroundPollMs: config.backgroundTerminalMaxTimeoutMs } : {},
      );
      tools.push(unified.execCommand, unified.writeStdin);
      dispose = () => unified.dispose();
      terminals = unified.terminals;
    } else {
      tools.push(shellCommandTool);
    }
  }
  // As the reference: offered after the shell tools; it works in Default mode only with the feature on.
  tools.push(requestUserInputTool({ defaultMode: enabled("default_mode_request_user_input", false) }));
  tools.push(info.applyPatchTool === "freeform" ? applyPatchFreeformTool : applyPatchFunctionTool);
  tools.push(updatePlanTool);
  if (enabled("view_image", true)) tools.push(viewImageTool);
  const extra: ToolSpec[] = [];
  const webSearch = config.webSearch ?? "cached";
  if (webSearch !== "disabled" && config.modelProvider.builtIn) {
    extra.push({ type: "web_search", external_web_access: webSearch === "live" });
  }
  const registry = createToolRegistry(tools, extra);
  const withTerminals = terminals ? { terminals } : {};
  const codeMode = codeModeSetting({ info, features: config.features });
  if (codeMode === "off") return { registry, dispose, ...withTerminals };
  // Code mode wraps the registry (exec/wait outside, every tool as `tools.<name>()` inside); tools that arrive
  // later (MCP) still join the inner registry.
  const wrapped = createCodeModeRegistry({ inner: registry, only: codeMode === "only" });
  return {
    registry: { ...wrapped, addSource: (source) => registry.addSource(source) },
    dispose: async () => void (await Promise.all([wrapped.dispose(), dispose()])),
    ...withTerminals,
  };
}
