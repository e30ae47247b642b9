// The state database's tables. Column names follow the reference's state and logs databases
// (threads.rollout_path, cwd, title, first_user_message, archived, agent_path…; logs.ts, level, target,
// thread_id, process_uuid, feedback_log_body, estimated_bytes), but the file is ours ($CODEX_HOME/state.sqlite):
// the reference keeps its own versioned files (state_5.sqlite, logs_2.sqlite) with migrations we must not touch.

/** Bumped when a table changes; an older file is dropped and rebuilt (it only indexes the rollout files). */
export const SCHEMA_VERSION = 1;

export const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS threads (
  rollout_path TEXT PRIMARY KEY,
  id TEXT NOT NULL,
  file_id TEXT NOT NULL,
  sort_key TEXT NOT NULL,
  dir TEXT NOT NULL,
  file_mtime_ms INTEGER NOT NULL,
  file_size INTEGER NOT NULL,
  listable INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL DEFAULT '',
  source TEXT NOT NULL DEFAULT '',
  model_provider TEXT,
  model TEXT,
  cwd TEXT NOT NULL DEFAULT '',
  cwd_key TEXT NOT NULL DEFAULT '',
  title TEXT NOT NULL DEFAULT '',
  first_user_message TEXT NOT NULL DEFAULT '',
  archived INTEGER NOT NULL DEFAULT 0,
  parent_thread_id TEXT,
  agent_path TEXT,
  agent_nickname TEXT,
  cli_version TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS idx_threads_dir ON threads(dir);
CREATE INDEX IF NOT EXISTS idx_threads_list ON threads(archived, listable, sort_key DESC);
CREATE INDEX IF NOT EXISTS idx_threads_cwd ON threads(archived, listable, cwd_key, sort_key DESC);
CREATE INDEX IF NOT EXISTS idx_threads_unlisted ON threads(listable) WHERE listable = 0;
CREATE TABLE IF NOT EXISTS indexed_dirs (
  dir TEXT PRIMARY KEY,
  mtime_ms REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS logs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  ts INTEGER NOT NULL,
  ts_nanos INTEGER NOT NULL,
  level TEXT NOT NULL,
  target TEXT NOT NULL,
  message TEXT NOT NULL,
  spans TEXT,
  fields TEXT,
  feedback_log_body TEXT,
  thread_id TEXT,
  process_uuid TEXT,
  estimated_bytes INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS idx_logs_thread_id ON logs(thread_id, id);
CREATE INDEX IF NOT EXISTS idx_logs_process_threadless ON logs(process_uuid, id) WHERE thread_id IS NULL;
`;

export const DROP_SQL = `
DROP TABLE IF EXISTS threads;
DROP TABLE IF EXISTS indexed_dirs;
DROP TABLE IF EXISTS logs;
`;
