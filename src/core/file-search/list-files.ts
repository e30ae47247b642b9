// The files a fuzzy search looks through: inside a git repository what git lists (tracked plus untracked,
// without ignored ones: `git ls-files -co --exclude-standard`, minus tracked files deleted from the work
// tree); elsewhere a breadth-first walk that skips hidden entries, node_modules and what .gitignore files
// along the way exclude, and does not follow symbolic links to directories. Both are bounded: a file count
// and a time budget; a listing cut short says so.
import { execFile } from "node:child_process";
import { opendir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { findGitRepo } from "../context/git-info.js";
import { gitignoreVerdict, parseGitignore, type IgnoreRule } from "./gitignore.js";

export interface FileListing {
  /** Paths relative to the root, `/`-separated, files only. */
  files: string[];
  /** True when the count limit or the time budget stopped the listing early. */
  truncated: boolean;
  source: "git" | "walk";
}

export interface ListFilesOptions {
  /** Stop after this many files (default 200,000). */
  maxFiles?: number;
  /** Stop after this long, in milliseconds (default 3,000). */
  timeBudgetMs?: number;
  signal?: AbortSignal;
}

const DEFAULT_MAX_FILES = 200_000;
const DEFAULT_TIME_BUDGET_MS = 3_000;
const ALWAYS_SKIPPED_DIRS = new Set(["node_modules"]);

export async function listFiles(root: string, o: ListFilesOptions = {}): Promise<FileListing> {
  const maxFiles = o.maxFiles ?? DEFAULT_MAX_FILES;
  const budget = o.timeBudgetMs ?? DEFAULT_TIME_BUDGET_MS;
  o.signal?.throwIfAborted();
  if (findGitRepo(root) !== null) {
    const listed = await listWithGit(root, { maxFiles, budget, signal: o.signal });
    if (listed !== null) return listed;
  }
  return walk(root, { maxFiles, deadline: Date.now() + budget, signal: o.signal });
}

async function listWithGit(
  root: string,
  o: { maxFiles: number; budget: number; signal: AbortSignal | undefined },
): Promise<FileListing | null> {
  const run = (args: string[]) =>
    new Promise<string | null>((resolve) => {
      execFile(
        "git",
        ["-c", "core.quotepath=off", "ls-files", "-z", ...args],
        { cwd: root, timeout: o.budget, maxBuffer: 256 * 1024 * 1024, signal: o.signal, encoding: "utf8" },
        (err, stdout) => resolve(err ? null : stdout),
      );
    });
  const [listed, deleted] = await Promise.all([run(["-c", "-o", "--exclude-standard"]), run(["-d"])]);
  o.signal?.throwIfAborted();
  if (listed === null) return null;
  const gone = new Set(deleted === null ? [] : deleted.split("\0"));
  const seen = new Set<string>();
  const files: string[] = [];
  let truncated = false;
  for (const p of listed.split("\0")) {
    if (p === "" || gone.has(p) || seen.has(p)) continue;
    if (files.length >= o.maxFiles) {
      truncated = true;
      break;
    }
    seen.add(p);
    files.push(p);
  }
  return { files, truncated, source: "git" };
}

interface PendingDir {
  rel: string;
  /** The .gitignore rule sets in force: each with the directory (relative to root) it was read in. */
  ignores: { base: string; rules: IgnoreRule[] }[];
}

async function walk(
  root: string,
  o: { maxFiles: number; deadline: number; signal: AbortSignal | undefined },
): Promise<FileListing> {
  const files: string[] = [];
  const queue: PendingDir[] = [{ rel: "", ignores: [] }];
  let truncated = false;
  for (let head = 0; head < queue.length; head++) {
    o.signal?.throwIfAborted();
    if (Date.now() > o.deadline) {
      truncated = true;
      break;
    }
    const dir = queue[head]!;
    const abs = path.join(root, dir.rel);
    const own = await readIgnoreFile(path.join(abs, ".gitignore"));
    const ignores = own.length > 0 ? [...dir.ignores, { base: dir.rel, rules: own }] : dir.ignores;
    let handle;
    try {
      handle = await opendir(abs);
    } catch {
      continue;
    }
    for await (const entry of handle) {
      if (entry.name.startsWith(".")) continue;
      const rel = dir.rel === "" ? entry.name : `${dir.rel}/${entry.name}`;
      const isDir = entry.isDirectory();
      if (isDir && ALWAYS_SKIPPED_DIRS.has(entry.name)) continue;
      if (isIgnored(ignores, rel, { isDir })) continue;
      if (isDir) queue.push({ rel, ignores });
      else if (entry.isFile() || (entry.isSymbolicLink() && (await isFileTarget(path.join(abs, entry.name))))) {
        if (files.length >= o.maxFiles) {
          truncated = true;
          break;
        }
        files.push(rel);
      }
    }
    if (truncated) break;
  }
  return { files, truncated, source: "walk" };
}

function isIgnored(ignores: PendingDir["ignores"], rel: string, o: { isDir: boolean }): boolean {
  // The deepest .gitignore that has a verdict wins, as git reads them.
  for (let i = ignores.length - 1; i >= 0; i--) {
    const { base, rules } = ignores[i]!;
    const verdict = gitignoreVerdict(rules, base === "" ? rel : rel.slice(base.length + 1), o);
    if (verdict !== null) return verdict;
  }
  return false;
}

async function isFileTarget(link: string): Promise<boolean> {
  try {
    return (await stat(link)).isFile();
  } catch {
    return false;
  }
}

async function readIgnoreFile(file: string): Promise<IgnoreRule[]> {
  try {
    return parseGitignore(await readFile(file, "utf8"));
  } catch {
    return [];
  }
}
