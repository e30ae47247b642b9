import type { RolloutItem, RolloutStore, RolloutWriterOptions, SessionMeta } from "./contract.js";
import { readRawRollout } from "./rollout-reader.js";

export interface ForkRolloutOptions extends RolloutWriterOptions {
  now?: () => Date;
}

/**
 * Copies a thread into a new rollout: a fresh session_meta (new id, `forked_from_id` = source id)
 * followed by every non-meta line of the source, unknown line types included.
 */
export async function forkRollout(
  store: RolloutStore,
  sourcePath: string,
  newId: string,
  options: ForkRolloutOptions = {},
): Promise<{ path: string }> {
  const lines = await readRawRollout(sourcePath);
  const source = lines.find((l) => l.type === "session_meta")?.payload as SessionMeta | undefined;
  if (source === undefined) throw new Error(`${sourcePath}: rollout has no session_meta line`);
  const now = options.now ?? (() => new Date());
  const meta: SessionMeta = { ...source, id: newId, timestamp: now().toISOString(), forked_from_id: source.id };
  const writer = await store.create(meta, { secrets: options.secrets });
  try {
    // Queue everything at once so the writer can commit it in a few synced writes, not one per line.
    await Promise.all(
      lines
        .filter((line) => line.type !== "session_meta")
        .map((line) => writer.append({ type: line.type, payload: line.payload } as RolloutItem)),
    );
  } finally {
    await writer.close();
  }
  return { path: writer.path };
}
