import { link, open, readFile, rename, stat, unlink } from "node:fs/promises";
import { pidAlive } from "../../util/pid-alive.js";

/**
 * The advisory lock of `history.jsonl` between codex processes: `<file>.lock` holds the pid of the one process
 * appending or trimming. Node has no flock, so the lock is a file made under a private name and hard-linked
 * into place (two processes can never both hold it). A holder that died is stale and taken over; a live one
 * is waited for, a bounded number of times, then the caller gives up (the history is a convenience: a prompt
 * is never held up for it).
 */
export interface HistoryLock {
  release(): Promise<void>;
}

export class HistoryLockBusyError extends Error {}

export interface AcquireHistoryLockOptions {
  pid?: number;
  /** Tries before giving up (default 10, like the reference). */
  attempts?: number;
  /** Between tries (default 100 ms). */
  retryMs?: number;
  /** A lock older than this is stale even if its pid lives (pid reuse; default 10 s). */
  staleMs?: number;
}

async function readPid(file: string): Promise<number | null> {
  try {
    const pid = Number.parseInt((await readFile(file, "utf8")).trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** The stale holder's pid (null when unreadable), or undefined when the lock is live. */
async function staleHolder(lockPath: string, staleMs: number): Promise<number | null | undefined> {
  const holder = await readPid(lockPath);
  if (holder === null || !pidAlive(holder)) return holder;
  try {
    return Date.now() - (await stat(lockPath)).mtimeMs > staleMs ? holder : undefined;
  } catch {
    return holder;
  }
}

export async function acquireHistoryLock(file: string, o: AcquireHistoryLockOptions = {}): Promise<HistoryLock> {
  const pid = o.pid ?? process.pid;
  const attempts = o.attempts ?? 10;
  const retryMs = o.retryMs ?? 100;
  const staleMs = o.staleMs ?? 10_000;
  const lockPath = `${file}.lock`;
  const temp = `${lockPath}.${pid}.${process.hrtime.bigint()}`;
  const fh = await open(temp, "wx", 0o600);
  try {
    await fh.writeFile(`${pid}\n`);
  } finally {
    await fh.close();
  }
  try {
    for (let attempt = 1; ; attempt++) {
      if (attempt > attempts * 2) throw new HistoryLockBusyError(`${lockPath} could not be taken`);
      try {
        await link(temp, lockPath);
        return { release: () => unlink(lockPath).catch(() => {}) };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      }
      const stale = await staleHolder(lockPath, staleMs);
      if (stale !== undefined) {
        // Moved aside under a name only this process uses, then checked: if a competitor took the lock over
        // meanwhile, what was moved is its live lock, and it goes back.
        const aside = `${lockPath}.stale.${pid}`;
        const moved = await rename(lockPath, aside).then(
          () => true,
          () => false,
        );
        if (moved) {
          const movedPid = await readPid(aside);
          if (movedPid !== stale && movedPid !== null && pidAlive(movedPid)) await rename(aside, lockPath).catch(() => {});
          else await unlink(aside).catch(() => {});
        }
        continue;
      }
      if (attempt >= attempts) throw new HistoryLockBusyError(`${lockPath} is held by another codex process`);
      await new Promise((r) => setTimeout(r, retryMs));
    }
  } finally {
    await unlink(temp).catch(() => {});
  }
}
