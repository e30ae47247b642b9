import type { RolloutLine } from "../core/index.js";
import type { ThreadSettings } from "./runtime-factory.js";

// thread/resume of a thread that is not loaded: as the reference 0.169 (observed: a thread started on another
// model than config's, resumed by a new app-server without a model, ran its next turn on its own model), the
// thread reopens with the model and reasoning effort it last ran with unless the request names a model or
// provider. A sub-agent's thread resumed this way keeps the model its spawn gave it.

/** The settings a resume opens with: the request's, plus the journal's model and effort when it names none. */
export function resumeSettings(asked: ThreadSettings, lines: readonly RolloutLine[]): ThreadSettings {
  const config = asked.config ?? {};
  if (asked.model || asked.modelProvider || "model" in config || "model_provider" in config) return asked;
  const recorded = lastTurnContext(lines);
  if (!recorded) return asked;
  const effort = recorded.effort && !("model_reasoning_effort" in config) ? { model_reasoning_effort: recorded.effort } : {};
  return { ...asked, model: recorded.model, config: { ...config, ...effort } };
}

function lastTurnContext(lines: readonly RolloutLine[]): { model: string; effort?: string } | undefined {
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!;
    if (line.type === "turn_context" && typeof line.payload.model === "string" && line.payload.model !== "") return line.payload;
  }
  return undefined;
}
