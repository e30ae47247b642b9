import type { ResponseItem, ToolCallItem } from "../../protocol/items.js";
import type { ToolContext } from "./contract.js";
import type { ToolRegistry } from "./registry.js";

/**
 * Runs the tool calls of one model response. Calls that may share (read-only ones and shell commands)
 * run concurrently; an exclusive call (a patch) waits for everything before it and blocks everything
 * after it. Outputs come back in call order, which is the order the model must see them in.
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
    const exclusive = !options.parallel || registry.isExclusive(call);
    const after = exclusive ? Promise.allSettled([barrier, ...inFlight]) : barrier;
    const run = after.then(() => registry.dispatch(call, contextFor(call)));
    results.push(run);
    if (exclusive) {
      barrier = run.catch(() => undefined);
      inFlight = [];
    } else {
      inFlight.push(run.catch(() => undefined));
    }
  }
  return Promise.all(results);
}
