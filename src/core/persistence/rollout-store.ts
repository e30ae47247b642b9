import { mkdir, readdir, stat } from "node:fs/promises";
import path from "node:path";
import type { ResponseItem } from "../../protocol/items.js";
import { userPromptText } from "../context/injected-context.js";
import type {
  RolloutLine,
  RolloutStore,
  RolloutWriter,
  RolloutWriterOptions,
  SessionMeta,
  ThreadSummary,
} from "./contract.js";
import { parseRolloutFileName, rolloutPathFor, SESSIONS_SUBDIR } from "./rollout-path.js";
import { readRolloutForResume } from "./resume-reader.js";
import { readRollout, scanRolloutHead } from "./rollout-reader.js";
import { openRolloutWriter } from "./rollout-writer.js";

export interface RolloutStoreOptions {
  codexHome: string;
  /** Clock for file names and line timestamps; injectable for tests. */
  now?: () => Date;
}

export interface FileRolloutStore extends RolloutStore {
  readonly sessionsDir: string;
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

async function summarize(file: string): Promise<ThreadSummary | null> {
  let meta: SessionMeta | undefined;
  let preview: string | undefined;
  await scanRolloutHead(file, (line) => {
    if (line.type === "session_meta" && meta === undefined) meta = line.payload as SessionMeta;
    else if (preview !== undefined) return meta !== undefined ? "stop" : "continue";
    else if (line.type === "response_item") preview = userPromptText(line.payload as ResponseItem) ?? undefined;
    else if (line.type === "event_msg") {
      const p = line.payload as { type?: unknown; message?: unknown };
      if (p.type === "user_message" && typeof p.message === "string") preview = p.message;
    }
    return meta !== undefined && preview !== undefined ? "stop" : "continue";
  });
  // Like Codex, a thread nobody ever prompted is not worth listing (e.g. exec that failed to start).
  if (meta === undefined || preview === undefined) return null;
  const { mtime } = await stat(file);
  return {
    id: meta.id,
    path: file,
    createdAt: meta.timestamp,
    updatedAt: mtime.toISOString(),
    cwd: meta.cwd,
    source: typeof meta.source === "string" ? meta.source : "subagent",
    preview,
  };
}

export function createRolloutStore(o: RolloutStoreOptions): FileRolloutStore {
  const now = o.now ?? (() => new Date());
  const sessionsDir = path.join(o.codexHome, SESSIONS_SUBDIR);

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
      if (threadId === "" || /[\\/]/.test(threadId)) return null;
      for await (const file of rolloutFilesNewestFirst(sessionsDir)) {
        if (parseRolloutFileName(path.basename(file))?.threadId === threadId) return file;
      }
      return null;
    },

    async list(options: { limit: number; cwd?: string }): Promise<ThreadSummary[]> {
      const out: ThreadSummary[] = [];
      if (options.limit <= 0) return out;
      const wantCwd = options.cwd === undefined ? undefined : path.resolve(options.cwd);
      for await (const file of rolloutFilesNewestFirst(sessionsDir)) {
        const summary = await summarize(file).catch(() => null);
        // Sub-agents are reached through their root thread, never listed (nor picked by `resume --last`).
        if (summary === null || summary.source === "subagent") continue;
        if (wantCwd !== undefined && path.resolve(summary.cwd) !== wantCwd) continue;
        out.push(summary);
        if (out.length >= options.limit) break;
      }
      return out;
    },

    read(file: string): Promise<RolloutLine[]> {
      return readRollout(file);
    },

    readForResume(file: string): Promise<RolloutLine[]> {
      return readRolloutForResume(file);
    },
  };
}
