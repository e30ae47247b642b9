import { chmodSync, existsSync, mkdirSync, renameSync } from "node:fs";
import path from "node:path";
import { DROP_SQL, SCHEMA_SQL, SCHEMA_VERSION } from "./schema.js";
import { loadBetterSqlite3, type SqliteDatabase, type SqliteDriverLoader } from "./sqlite-driver.js";

// $CODEX_HOME/state.sqlite: the session index and the log rows. Everything in it can be lost: the index
// is rebuilt from the rollout files, the logs are a best-effort ring. So opening never blocks start-up:
// no driver means null (and one warning), a corrupt file is renamed aside and a fresh one started.

export const STATE_DB_FILE = "state.sqlite";

export interface StateDb {
  readonly db: SqliteDatabase;
  readonly path: string;
  close(): void;
}

export interface OpenStateDbOptions {
  codexHome: string;
  /** How better-sqlite3 is loaded; tests pass one that fails to simulate a machine without it. */
  loadDriver?: SqliteDriverLoader;
  /** Called with a one-line warning (no driver, corrupt file renamed aside). */
  warn?: (message: string) => void;
}

const CORRUPT_CODES = new Set(["SQLITE_CORRUPT", "SQLITE_NOTADB", "SQLITE_CORRUPT_VTAB", "SQLITE_CORRUPT_SEQUENCE"]);

/** True for errors that mean the file is not a usable database (as opposed to busy, read-only…). */
export function isCorruptDbError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" && (CORRUPT_CODES.has(code) || code.startsWith("SQLITE_CORRUPT"));
}

function prepare(db: SqliteDatabase): void {
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma("busy_timeout = 2000");
  const version = db.pragma("user_version", { simple: true }) as number;
  if (version !== SCHEMA_VERSION) {
    db.exec("BEGIN");
    if (version !== 0) db.exec(DROP_SQL);
    db.exec(SCHEMA_SQL);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
    db.exec("COMMIT");
  }
}

function moveAside(file: string, stamp: number): string {
  const aside = `${file}.corrupt-${stamp}`;
  for (const suffix of ["", "-wal", "-shm"]) {
    if (existsSync(file + suffix)) renameSync(file + suffix, aside + suffix);
  }
  return aside;
}

/** Opens (creating) the state database; null when better-sqlite3 cannot load or the home is unusable. */
export function openStateDb(o: OpenStateDbOptions): StateDb | null {
  const warn = o.warn ?? (() => {});
  const loaded = (o.loadDriver ?? loadBetterSqlite3)();
  if ("error" in loaded) {
    warn(`state database unavailable (better-sqlite3 did not load: ${loaded.error}); listing sessions from the rollout files`);
    return null;
  }
  const file = path.join(o.codexHome, STATE_DB_FILE);
  const open = (): SqliteDatabase => {
    const fresh = !existsSync(file);
    const db = new loaded.driver(file, { timeout: 2000 });
    try {
      prepare(db);
    } catch (err) {
      db.close();
      throw err;
    }
    if (fresh) {
      try {
        chmodSync(file, 0o600);
      } catch {
        // best effort: the rows are already scrubbed
      }
    }
    return db;
  };
  try {
    mkdirSync(o.codexHome, { recursive: true, mode: 0o700 });
    let db: SqliteDatabase;
    try {
      db = open();
    } catch (err) {
      if (!isCorruptDbError(err)) throw err;
      const aside = moveAside(file, Date.now());
      warn(`state database ${file} was corrupt; moved it to ${aside} and started a fresh one`);
      db = open();
    }
    return { db, path: file, close: () => db.close() };
  } catch (err) {
    warn(`state database ${file} could not be opened (${err instanceof Error ? err.message : String(err)}); listing sessions from the rollout files`);
    return null;
  }
}

/** The database opened on first call only, once; later calls return the same handle (or null). */
export type LazyStateDb = (() => StateDb | null) & {
  /** Whether the first call happened (the driver is loaded and the cost already paid). */
  isOpen(): boolean;
};

export function lazyStateDb(o: OpenStateDbOptions): LazyStateDb {
  let opened: { value: StateDb | null } | undefined;
  const get = () => {
    opened ??= { value: openStateDb(o) };
    return opened.value;
  };
  return Object.assign(get, { isOpen: () => opened !== undefined && opened.value !== null });
}
