import { open, type FileHandle } from "node:fs/promises";
import type { RolloutItem, RolloutWriter } from "./contract.js";
import { scrubForJournal } from "./scrub.js";

export interface OpenRolloutWriterOptions {
  path: string;
  /** "create" fails if the file exists; "append" requires it to exist. */
  mode: "create" | "append";
  secrets?: string[];
  now: () => Date;
}

/**
 * One rollout file opened for appending. Appends are serialized through a promise chain so lines
 * never interleave, and each resolves only after write + fdatasync, so a completed append
 * survives `kill -9` or power loss.
 */
export async function openRolloutWriter(o: OpenRolloutWriterOptions): Promise<RolloutWriter> {
  const handle = await open(o.path, o.mode === "create" ? "ax" : "r+");
  let needsLeadingNewline = false;
  let position = 0;
  try {
    const { size } = await handle.stat();
    position = size;
    if (size > 0) {
      // A crash can leave a torn last line; start on a fresh line so the next record stays parseable.
      const last = Buffer.alloc(1);
      await handle.read(last, 0, 1, size - 1);
      needsLeadingNewline = last[0] !== 0x0a;
    }
  } catch (err) {
    await handle.close();
    throw err;
  }
  const secrets = o.secrets ?? [];
  let tail: Promise<void> = Promise.resolve();
  let closed = false;

  const writeAll = async (fh: FileHandle, buf: Buffer): Promise<void> => {
    let off = 0;
    while (off < buf.length) {
      const { bytesWritten } = await fh.write(buf, off, buf.length - off, position);
      off += bytesWritten;
      position += bytesWritten;
    }
  };

  const writeLine = async (text: string): Promise<void> => {
    const buf = Buffer.from(needsLeadingNewline ? `\n${text}\n` : `${text}\n`, "utf8");
    needsLeadingNewline = false;
    try {
      await writeAll(handle, buf);
      await handle.datasync();
    } catch (err) {
      needsLeadingNewline = true;
      throw err;
    }
  };

  return {
    path: o.path,
    append(item: RolloutItem): Promise<void> {
      if (closed) return Promise.reject(new Error(`rollout ${o.path}: append after close`));
      // Serialize now so later mutation of `item` by the caller cannot change what is journaled.
      const line = scrubForJournal({ timestamp: o.now().toISOString(), type: item.type, payload: item.payload }, secrets);
      const text = JSON.stringify(line);
      const done = tail.then(() => writeLine(text));
      tail = done.catch(() => undefined);
      return done;
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await tail;
      await handle.close();
    },
  };
}
