import { constants } from "node:fs";
import type { EventMsg } from "../../protocol/events.js";
import { open, type FileHandle } from "node:fs/promises";
import { basename } from "node:path";
import type { RolloutItem, RolloutWriter } from "./contract.js";
import { createRolloutEventEncoder } from "./event-codec.js";
import { parseRolloutFileName } from "./rollout-path.js";
import { acquireRolloutLock, type RolloutLock } from "./rollout-lock.js";
import { scrubForJournal } from "./scrub.js";

export interface OpenRolloutWriterOptions {
  path: string;
  /** "create" fails if the file exists; "append" requires it to exist. */
  mode: "create" | "append";
  secrets?: string[];
  now: () => Date;
}

/**
 * One rollout file opened for appending (O_APPEND: every write lands at the end of the file, never
 * at a remembered offset) under the session's lock, so a second process resuming the same session
 * fails with SessionInUseError instead of interleaving lines. Appends go through one queue so lines
 * never interleave, and each resolves only after write + fdatasync, so a completed append survives
 * `kill -9` or power loss.
 */
export async function openRolloutWriter(o: OpenRolloutWriterOptions): Promise<RolloutWriter> {
  const flags =
    o.mode === "create"
      ? constants.O_RDWR | constants.O_APPEND | constants.O_CREAT | constants.O_EXCL
      : constants.O_RDWR | constants.O_APPEND;
  let lock: RolloutLock;
  let handle: FileHandle;
  if (o.mode === "append") {
    lock = await acquireRolloutLock(o.path);
    try {
      handle = await open(o.path, flags);
    } catch (err) {
      await lock.release();
      throw err;
    }
  } else {
    handle = await open(o.path, flags, 0o644);
    try {
      lock = await acquireRolloutLock(o.path);
    } catch (err) {
      await handle.close();
      throw err;
    }
  }
  let needsLeadingNewline = false;
  try {
    const { size } = await handle.stat();
    if (size > 0) {
      // A crash can leave a torn last line; start on a fresh line so the next record stays parseable.
      const last = Buffer.alloc(1);
      await handle.read(last, 0, 1, size - 1);
      needsLeadingNewline = last[0] !== 0x0a;
    }
  } catch (err) {
    await handle.close();
    await lock.release();
    throw err;
  }
  const secrets = o.secrets ?? [];
  // The thread's id is the file name's (rollout-<stamp>-<id>.jsonl): the reference stamps items with it.
  const events = createRolloutEventEncoder({ threadId: parseRolloutFileName(basename(o.path))?.threadId ?? "", now: o.now });
  let pending: Array<{ text: string; resolve: () => void; reject: (err: unknown) => void }> = [];
  let draining: Promise<void> | null = null;
  let closed = false;

  const writeAll = async (fh: FileHandle, buf: Buffer): Promise<void> => {
    let off = 0;
    while (off < buf.length) {
      // No position: O_APPEND puts every write at the current end of the file.
      const { bytesWritten } = await fh.write(buf, off, buf.length - off);
      off += bytesWritten;
    }
  };

  const writeLines = async (texts: string[]): Promise<void> => {
    const body = texts.join("\n") + "\n";
    const buf = Buffer.from(needsLeadingNewline ? `\n${body}` : body, "utf8");
    needsLeadingNewline = false;
    try {
      await writeAll(handle, buf);
      await handle.datasync();
    } catch (err) {
      needsLeadingNewline = true;
      throw err;
    }
  };

  // Group commit: appends queued while a write is in flight go out together in one write +
  // fdatasync. Order is kept, and each append still resolves only once its bytes are synced.
  const drain = async (): Promise<void> => {
    while (pending.length > 0) {
      const batch = pending;
      pending = [];
      try {
        await writeLines(batch.map((p) => p.text));
        for (const p of batch) p.resolve();
      } catch (err) {
        // Everything queued behind a failed write fails too, so a caller that retries can re-send
        // the failed lines in their original order (the failures are always a suffix).
        const rest = pending;
        pending = [];
        for (const p of [...batch, ...rest]) p.reject(err);
      }
    }
    draining = null;
  };

  return {
    path: o.path,
    append(item: RolloutItem): Promise<void> {
      if (closed) return Promise.reject(new Error(`rollout ${o.path}: append after close`));
      // Serialize now so later mutation of `item` by the caller cannot change what is journaled.
      // Events are written in the rollout's public form (event-codec.ts); readers get them back as EventMsg.
      const payload = item.type === "event_msg" ? events.encode(item.payload as EventMsg) : item.payload;
      const line = scrubForJournal({ timestamp: o.now().toISOString(), type: item.type, payload }, secrets);
      const text = JSON.stringify(line);
      return new Promise<void>((resolve, reject) => {
        pending.push({ text, resolve, reject });
        draining ??= drain();
      });
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      while (draining) await draining;
      try {
        await handle.close();
      } finally {
        await lock.release();
      }
    },
  };
}
