import { ModelError } from "../model/contract.js";
import type { HistoryPort } from "../turn/history-port.js";
import type { CompactionSettings, CompactionTrigger } from "./contract.js";
import { estimateTokens } from "./estimate.js";
import { buildReplacementHistory } from "./replacement-history.js";
import { summaryRequestInput } from "./summary-request.js";

const WHAT_TO_DO =
  "start a new thread (or fork this one), or raise model_context_window / model_auto_compact_token_limit if the model allows";

/** Ends the turn with the typed context-window error, saying why and what to do. */
export function contextWindowError(why: string): ModelError {
  return new ModelError({ kind: "context_window_exceeded", message: `Codex ran out of room in the model's context window: ${why}; ${WHAT_TO_DO}.` });
}

export interface CompactionResult {
  tokensBefore: number;
  tokensAfter: number;
}

/**
 * One compaction: ask the model for a hand-off summary (no tools; oldest tool outputs dropped
 * first when the request would not fit), replace the history with instructions + the person's
 * recent messages + the summary, and tell the person. The history never grows: a replacement
 * that is not smaller is not installed. Throws the typed context-window error when the summary
 * failed `maxAttempts` times in a row, or (auto) when the history is still over the limit after.
 */
export async function compactHistory(
  port: HistoryPort,
  settings: CompactionSettings,
  o: { trigger: CompactionTrigger; signal: AbortSignal },
): Promise<CompactionResult> {
  const hookArgs = { trigger: o.trigger, ...(port.turnId !== undefined ? { turnId: port.turnId } : {}) };
  await settings.hooks.preCompact(hookArgs);
  const history = [...port.history()];
  const estimatedBefore = estimateTokens(history);
  const tokensBefore = Math.max(port.contextTokens(), estimatedBefore);

  const { input, dropped } = summaryRequestInput(history, settings.usableWindow);
  if (dropped > 0) {
    port.emit({ type: "background_event", message: `compaction: ${dropped} old tool output(s) left out of the summary request to fit the context window` });
  }
  let summary: string | null = null;
  let lastError = "";
  for (let attempt = 1; attempt <= settings.maxAttempts && summary === null; attempt++) {
    try {
      const text = (await port.sampleText(input)).trim();
      if (text === "") throw new Error("the model returned an empty summary");
      summary = text;
    } catch (err) {
      if (o.signal.aborted || (err instanceof Error && err.name === "AbortError")) throw err;
      lastError = err instanceof Error ? err.message : String(err);
      port.emit({ type: "warning", message: `compaction attempt ${attempt}/${settings.maxAttempts} failed: ${lastError}` });
    }
  }
  if (summary === null) {
    throw contextWindowError(`compaction failed ${settings.maxAttempts} times in a row (last error: ${lastError})`);
  }

  const replacement = buildReplacementHistory({
    history,
    summary,
    userMessageBudget: settings.userMessageBudget,
    ...(settings.baseInstructionsText !== undefined ? { baseInstructionsText: settings.baseInstructionsText } : {}),
  });
  if (replacement.tokens >= estimatedBefore) {
    // Nothing to gain: keep the history as it is.
    if (o.trigger === "auto" && tokensBefore > settings.limit) {
      throw contextWindowError(`compaction cannot shrink the history below the limit of ${settings.limit} tokens`);
    }
    port.emit({ type: "background_event", message: "compaction skipped: a summary would not make this history smaller" });
    return { tokensBefore, tokensAfter: tokensBefore };
  }
  await port.replaceHistory(replacement);
  port.emit({ type: "context_compacted", trigger: o.trigger, tokensBefore, tokensAfter: replacement.tokens });
  await settings.hooks.postCompact(hookArgs);
  if (o.trigger === "auto" && replacement.tokens > settings.limit) {
    throw contextWindowError(
      `after compaction the history still holds ~${replacement.tokens} tokens, over the limit of ${settings.limit}`,
    );
  }
  return { tokensBefore, tokensAfter: replacement.tokens };
}
