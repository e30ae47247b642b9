import type { TurnObserver } from "../turn/observer.js";
import { compactHistory } from "./compact.js";
import type { CompactionSettings } from "./contract.js";

/**
 * Auto-compaction on the turn seam: before each sample, when the context (the last response's
 * usage plus what was added since) is past the limit, compact and go on in the same turn. At the
 * turn's first sample this is the "history already past it before a new turn" case.
 */
export function createCompactionObserver(settings: CompactionSettings): TurnObserver {
  return {
    async beforeSampling({ port, signal }) {
      if (!port || !signal) return;
      if (port.contextTokens() <= settings.limit) return;
      await compactHistory(port, settings, { trigger: "auto", signal });
    },
  };
}
