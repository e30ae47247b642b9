import { appendFileSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync } from "node:fs";
import path from "node:path";
import type { LogRecord } from "./log-record.js";
import type { LogStore } from "./log-store.js";

// Log rows reach the database through a spool: a process appends its (already scrubbed) rows to its own
// file of JSON lines, which costs a write() and no native module, so a short `codex exec` never loads SQLite for
// its logs. A process that has the database open anyway, a spool that grew past a threshold, or a
// feedback export moves the spooled rows into the logs table (and prunes it) and deletes the files.

export const LOG_SPOOL_SUBDIR = path.join("log", "spool");
/** Spool size past which the next flush moves it into the database even if it has to open it. */
export const SPOOL_INGEST_BYTES = 256 * 1024;
export const SPOOL_INGEST_FILES = 64;
/** A claimed file left by a process that died while moving it is taken again after this long. */
const STALE_CLAIM_MS = 60_000;

type SpooledRow = LogRecord & { p: string };

/** Not `.jsonl`: tools (and people) that look for rollouts by that extension must not find spools. */
const SPOOL_EXT = ".spool";

export function spoolDirFor(codexHome: string): string {
  return path.join(codexHome, LOG_SPOOL_SUBDIR);
}

/** Appends `rows` (scrubbed) to this process's spool file in one write. */
export function appendSpool(o: { dir: string; processUuid: string; rows: readonly LogRecord[] }): void {
  if (o.rows.length === 0) return;
  mkdirSync(o.dir, { recursive: true, mode: 0o700 });
  const text = o.rows.map((r) => JSON.stringify({ ...r, p: o.processUuid })).join("\n") + "\n";
  appendFileSync(path.join(o.dir, `${o.processUuid}${SPOOL_EXT}`), text, { mode: 0o600 });
}

function entries(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** Whether the spool is big enough that moving it into the database is worth opening it. */
export function spoolIsLarge(dir: string): boolean {
  const names = entries(dir).filter((n) => n.endsWith(SPOOL_EXT));
  if (names.length >= SPOOL_INGEST_FILES) return true;
  let bytes = 0;
  for (const n of names) {
    try {
      bytes += statSync(path.join(dir, n)).size;
    } catch {
      // gone meanwhile
    }
    if (bytes >= SPOOL_INGEST_BYTES) return true;
  }
  return false;
}

function parseRows(text: string): { rows: LogRecord[]; processUuid: string }[] {
  const byProcess = new Map<string, LogRecord[]>();
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    let v: SpooledRow;
    try {
      v = JSON.parse(line) as SpooledRow;
    } catch {
      continue; // a torn line from a crash
    }
    if (typeof v.tsMs !== "number" || typeof v.level !== "string" || typeof v.target !== "string" || typeof v.message !== "string") continue;
    const { p, ...row } = v;
    const list = byProcess.get(p) ?? [];
    list.push(row);
    byProcess.set(p, list);
  }
  return [...byProcess].map(([processUuid, rows]) => ({ processUuid, rows }));
}

/**
 * Moves every spooled row into `store` and deletes the spool files; returns the bytes added. A file is
 * claimed by renaming it first, so two processes never move the same rows, and a writer still running
 * simply starts a new file.
 */
export function ingestSpool(o: { dir: string; store: LogStore; now?: () => number }): number {
  const now = o.now ?? Date.now;
  let added = 0;
  for (const name of entries(o.dir)) {
    const file = path.join(o.dir, name);
    let claimed: string;
    if (name.endsWith(SPOOL_EXT)) {
      claimed = `${file}.claimed-${process.pid}-${now()}`;
      try {
        renameSync(file, claimed);
      } catch {
        continue; // another process took it
      }
    } else if (/\.claimed-\d+-\d+$/.test(name)) {
      const at = Number(name.slice(name.lastIndexOf("-") + 1));
      if (now() - at < STALE_CLAIM_MS) continue;
      claimed = file;
    } else continue;
    let text: string;
    try {
      text = readFileSync(claimed, "utf8");
    } catch {
      continue;
    }
    for (const group of parseRows(text)) added += o.store.insert(group.rows, { processUuid: group.processUuid });
    try {
      unlinkSync(claimed);
    } catch {
      // already gone
    }
  }
  return added;
}
