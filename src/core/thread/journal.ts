import type { RolloutItem, RolloutWriter } from "../persistence/contract.js";

/** A thread's journal: appends in order, never rejects, and never loses a line silently. */
export interface Journal {
  readonly path: string | null;
  /** Resolves once the item (and every earlier one) is on disk, or its write failed and was reported. */
  append(item: RolloutItem): Promise<void>;
  /** Waits for every queued line; retries lines whose write failed before. */
  flush(): Promise<void>;
  /** Flushes, reports what could not be written, closes the writer. */
  close(): Promise<void>;
}

export interface JournalDeps {
  writer: RolloutWriter | null;
  /** Reports a write problem to the person (a `warning` event). */
  warn(message: string): void;
}

/**
 * Wraps the rollout writer so that one failed write (disk full, EIO, a revoked mount) does not
 * stop the journal: the failed lines stay queued, in order, and go out again with the next
 * append (or at close). The first failure of a streak is reported as a warning naming the file
 * and the error; at close, lines that still could not be written are counted in a last warning.
 */
export function createJournal(deps: JournalDeps): Journal {
  const writer = deps.writer;
  let queued: RolloutItem[] = [];
  let draining: Promise<void> | null = null;
  let failing: unknown = null;

  const drainOnce = async (): Promise<void> => {
    if (!writer) return;
    const batch = queued;
    queued = [];
    // Queue the whole batch at once so the writer commits it in one write + fdatasync.
    const results = await Promise.allSettled(batch.map((item) => writer.append(item)));
    const firstFailed = results.findIndex((r) => r.status === "rejected");
    if (firstFailed === -1) {
      failing = null;
      return;
    }
    // The writer fails everything after a failed write too, so the failed lines are a suffix:
    // put them back in front of anything appended meanwhile, keeping the order of the history.
    queued = [...batch.slice(firstFailed), ...queued];
    const reason = (results[firstFailed] as PromiseRejectedResult).reason;
    if (failing === null) {
      deps.warn(
        `failed to write session journal ${writer.path}: ${errorText(reason)}; ` +
          `${queued.length} line(s) are kept and written again with the next entry`,
      );
    }
    failing = reason;
  };

  // One attempt per drain: a journal that keeps failing retries with each new entry, never spins.
  const drain = (): Promise<void> =>
    (draining ??= drainOnce().finally(() => {
      draining = null;
    }));

  return {
    path: writer?.path ?? null,
    async append(item) {
      if (!writer) return;
      queued.push(item);
      // An append arriving while a drain runs is picked up by the next one.
      while (draining) await draining;
      if (queued.length > 0) await drain();
    },
    async flush() {
      while (draining) await draining;
      if (queued.length > 0) await drain();
    },
    async close() {
      if (!writer) return;
      await this.flush();
      if (queued.length > 0) {
        deps.warn(
          `${queued.length} line(s) of this session could not be written to ${writer.path}: ${errorText(failing)}; ` +
            `resuming it will miss them`,
        );
      }
      try {
        await writer.close();
      } catch (err) {
        deps.warn(`failed to close session journal ${writer.path}: ${errorText(err)}`);
      }
    },
  };
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
