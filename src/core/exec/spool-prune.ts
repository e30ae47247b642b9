import { readdir, rm, stat } from "node:fs/promises";
import path from "node:path";

/** Spooled command output older than this is deleted when a session starts, so the spool stays bounded. */
export const SPOOL_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;

/** Deletes files in `dir` last modified before `now - maxAgeMs`; returns how many. Never throws. */
export async function pruneSpool(dir: string, o: { now?: number; maxAgeMs?: number } = {}): Promise<number> {
  const cutoff = (o.now ?? Date.now()) - (o.maxAgeMs ?? SPOOL_MAX_AGE_MS);
  let removed = 0;
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return 0;
  }
  for (const name of names) {
    const file = path.join(dir, name);
    try {
      const info = await stat(file);
      if (info.isFile() && info.mtimeMs < cutoff) {
        await rm(file, { force: true });
        removed++;
      }
    } catch {
      // raced with another session or unreadable: leave it
    }
  }
  return removed;
}
