import { existsSync, readdirSync } from "node:fs";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createSecretRedactor, type SecretRedactor } from "../../util/secret-redactor.js";
import { createLogStore } from "../logging/log-store.js";
import { ingestSpool, spoolDirFor } from "../logging/log-spool.js";
import { createSessionArchive } from "../persistence/archive.js";
import { createRolloutStore } from "../persistence/rollout-store.js";
import { openStateDb, STATE_DB_FILE } from "../state/state-db.js";
import type { SqliteDriverLoader } from "../state/sqlite-driver.js";
import { tarGz } from "./tar-gz.js";

// A feedback bundle is one .tar.gz a person can attach to an issue or mail: a single file (a folder
// cannot be attached), compressed (journals are large and repetitive), and opened by `tar xzf` or any
// archive tool. It holds the thread's journal, its log lines and a small metadata.json, all scrubbed by
// the one redactor (known secrets plus secret-shaped tokens), whatever the journal's writer already did.

export const DEFAULT_FEEDBACK_LOG_BYTES = 4 * 1024 * 1024;
export const FEEDBACK_SUBDIR = "feedback";
export const NO_LOGS_NOTE = "no log lines were recorded for this thread";

export interface ExportFeedbackOptions {
  codexHome: string;
  /** The thread to export; the newest saved session (any directory) when absent. */
  threadId?: string;
  /** Known secret values (the API key…) to scrub besides the secret shapes. */
  secrets?: readonly string[];
  /** Where the bundle goes; `$CODEX_HOME/feedback` by default. */
  outDir?: string;
  /** Cap on the log file, in bytes, on whole lines (newest kept); 4 MiB by default. */
  maxLogBytes?: number;
  /** Version string recorded in metadata.json. */
  version?: string;
  /** Writes out log rows still buffered in this process before they are read. */
  flushLogs?: () => void;
  loadDriver?: SqliteDriverLoader;
  now?: () => Date;
}

export interface FeedbackBundle {
  path: string;
  threadId: string;
  /** The journal file the bundle was made from. */
  rolloutPath: string;
  logLines: number;
  logsTruncated: boolean;
}

export class FeedbackExportError extends Error {}

/** Each journal line redacted as a value (so a replacement cannot break its JSON); a torn line as text. */
function scrubJournal(text: string, redactor: SecretRedactor): string {
  return text
    .split("\n")
    .map((line) => {
      if (line.trim() === "") return line;
      try {
        return JSON.stringify(redactor.redactValue(JSON.parse(line)));
      } catch {
        return redactor.redact(line);
      }
    })
    .join("\n");
}

function readLogLines(o: ExportFeedbackOptions, threadId: string, warn: (m: string) => void): { lines: string[]; truncated: boolean; note?: string } {
  o.flushLogs?.();
  const spoolDir = spoolDirFor(o.codexHome);
  const spooled = existsSync(spoolDir) && readdirSync(spoolDir).length > 0;
  if (!spooled && !existsSync(path.join(o.codexHome, STATE_DB_FILE))) return { lines: [], truncated: false, note: NO_LOGS_NOTE };
  const state = openStateDb({ codexHome: o.codexHome, warn, ...(o.loadDriver ? { loadDriver: o.loadDriver } : {}) });
  if (state === null) return { lines: [], truncated: false, note: "log lines unavailable: the state database could not be opened" };
  try {
    const store = createLogStore(state.db);
    ingestSpool({ dir: spoolDir, store });
    const got = store.feedbackLines(threadId, { maxBytes: o.maxLogBytes ?? DEFAULT_FEEDBACK_LOG_BYTES });
    return got.lines.length === 0 ? { ...got, note: NO_LOGS_NOTE } : got;
  } finally {
    state.close();
  }
}

const stampOf = (d: Date): string => d.toISOString().replace(/[:.]/g, "-");

/** Writes one thread's feedback bundle; resolves with its path. */
export async function exportFeedbackBundle(o: ExportFeedbackOptions): Promise<FeedbackBundle> {
  const now = (o.now ?? (() => new Date()))();
  let threadId = o.threadId;
  if (threadId === undefined) {
    const [newest] = await createRolloutStore({ codexHome: o.codexHome }).list({ limit: 1 });
    if (newest === undefined) throw new FeedbackExportError("No saved sessions found to export feedback for");
    threadId = newest.id;
  }
  const found = await createSessionArchive({ codexHome: o.codexHome }).locate(threadId);
  if (found === null) throw new FeedbackExportError(`No saved session found with ID ${threadId}`);

  const redactor = createSecretRedactor(o.secrets ?? []);
  const journal = scrubJournal(await readFile(found.path, "utf8"), redactor);
  const warnings: string[] = [];
  const logs = readLogLines(o, threadId, (m) => warnings.push(m));
  const logText = logs.lines.length > 0 ? logs.lines.map((l) => redactor.redact(l)).join("\n") + "\n" : `${logs.note}\n`;
  const metadata = {
    thread_id: threadId,
    exported_at: now.toISOString(),
    codex_version: o.version ?? "unknown",
    platform: `${os.type()} ${os.release()}; ${os.arch()}`,
    node: process.version,
    rollout_file: path.basename(found.path),
    archived: found.location === "archived",
    log_lines: logs.lines.length,
    logs_truncated: logs.truncated,
    ...(logs.note ? { logs_note: logs.note } : {}),
    ...(warnings.length > 0 ? { warnings: warnings.map((w) => redactor.redact(w)) } : {}),
  };

  const dir = o.outDir ?? path.join(o.codexHome, FEEDBACK_SUBDIR);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, `codex-feedback-${threadId}-${stampOf(now)}.tar.gz`);
  const body = tarGz([
    { name: "metadata.json", body: JSON.stringify(metadata, null, 2) + "\n", mtime: now },
    { name: path.basename(found.path), body: journal, mtime: now },
    { name: "codex-logs.log", body: logText, mtime: now },
  ]);
  // Written whole, then renamed: a bundle on disk is never half-written.
  const tmp = `${file}.tmp-${process.pid}`;
  await writeFile(tmp, body, { mode: 0o600 });
  await rename(tmp, file);
  return { path: file, threadId, rolloutPath: found.path, logLines: logs.lines.length, logsTruncated: logs.truncated };
}
