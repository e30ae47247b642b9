import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import type { ThreadSummary } from "../persistence/contract.js";
import { ARCHIVED_SESSIONS_SUBDIR, parseRolloutFileName, SESSIONS_SUBDIR } from "../persistence/rollout-path.js";
import { scanRolloutHead } from "../persistence/rollout-reader.js";
import { createThreadHeadCollector, SUBAGENT_SOURCE, toThreadSummary, type ThreadHead } from "../persistence/thread-summary.js";
import type { SqliteDatabase } from "./sqlite-driver.js";

// The session index: one row per rollout file (sessions/YYYY/MM/DD/ and archived_sessions/), read from
// the file's head. The files stay the truth; the index is kept current at each use:
// - a folder whose mtime changed since it was indexed is listed again (new files read, gone files dropped);
// - a file that is about to be listed is stat'ed, and read again when its size or mtime changed;
// - files not yet listable (no prompt yet) are stat'ed each time, so a session that gets its first prompt appears.
// Files only ever get appended to, and what a listing shows of a file's head (id, cwd, first prompt) does
// not change, so this gives what a full scan gives, without reading 10,000 files.

export interface SessionIndex {
  /** Newest first (by the file's place in sessions/), as the file scan orders them. */
  list(o: { limit: number; cwd?: string; archived?: boolean }): Promise<ThreadSummary[]>;
  /** Brings the index up to date with the files. */
  sync(): Promise<void>;
}

interface Row {
  rollout_path: string;
  id: string;
  file_id: string;
  sort_key: string;
  dir: string;
  file_mtime_ms: number;
  file_size: number;
  listable: number;
  created_at: string;
  source: string;
  model_provider: string | null;
  model: string | null;
  cwd: string;
  cwd_key: string;
  title: string;
  first_user_message: string;
  archived: number;
  parent_thread_id: string | null;
  agent_path: string | null;
  agent_nickname: string | null;
  cli_version: string;
}

interface Place {
  dir: string;
  /** sort_key prefix: `YYYY/MM/DD/` or `archived/`. */
  prefix: string;
  archived: boolean;
}

const PAGE = 64;
/** A folder whose mtime is younger than this is not trusted to be complete yet. */
const RECENT_DIR_MS = 2_000;
const prefixOf = (r: Row): string => r.sort_key.slice(0, r.sort_key.length - path.basename(r.rollout_path).length);
const READ_CONCURRENCY = 16;
const TITLE_CHARS = 200;

async function names(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return [];
    throw err;
  }
}

async function dated(dir: string, digits: number): Promise<string[]> {
  const re = new RegExp(`^\\d{${digits}}$`);
  return (await names(dir)).filter((n) => re.test(n));
}

/** Every folder that may hold rollouts: the day folders of sessions/ and archived_sessions/. */
async function places(codexHome: string): Promise<Place[]> {
  const root = path.join(codexHome, SESSIONS_SUBDIR);
  const out: Place[] = [];
  for (const y of await dated(root, 4)) {
    const months = await dated(path.join(root, y), 2);
    const days = await Promise.all(months.map((m) => dated(path.join(root, y, m), 2)));
    months.forEach((m, i) => {
      for (const d of days[i]!) out.push({ dir: path.join(root, y, m, d), prefix: `${y}/${m}/${d}/`, archived: false });
    });
  }
  out.push({ dir: path.join(codexHome, ARCHIVED_SESSIONS_SUBDIR), prefix: "archived/", archived: true });
  return out;
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) out[i] = await fn(items[i]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

async function statOrNull(file: string): Promise<{ mtimeMs: number; size: number; mtime: Date } | null> {
  try {
    const s = await stat(file);
    return { mtimeMs: s.mtimeMs, size: s.size, mtime: s.mtime };
  } catch {
    return null;
  }
}

/** Reads a file's head into a row; null when the file is gone. */
async function readRow(file: string, place: Pick<Place, "dir" | "prefix" | "archived">): Promise<Row | null> {
  const before = await statOrNull(file);
  if (before === null) return null;
  const fileId = parseRolloutFileName(path.basename(file))?.threadId ?? path.basename(file);
  let head: ThreadHead | null = null;
  try {
    const collector = createThreadHeadCollector();
    await scanRolloutHead(file, collector.visit);
    head = collector.result();
  } catch {
    head = null; // unreadable: kept as a row that is not listed, read again when it changes
  }
  const listable = head !== null && head.preview !== null;
  const prompt = head?.preview ?? "";
  return {
    rollout_path: file,
    id: head?.id ?? fileId,
    file_id: fileId,
    sort_key: place.prefix + path.basename(file),
    dir: place.dir,
    file_mtime_ms: before.mtimeMs,
    file_size: before.size,
    listable: listable ? 1 : 0,
    created_at: head?.createdAt ?? "",
    source: head?.source ?? "",
    model_provider: head?.modelProvider ?? null,
    model: head?.model ?? null,
    cwd: head?.cwd ?? "",
    cwd_key: head ? path.resolve(head.cwd) : "",
    title: prompt.replace(/\s+/g, " ").trim().slice(0, TITLE_CHARS),
    first_user_message: prompt,
    archived: place.archived ? 1 : 0,
    parent_thread_id: head?.parentThreadId ?? null,
    agent_path: head?.agentPath ?? null,
    agent_nickname: head?.agentNickname ?? null,
    cli_version: head?.cliVersion ?? "",
  };
}

function rowHead(r: Row): ThreadHead {
  return {
    id: r.id,
    createdAt: r.created_at,
    cwd: r.cwd,
    source: r.source,
    preview: r.first_user_message,
    model: r.model,
    modelProvider: r.model_provider,
    cliVersion: r.cli_version,
    parentThreadId: r.parent_thread_id,
    agentPath: r.agent_path,
    agentNickname: r.agent_nickname,
  };
}

const COLUMNS = [
  "rollout_path", "id", "file_id", "sort_key", "dir", "file_mtime_ms", "file_size", "listable", "created_at", "source",
  "model_provider", "model", "cwd", "cwd_key", "title", "first_user_message", "archived", "parent_thread_id",
  "agent_path", "agent_nickname", "cli_version",
] as const;

export function createSessionIndex(o: { db: SqliteDatabase; codexHome: string }): SessionIndex {
  const { db } = o;
  const q = {
    dirs: db.prepare("SELECT dir, mtime_ms FROM indexed_dirs"),
    setDir: db.prepare("INSERT OR REPLACE INTO indexed_dirs (dir, mtime_ms) VALUES (?, ?)"),
    dropDir: db.prepare("DELETE FROM indexed_dirs WHERE dir = ?"),
    dropDirRows: db.prepare("DELETE FROM threads WHERE dir = ?"),
    inDir: db.prepare("SELECT rollout_path FROM threads WHERE dir = ?").pluck(),
    upsert: db.prepare(`INSERT OR REPLACE INTO threads (${COLUMNS.join(", ")}) VALUES (${COLUMNS.map((c) => "@" + c).join(", ")})`),
    drop: db.prepare("DELETE FROM threads WHERE rollout_path = ?"),
    unlisted: db.prepare("SELECT * FROM threads WHERE listable = 0"),
    // Sub-agents are reached through their root thread, never listed.
    page: db.prepare(`SELECT * FROM threads WHERE archived = ? AND listable = 1 AND source <> '${SUBAGENT_SOURCE}' AND sort_key < ? ORDER BY sort_key DESC LIMIT ?`),
    pageCwd: db.prepare(
      `SELECT * FROM threads WHERE archived = ? AND listable = 1 AND source <> '${SUBAGENT_SOURCE}' AND cwd_key = ? AND sort_key < ? ORDER BY sort_key DESC LIMIT ?`,
    ),
  };
  const apply = db.transaction((o: { upserts: Row[]; drops: string[]; dirs: [string, number][]; droppedDirs: string[] }) => {
    for (const d of o.droppedDirs) {
      q.dropDirRows.run(d);
      q.dropDir.run(d);
    }
    for (const p of o.drops) q.drop.run(p);
    for (const r of o.upserts) q.upsert.run(r);
    for (const [d, m] of o.dirs) q.setDir.run(d, m);
  });

  async function sync(): Promise<void> {
    const known = new Map((q.dirs.all() as { dir: string; mtime_ms: number }[]).map((r) => [r.dir, r.mtime_ms]));
    const current = await places(o.codexHome);
    const stats = await Promise.all(current.map((p) => statOrNull(p.dir)));
    const present = new Set<string>();
    const changed: { place: Place; mtimeMs: number }[] = [];
    current.forEach((p, i) => {
      const s = stats[i];
      if (!s) return;
      present.add(p.dir);
      if (known.get(p.dir) !== s.mtimeMs) changed.push({ place: p, mtimeMs: s.mtimeMs });
    });
    const droppedDirs = [...known.keys()].filter((d) => !present.has(d));
    const drops: string[] = [];
    const toRead: { file: string; place: Place }[] = [];
    for (const { place } of changed) {
      // The folder's mtime was taken before listing it: a file added meanwhile changes it again.
      const files = (await names(place.dir)).filter((n) => parseRolloutFileName(n) !== null).map((n) => path.join(place.dir, n));
      const indexed = new Set(q.inDir.all(place.dir) as string[]);
      const onDisk = new Set(files);
      for (const f of indexed) if (!onDisk.has(f)) drops.push(f);
      for (const f of files) if (!indexed.has(f)) toRead.push({ file: f, place });
    }
    // Files without a prompt yet: read again once they grew.
    for (const r of q.unlisted.all() as Row[]) {
      if (droppedDirs.includes(r.dir)) continue;
      const s = await statOrNull(r.rollout_path);
      if (s === null) drops.push(r.rollout_path);
      else if (s.size !== r.file_size || s.mtimeMs !== r.file_mtime_ms) {
        toRead.push({ file: r.rollout_path, place: { dir: r.dir, prefix: prefixOf(r), archived: r.archived === 1 } });
      }
    }
    const rows = await mapLimit(toRead, READ_CONCURRENCY, (t) => readRow(t.file, t.place));
    const upserts = rows.filter((r): r is Row => r !== null);
    toRead.forEach((t, i) => {
      if (rows[i] === null) drops.push(t.file);
    });
    if (upserts.length + drops.length + droppedDirs.length + changed.length === 0) return;
    // File times come from a coarse clock: a file created in the same tick as our listing leaves the
    // folder's mtime unchanged. A folder changed in the last moments is therefore listed again next time.
    const settled = (m: number): number => (Date.now() - m < RECENT_DIR_MS ? -1 : m);
    apply({ upserts, drops, dirs: changed.map((c) => [c.place.dir, settled(c.mtimeMs)]), droppedDirs });
  }

  /** A row about to be listed, checked against its file: null when gone or no longer listable. */
  async function fresh(r: Row): Promise<ThreadSummary | null> {
    const s = await statOrNull(r.rollout_path);
    if (s === null) {
      q.drop.run(r.rollout_path);
      return null;
    }
    let row = r;
    if (s.size !== r.file_size || s.mtimeMs !== r.file_mtime_ms) {
      const reread = await readRow(r.rollout_path, { dir: r.dir, prefix: prefixOf(r), archived: r.archived === 1 });
      if (reread === null) {
        q.drop.run(r.rollout_path);
        return null;
      }
      q.upsert.run(reread);
      row = reread;
      if (row.listable !== 1) return null;
    }
    return toThreadSummary(rowHead(row), { path: row.rollout_path, updatedAt: s.mtime.toISOString() });
  }

  return {
    sync,

    async list(opts) {
      const out: ThreadSummary[] = [];
      if (opts.limit <= 0) return out;
      await sync();
      const archived = opts.archived ? 1 : 0;
      const cwdKey = opts.cwd === undefined ? undefined : path.resolve(opts.cwd);
      // Keyset pages (sort_key below the last one seen), each only as big as what is still missing.
      let after = "\uffff";
      while (out.length < opts.limit) {
        const size = Math.min(PAGE, opts.limit - out.length);
        const rows = (cwdKey === undefined ? q.page.all(archived, after, size) : q.pageCwd.all(archived, cwdKey, after, size)) as Row[];
        for (const s of await Promise.all(rows.map(fresh))) if (s !== null) out.push(s);
        if (rows.length < size) break;
        after = rows[rows.length - 1]!.sort_key;
      }
      return out;
    },
  };
}
