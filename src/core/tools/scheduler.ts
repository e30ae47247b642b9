import type { ResponseItem, ToolCallItem } from "../../protocol/items.js";
import type { ToolContext } from "./contract.js";
import type { ToolRegistry } from "./registry.js";

/**
 * Runs the tool calls of one model response. Read-only calls run concurrently; a mutating call waits
 * for everything before it and blocks everything after it. Outputs come back in call order, which is
 * the order the model must see them in.
 */
export async function runToolCalls(
  calls: ToolCallItem[],
  registry: ToolRegistry,
  contextFor: (call: ToolCallItem) => ToolContext,
  options: { parallel: boolean },
): Promise<ResponseItem[]> {
  const results: Promise<ResponseItem>[] = [];
  let barrier: Promise<unknown> = Promise.resolve();
  let inFlight: Promise<unknown>[] = [];
  for (const call of calls) {
    const mutating = !options.parallel || registry.isMutating(call);
    const after = mutating ? Promise.allSettled([barrier, ...inFlight]) : barrier;
    const run = after.then(() => registry.dispatch(call, contextFor(call)));
    results.push(run);
    if (mutating) {
      barrier = run.catch(() => undefined);
      inFlight = [];
    } else {
      inFlight.push(run.catch(() => undefined));
    }
  }
  return Promise.all(results);
}
