import { mkdir, readdir, rename, rm } from "node:fs/promises";
import path from "node:path";
import { parseRolloutFileName, ARCHIVED_SESSIONS_SUBDIR, SESSIONS_SUBDIR } from "./rollout-path.js";
import { acquireRolloutLock } from "./rollout-lock.js";
import { createRolloutStore } from "./rollout-store.js";

// Archive, unarchive and delete saved sessions in the reference's layout: an archived rollout sits flat in
// `$CODEX_HOME/archived_sessions/<file name>`; unarchiving puts it back in `sessions/YYYY/MM/DD/` by the
// date in its name. The rollout store lists only `sessions/`, so an archived session is hidden from
// `resume --last`, pickers and thread lists.

export type SessionLocation = "active" | "archived";

export class SessionNotFoundError extends Error {
  constructor(id: string, where: "active" | "archived" | "any") {
    const scope = where === "active" ? "active session" : where === "archived" ? "archived session" : "active or archived session";
    super(`No ${scope} found matching '${id}'.`);
  }
}

export interface SessionArchive {
  /** Moves the session's rollout into archived_sessions/; resolves with its new path. */
  archive(id: string): Promise<string>;
  /** Moves an archived rollout back under sessions/; resolves with its new path. */
  unarchive(id: string): Promise<string>;
  /** Where the session's rollout is, active first; null when there is none. */
  locate(id: string): Promise<{ path: string; location: SessionLocation } | null>;
  /** Removes the rollout (active or archived); resolves with the removed path. */
  delete(id: string): Promise<string>;
}

async function namesIn(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw err;
  }
}

const validId = (id: string): boolean => id !== "" && !/[\\/]/.test(id) && id !== "." && id !== "..";

/** Runs `body` holding the rollout's lock: a session another live process is writing is left alone. */
async function whileLocked<T>(file: string, body: () => Promise<T>): Promise<T> {
  const lock = await acquireRolloutLock(file);
  try {
    return await body();
  } finally {
    await lock.release();
  }
}

export function createSessionArchive(o: { codexHome: string }): SessionArchive {
  const store = createRolloutStore({ codexHome: o.codexHome });
  const archivedDir = path.join(o.codexHome, ARCHIVED_SESSIONS_SUBDIR);

  const findArchived = async (id: string): Promise<string | null> => {
    if (!validId(id)) return null;
    const name = (await namesIn(archivedDir)).find((n) => parseRolloutFileName(n)?.threadId === id);
    return name === undefined ? null : path.join(archivedDir, name);
  };
  const findActive = (id: string): Promise<string | null> => (validId(id) ? store.find(id) : Promise.resolve(null));

  return {
    async archive(id) {
      const from = await findActive(id);
      if (from === null) throw new SessionNotFoundError(id, "active");
      await mkdir(archivedDir, { recursive: true, mode: 0o700 });
      const to = path.join(archivedDir, path.basename(from));
      await whileLocked(from, () => rename(from, to));
      return to;
    },

    async unarchive(id) {
      const from = await findArchived(id);
      if (from === null) throw new SessionNotFoundError(id, "archived");
      const stamp = parseRolloutFileName(path.basename(from))!.stamp;
      const [y, m, d] = stamp.slice(0, 10).split("-") as [string, string, string];
      const dayDir = path.join(o.codexHome, SESSIONS_SUBDIR, y, m, d);
      await mkdir(dayDir, { recursive: true, mode: 0o700 });
      const to = path.join(dayDir, path.basename(from));
      await whileLocked(from, () => rename(from, to));
      return to;
    },

    async locate(id) {
      const active = await findActive(id);
      if (active !== null) return { path: active, location: "active" };
      const archived = await findArchived(id);
      return archived === null ? null : { path: archived, location: "archived" };
    },

    async delete(id) {
      const found = await this.locate(id);
      if (found === null) throw new SessionNotFoundError(id, "any");
      await whileLocked(found.path, () => rm(found.path, { force: true }));
      return found.path;
    },
  };
}
