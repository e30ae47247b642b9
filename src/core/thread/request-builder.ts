import type { ResponseItem } from "../../protocol/items.js";
import type { ModelRequest } from "../model/contract.js";
import { pairToolCalls } from "../persistence/call-pairing.js";
import type { ToolSpec } from "../tools/contract.js";

export interface RequestDefaults {
  model: string;
  reasoning?: { effort?: string; summary?: string };
  verbosity?: string;
  parallelToolCalls: boolean;
  serviceTier?: string;
  /** Defaults to the thread id; sub-agents share their root's cache key. */
  promptCacheKey?: string;
}

export interface RequestParts {
  threadId: string;
  defaults: RequestDefaults;
  tools: ToolSpec[];
  identity: { headers: Record<string, string>; clientMetadata: Record<string, string> };
  history: readonly ResponseItem[];
  outputSchema?: unknown;
}

/**
 * One model request from a thread's history. Every tool call in `input` is paired with its output
 * (the API refuses a dangling call with HTTP 400), whatever a crash or a feature did to the history.
 */
export function buildModelRequest(p: RequestParts): ModelRequest {
  return {
    model: p.defaults.model,
    input: [...pairToolCalls(p.history)],
    tools: p.tools,
    parallelToolCalls: p.defaults.parallelToolCalls,
    reasoning: p.defaults.reasoning,
    verbosity: p.defaults.verbosity,
    outputSchema: p.outputSchema,
    promptCacheKey: p.defaults.promptCacheKey ?? p.threadId,
    serviceTier: p.defaults.serviceTier,
    headers: p.identity.headers,
    clientMetadata: p.identity.clientMetadata,
  };
}
