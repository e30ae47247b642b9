import { createRequire } from "node:module";
import type BetterSqlite3 from "better-sqlite3";

// better-sqlite3 is a native optional dependency: it is required at run time (never bundled), only when
// the state database is first needed, so a machine where it did not build still starts and lists
// sessions from the files.

export type SqliteDatabase = BetterSqlite3.Database;
export type SqliteStatement = BetterSqlite3.Statement;
export type SqliteDriver = new (file: string, options?: BetterSqlite3.Options) => SqliteDatabase;

/** Loads better-sqlite3; a failure is `{ error }` with why, never a throw. */
export type SqliteDriverLoader = () => { driver: SqliteDriver } | { error: string };

export const loadBetterSqlite3: SqliteDriverLoader = () => {
  try {
    const req = createRequire(import.meta.url);
    const mod = req("better-sqlite3") as SqliteDriver | { default: SqliteDriver };
    return { driver: typeof mod === "function" ? mod : mod.default };
  } catch (err) {
    return { error: err instanceof Error ? err.message.split("\n")[0]! : String(err) };
  }
};
