import type { EventMsg, TurnError } from "../../protocol/events.js";
import {
  isToolCall,
  toolSearchCallView,
  type ResponseItem,
  type TokenUsage,
  type ToolCallItem,
  type WebSearchCallItem,
} from "../../protocol/items.js";
import { ModelError, type ModelClient, type ModelRequest } from "../model/contract.js";
import { ToolError, type ToolContext } from "../tools/contract.js";
import type { ToolRegistry } from "../tools/registry.js";
import { assistantText, reasoningText } from "./item-text.js";
import type { HistoryPort } from "./history-port.js";
import type { TurnObserver } from "./observer.js";
import { runToolRound } from "./tool-round.js";

export interface TurnDeps {
  model: ModelClient;
  registry: ToolRegistry;
  buildRequest(history: readonly ResponseItem[]): ModelRequest;
  history(): readonly ResponseItem[];
  /** Appends to the thread's history and journal; resolves once durable. */
  record(items: ResponseItem[]): Promise<void>;
  toolContext(call: ToolCallItem): ToolContext;
  emit(msg: EventMsg): void;
  onUsage(usage: TokenUsage): void;
  signal: AbortSignal;
  parallelToolCalls: boolean;
  /** The turn's seams: before sampling, around each tool call, at stop (see observer.ts). */
  observer?: TurnObserver;
  /** Given to `beforeSampling`: what an observer may do to the history (compaction). */
  historyPort?: HistoryPort;
  /**
   * Input that arrived while the turn runs (mail from other agents): recorded before each request, so
   * the model reads it at the next step, after the outputs of the calls it made.
   */
  pendingInput?(): ResponseItem[];
  /** Input steered into the running turn since the last request (recorded before the next one). */
  takeSteeredInput?(): Promise<ResponseItem[]>;
  hasSteeredInput?(): boolean;
  /** An interrupted call that was waiting for approval stays unanswered, to be asked again (tool-round.ts). */
  keepPending?(call: ToolCallItem): boolean;
}

export type TurnOutcome =
  | { status: "completed"; lastAgentMessage: string | null }
  | { status: "failed"; error: TurnError }
  | { status: "interrupted"; pending?: ToolCallItem[] };

/**
 * Samples the model until it answers without tool calls. Items of one response are committed only
 * when the response completes, so a retried (restarted) stream never leaves half an attempt behind.
 * Every committed call is answered before the turn ends (interrupts included: see tool-round.ts).
 */
export async function runTurn(deps: TurnDeps): Promise<TurnOutcome> {
  for (;;) {
    const outcome = await loop(deps);
    let verdict;
    try {
      verdict = await deps.observer?.onStop?.(outcome);
    } catch (err) {
      return failedWith(err);
    }
    // A stop observer (a blocking Stop hook) may continue a completed turn with more input.
    if (verdict?.type !== "continue" || outcome.status !== "completed" || deps.signal.aborted) return outcome;
    await deps.record(verdict.items);
  }
}

async function loop(deps: TurnDeps): Promise<TurnOutcome> {
  let lastAgentMessage: string | null = null;
  try {
    for (let request = 1; ; request++) {
      const arrived = deps.pendingInput?.() ?? [];
      if (arrived.length > 0) await deps.record(arrived);
      const steered = (await deps.takeSteeredInput?.()) ?? [];
      if (steered.length > 0) await deps.record(steered);
      await deps.observer?.beforeSampling?.({
        history: deps.history(),
        request,
        ...(deps.historyPort ? { port: deps.historyPort } : {}),
        signal: deps.signal,
      });
      const { items, calls } = await sampleOnce(deps);
      for (const item of items) {
        const text = item.type === "message" && item.role === "assistant" ? assistantText(item) : null;
        if (text !== null) lastAgentMessage = text;
      }
      // Input steered in while the model answered: the turn goes on with it.
      if (calls.length === 0 && !deps.hasSteeredInput?.()) return { status: "completed", lastAgentMessage };
      if (calls.length === 0) continue;
      const round = await runToolRound(calls, {
        registry: deps.registry,
        toolContext: (call) => deps.toolContext(call),
        observer: deps.observer,
        signal: deps.signal,
        parallel: deps.parallelToolCalls,
        ...(deps.keepPending ? { keepPending: deps.keepPending } : {}),
      });
      await deps.record(round.items);
      if (deps.signal.aborted) return round.pending ? { status: "interrupted", pending: round.pending } : { status: "interrupted" };
      if (round.error !== undefined) throw round.error;
    }
  } catch (err) {
    if (deps.signal.aborted || isAbortError(err)) return { status: "interrupted" };
    if (err instanceof ToolError && err.kind === "abort_turn") return { status: "interrupted" };
    return failedWith(err);
  }
}

function failedWith(err: unknown): TurnOutcome {
  if (err instanceof ModelError) return { status: "failed", error: err.error };
  if (err instanceof ToolError) return { status: "failed", error: { kind: "internal", message: err.message } };
  const message = err instanceof Error ? err.message : String(err);
  return { status: "failed", error: { kind: "internal", message } };
}

async function sampleOnce(deps: TurnDeps): Promise<{ items: ResponseItem[]; calls: ToolCallItem[] }> {
  const request = deps.buildRequest(deps.history());
  let pending: ResponseItem[] = [];
  for await (const ev of deps.model.stream(request, deps.signal)) {
    switch (ev.type) {
      case "created":
        pending = [];
        break;
      case "retrying":
        pending = [];
        deps.emit({
          type: "stream_error",
          message: `Reconnecting... ${ev.attempt}/${ev.maxAttempts} (${ev.reason})`,
          attempt: ev.attempt,
          maxAttempts: ev.maxAttempts,
        });
        break;
      case "output_text_delta":
        deps.emit({ type: "agent_message_delta", delta: ev.delta });
        break;
      case "reasoning_summary_delta":
        deps.emit({ type: "agent_reasoning_delta", delta: ev.delta });
        break;
      case "output_item_done":
        pending.push(ev.item);
        break;
      case "completed": {
        const committed = await commit(deps, pending);
        if (ev.usage) deps.onUsage(ev.usage);
        return committed;
      }
      default:
        break;
    }
  }
  throw new ModelError({
    kind: "stream_disconnected",
    message: "stream disconnected before completion: stream closed before response.completed",
  });
}

async function commit(deps: TurnDeps, items: ResponseItem[]): Promise<{ items: ResponseItem[]; calls: ToolCallItem[] }> {
  await deps.record(items);
  const calls: ToolCallItem[] = [];
  for (const item of items) {
    if (isToolCall(item)) {
      calls.push(item);
      continue;
    }
    const toolSearch = toolSearchCallView(item);
    if (toolSearch) {
      calls.push(toolSearch);
      continue;
    }
    if (item.type === "message" && item.role === "assistant") {
      const text = assistantText(item);
      if (text !== null) deps.emit({ type: "agent_message", message: text, itemId: typeof item.id === "string" ? item.id : undefined });
    } else if (item.type === "reasoning") {
      const text = reasoningText(item);
      if (text) deps.emit({ type: "agent_reasoning", text });
    } else if (item.type === "web_search_call") {
      emitWebSearch(deps, item as WebSearchCallItem);
    }
  }
  return { items, calls };
}

function emitWebSearch(deps: TurnDeps, item: WebSearchCallItem): void {
  const callId = item.id ?? "web_search";
  const action = (item.action ?? { type: "other" }) as Record<string, unknown>;
  const query = typeof action.query === "string" ? action.query : "";
  deps.emit({ type: "web_search_begin", callId });
  deps.emit({ type: "web_search_end", callId, query, action });
}

function isAbortError(err: unknown): boolean {
  return err instanceof Error && err.name === "AbortError";
}
