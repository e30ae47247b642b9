import { mkdir, readdir, stat } from "node:fs/promises";
import path from "node:path";
import type {
  RolloutLine,
  RolloutStore,
  RolloutWriter,
  RolloutWriterOptions,
  SessionMeta,
  ThreadSummary,
} from "./contract.js";
import { createThreadHeadCollector, SUBAGENT_SOURCE, toThreadSummary } from "./thread-summary.js";
import { ARCHIVED_SESSIONS_SUBDIR, parseRolloutFileName, rolloutPathFor, SESSIONS_SUBDIR } from "./rollout-path.js";
import { readRolloutForResume } from "./resume-reader.js";
import { readRollout, scanRolloutHead } from "./rollout-reader.js";
import { openRolloutWriter } from "./rollout-writer.js";
import { createSessionIndex, type SessionIndex } from "../state/session-index.js";
import { lazyStateDb, type StateDb } from "../state/state-db.js";

export interface RolloutStoreOptions {
  codexHome: string;
  /** Clock for file names and line timestamps; injectable for tests. */
  now?: () => Date;
  /**
   * The state database whose session index answers list() and find(); opened on first use from
   * $CODEX_HOME/state.sqlite by default. "off", or a database that cannot open, means scanning the files.
   */
  stateDb?: ((() => StateDb | null) & { isOpen?: () => boolean }) | "off";
  /** One-line warnings (no state database: listing from the files). */
  warn?: (message: string) => void;
}

/** File heads a list() reads before it turns to the index, beyond the ones it returns. */
export const SCAN_BUDGET = 8;

export interface FileRolloutStore extends RolloutStore {
  readonly sessionsDir: string;
  /** list() by reading the files, whatever the index says (the index's reference in tests and benches). */
  scanList(options: { limit: number; cwd?: string; archived?: boolean }): Promise<ThreadSummary[]>;
}

async function listDirNames(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT" || (err as NodeJS.ErrnoException).code === "ENOTDIR") {
      return [];
    }
    throw err;
  }
}

const desc = (a: string, b: string): number => (a < b ? 1 : a > b ? -1 : 0);

/** Date-partition folders (`YYYY`, `MM`, `DD`) newest first; anything else in sessions/ is ignored. */
async function datedSubdirs(dir: string, digits: number): Promise<string[]> {
  const re = new RegExp(`^\\d{${digits}}$`);
  return (await listDirNames(dir)).filter((n) => re.test(n)).sort(desc);
}

/** The flat archived_sessions/ folder, newest first by file name. */
async function* archivedFilesNewestFirst(dir: string): AsyncGenerator<string> {
  const names = (await listDirNames(dir)).filter((n) => parseRolloutFileName(n) !== null).sort(desc);
  for (const n of names) yield path.join(dir, n);
}

/** Every rollout file under sessions/, newest first (by folder date, then by file name). */
async function* rolloutFilesNewestFirst(sessionsDir: string): AsyncGenerator<string> {
  for (const y of await datedSubdirs(sessionsDir, 4)) {
    for (const m of await datedSubdirs(path.join(sessionsDir, y), 2)) {
      for (const d of await datedSubdirs(path.join(sessionsDir, y, m), 2)) {
        const dayDir = path.join(sessionsDir, y, m, d);
        const names = (await listDirNames(dayDir)).filter((n) => parseRolloutFileName(n) !== null).sort(desc);
        for (const n of names) yield path.join(dayDir, n);
      }
    }
  }
}

/** The listing's view of one rollout file: null for a thread nobody prompted (not worth listing, as in Codex). */
export async function summarizeRollout(file: string): Promise<ThreadSummary | null> {
  const head = createThreadHeadCollector();
  await scanRolloutHead(file, head.visit);
  const found = head.result();
  if (found === null || found.preview === null) return null;
  const { mtime } = await stat(file);
  return toThreadSummary(found, { path: file, updatedAt: mtime.toISOString() });
}

/** Listings of at most this many threads try the newest files before the index (`resume --last`). */
const QUICK_SCAN_MAX_LIMIT = 2;

export function createRolloutStore(o: RolloutStoreOptions): FileRolloutStore {
  const now = o.now ?? (() => new Date());
  const sessionsDir = path.join(o.codexHome, SESSIONS_SUBDIR);
  const warn = o.warn ?? (() => {});
  const stateDb: (() => StateDb | null) & { isOpen?: () => boolean } =
    o.stateDb === "off" ? Object.assign(() => null, { isOpen: () => false }) : (o.stateDb ?? lazyStateDb({ codexHome: o.codexHome, warn }));
  let index: SessionIndex | null | undefined;
  /** The index, or null (then the files are scanned); an index that fails is dropped with one warning. */
  const withIndex = async <T>(use: (i: SessionIndex) => Promise<T>, scan: () => Promise<T>): Promise<T> => {
    if (index === undefined) {
      const db = stateDb();
      index = db === null ? null : createSessionIndex({ db: db.db, codexHome: o.codexHome });
    }
    if (index === null) return scan();
    try {
      return await use(index);
    } catch (err) {
      index = null;
      warn(`session index failed (${err instanceof Error ? err.message : String(err)}); listing sessions from the rollout files`);
      return scan();
    }
  };

  const scanFind = async (threadId: string): Promise<string | null> => {
    for await (const file of rolloutFilesNewestFirst(sessionsDir)) {
      if (parseRolloutFileName(path.basename(file))?.threadId === threadId) return file;
    }
    return null;
  };

  /** The files newest first; stops after `maxReads` file heads (then `complete` is false). */
  const scan = async (options: { limit: number; cwd?: string; archived?: boolean }, maxReads = Infinity) => {
    const items: ThreadSummary[] = [];
    const wantCwd = options.cwd === undefined ? undefined : path.resolve(options.cwd);
    const files = options.archived ? archivedFilesNewestFirst(path.join(o.codexHome, ARCHIVED_SESSIONS_SUBDIR)) : rolloutFilesNewestFirst(sessionsDir);
    let reads = 0;
    for await (const file of files) {
      if (reads++ >= maxReads) return { items, complete: false };
      const summary = await summarizeRollout(file).catch(() => null);
      // Sub-agents are reached through their root thread, never listed (nor picked by `resume --last`).
      if (summary === null || summary.source === SUBAGENT_SOURCE) continue;
      if (wantCwd !== undefined && path.resolve(summary.cwd) !== wantCwd) continue;
      items.push(summary);
      if (items.length >= options.limit) break;
    }
    return { items, complete: true };
  };
  const scanList = async (options: { limit: number; cwd?: string; archived?: boolean }) => (await scan(options)).items;

  return {
    sessionsDir,

    async create(meta: SessionMeta, options?: RolloutWriterOptions): Promise<RolloutWriter> {
      const file = rolloutPathFor({ codexHome: o.codexHome, date: now(), threadId: meta.id });
      await mkdir(path.dirname(file), { recursive: true });
      const writer = await openRolloutWriter({ path: file, mode: "create", secrets: options?.secrets, now });
      await writer.append({ type: "session_meta", payload: meta });
      return writer;
    },

    async openForAppend(file: string, options?: RolloutWriterOptions): Promise<RolloutWriter> {
      return openRolloutWriter({ path: file, mode: "append", secrets: options?.secrets, now });
    },

    async find(threadId: string): Promise<string | null> {
      // File names carry the thread id: finding one needs folder listings only, never the index.
      if (threadId === "" || /[\\/]/.test(threadId)) return null;
      return scanFind(threadId);
    },

    async list(options: { limit: number; cwd?: string; archived?: boolean }): Promise<ThreadSummary[]> {
      if (options.limit <= 0) return [];
      // The newest files usually answer `resume --last` (the folder of the last session): a short scan
      // first, without loading SQLite; past its budget (a rare cwd, many unprompted files) the index
      // answers. A page (a picker, thread/list) goes straight to the index: reading its heads costs more
      // than the index does (bench-state: 50 in a rare cwd 57 ms through the scan first, 17 ms direct). A
      // process that has the database open already goes straight to the index too.
      if (options.limit <= QUICK_SCAN_MAX_LIMIT && !(stateDb.isOpen?.() ?? true)) {
        const quick = await scan(options, options.limit + SCAN_BUDGET);
        if (quick.complete) return quick.items;
      }
      return withIndex((i) => i.list(options), () => scanList(options));
    },

    scanList,

    read(file: string): Promise<RolloutLine[]> {
      return readRollout(file);
    },

    readForResume(file: string): Promise<RolloutLine[]> {
      return readRolloutForResume(file);
    },
  };
}
