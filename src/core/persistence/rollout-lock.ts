import { link, open, readFile, rename, unlink } from "node:fs/promises";
import path from "node:path";
import { pidAlive } from "../../util/pid-alive.js";
import { parseRolloutFileName } from "./rollout-path.js";

/** Another live process is writing this session. */
export class SessionInUseError extends Error {
  constructor(
    readonly threadId: string,
    readonly pid: number,
  ) {
    super(`session ${threadId} is in use by another codex process (pid ${pid})`);
    this.name = "SessionInUseError";
  }
}

export interface RolloutLock {
  release(): Promise<void>;
}

/** `<rollout>.lock`: holds the pid of the one process that may append to the rollout. */
export const lockPathFor = (rolloutPath: string): string => `${rolloutPath}.lock`;

async function readPid(file: string): Promise<number | null> {
  try {
    const pid = Number.parseInt((await readFile(file, "utf8")).trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/**
 * Takes the rollout's lock for this process, or throws SessionInUseError naming the live holder.
 * A lock whose pid is dead (a crash, kill -9) is stale and taken over. The lock file is written
 * completely under a private name and then hard-linked into place, so a reader never sees a
 * half-written pid and two processes can never both hold it.
 */
export async function acquireRolloutLock(rolloutPath: string, o: { pid?: number } = {}): Promise<RolloutLock> {
  const pid = o.pid ?? process.pid;
  const lockPath = lockPathFor(rolloutPath);
  const threadId = parseRolloutFileName(path.basename(rolloutPath))?.threadId ?? path.basename(rolloutPath);
  const temp = `${lockPath}.${pid}.${Date.now()}`;
  const fh = await open(temp, "wx", 0o600);
  try {
    await fh.writeFile(`${pid}\n`);
  } finally {
    await fh.close();
  }
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await link(temp, lockPath);
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "EEXIST" || attempt >= 5) throw err;
      }
      const holder = await readPid(lockPath);
      // This process already holds it (a second handle on the same thread): share it.
      if (holder === pid) break;
      if (holder !== null && pidAlive(holder)) throw new SessionInUseError(threadId, holder);
      // Stale (or unreadable): move it aside under a name only we use, then check that what we
      // moved is still the stale lock and not one a competitor took over meanwhile.
      const aside = `${lockPath}.stale.${pid}`;
      try {
        await rename(lockPath, aside);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "ENOENT") continue;
        throw err;
      }
      const moved = await readPid(aside);
      if (moved !== holder && moved !== null && pidAlive(moved)) {
        await rename(aside, lockPath).catch(() => {});
        throw new SessionInUseError(threadId, moved);
      }
      await unlink(aside).catch(() => {});
    }
  } finally {
    await unlink(temp).catch(() => {});
  }
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      // Only remove the lock if it is still ours.
      if ((await readPid(lockPath)) === pid) await unlink(lockPath).catch(() => {});
    },
  };
}
