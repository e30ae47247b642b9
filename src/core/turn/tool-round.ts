import type { ResponseItem, ToolCallItem } from "../../protocol/items.js";
import { outputForCall } from "../persistence/call-pairing.js";
import type { ToolContext } from "../tools/contract.js";
import type { ToolRegistry } from "../tools/registry.js";
import { runToolCalls } from "../tools/scheduler.js";
import type { TurnObserver } from "./observer.js";

export interface ToolRoundDeps {
  registry: ToolRegistry;
  toolContext(call: ToolCallItem): ToolContext;
  observer?: TurnObserver;
  /** The turn's signal (interrupt, shutdown). */
  signal: AbortSignal;
  parallel: boolean;
  now?: () => number;
  /**
   * Asked of each call of a round the signal cut short: true when the call was waiting for a person's
   * approval, so it gets no output now and is asked again later (see ToolRoundResult.pending).
   */
  keepPending?(call: ToolCallItem): boolean;
}

export interface ToolRoundResult {
  /** One output per call, in call order — always, also when the round was cut short. */
  outputs: ResponseItem[];
  /** What to record: the outputs, each preceded by the items an observer put before it. */
  items: ResponseItem[];
  /** Calls of an interrupted round whose approval was still pending: `items` holds no output for them. */
  pending?: ToolCallItem[];
  /** The first fatal error of a call (or abort_turn); the caller ends the turn with it. */
  error?: unknown;
}

/**
 * Runs the calls of one model response through the observer's before/after seam. Every call ends
 * with an output, whatever happens: a call cut off by an interrupt answers with the reference's
 * "aborted by user" text, and a call whose sibling failed fatally is stopped and answers the same
 * way, so the history never holds a call without its output.
 */
export async function runToolRound(calls: ToolCallItem[], deps: ToolRoundDeps): Promise<ToolRoundResult> {
  const now = deps.now ?? Date.now;
  const round = new AbortController();
  const onAbort = (): void => round.abort(deps.signal.reason);
  if (deps.signal.aborted) round.abort(deps.signal.reason);
  else deps.signal.addEventListener("abort", onAbort, { once: true });
  let error: unknown;
  const before = new Map<ResponseItem, ResponseItem[]>();
  // Items a call asked to have recorded right after its output (code mode's notify), by call id.
  const after = new Map<string, ResponseItem[]>();

  const run = async (original: ToolCallItem, ctx: ToolContext): Promise<ResponseItem> => {
    const started = now();
    let call = original;
    if (round.signal.aborted) return outputForCall(call, abortedMessage(call, 0));
    try {
      const verdict = await deps.observer?.beforeToolCall?.(call);
      if (verdict?.type === "block") return outputForCall(call, verdict.reason);
      if (verdict?.type === "replace") return outputForCall(call, verdict.output);
      if (verdict?.type === "rewrite") call = verdict.call;
      // An interrupt while an observer ran (a PreToolUse hook) keeps the call from starting.
      if (round.signal.aborted) return outputForCall(call, abortedMessage(call, now() - started));
      const output = await deps.registry.dispatch(call, ctx);
      // An interrupt while the call ran decides its outcome, as in the reference.
      return deps.signal.aborted ? outputForCall(call, abortedMessage(call, now() - started)) : output;
    } catch (err) {
      if (!deps.signal.aborted) error ??= err;
      round.abort(err);
      return outputForCall(call, abortedMessage(call, now() - started));
    }
  };

  const observed: ToolRegistry = {
    specs: () => deps.registry.specs(),
    isMutating: (call) => deps.registry.isMutating(call),
    isExclusive: (call) => deps.registry.isExclusive(call),
    async dispatch(call, ctx) {
      let output = await run(call, ctx);
      try {
        const amended = await deps.observer?.afterToolCall?.(call, output);
        if (amended?.output) output = amended.output;
        if (amended?.before && amended.before.length > 0) before.set(output, amended.before);
      } catch (err) {
        error ??= err;
      }
      return output;
    },
  };
  try {
    const observer = deps.observer;
    const nestedCallSeam = observer
      ? {
          before: async (c: ToolCallItem) => observer.beforeToolCall?.(c),
          // A nested call's output goes back to the program, not the history: amendments (PostToolUse) are not applied.
          after: async (c: ToolCallItem, o: ResponseItem) => void (await observer.afterToolCall?.(c, o)),
        }
      : undefined;
    const context = (call: ToolCallItem): ToolContext => ({
      ...deps.toolContext(call),
      signal: round.signal,
      ...(nestedCallSeam ? { nestedCallSeam } : {}),
      recordAfterOutput: (item) => {
        const list = after.get(call.call_id) ?? [];
        list.push(item);
        after.set(call.call_id, list);
      },
    });
    const outputs = await runToolCalls(calls, observed, context, {
      parallel: deps.parallel,
    });
    const pending = deps.signal.aborted && deps.keepPending ? calls.filter((c) => deps.keepPending!(c)) : [];
    const items = outputs.flatMap((o, i) =>
      pending.includes(calls[i]!) ? [] : [...(before.get(o) ?? []), o, ...(after.get(calls[i]!.call_id) ?? [])],
    );
    return { outputs, items, ...(pending.length > 0 ? { pending } : {}), ...(error === undefined ? {} : { error }) };
  } finally {
    deps.signal.removeEventListener("abort", onAbort);
  }
}

const SHELL_TOOLS = new Set(["exec_command", "shell_command", "shell"]);

/** The reference's text for a call cut off after `elapsedMs`. */
export function abortedMessage(call: ToolCallItem, elapsedMs: number): string {
  const secs = Math.max(elapsedMs / 1000, 0.1).toFixed(1);
  return SHELL_TOOLS.has(call.name) ? `Wall time: ${secs} seconds\naborted by user` : `aborted by user after ${secs}s`;
}
