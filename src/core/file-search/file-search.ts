// Fuzzy file search over one or more roots: a FileIndex lists a root once (lazily, refreshable) and answers
// query after query against that listing, as a composer's `@` popup does while someone types. Matching yields
// to the event loop every few thousand candidates, so a search can be cancelled through its signal and stops
// at its time budget with the best matches found so far.
import path from "node:path";
import { createFuzzyMatcher } from "./fuzzy-match.js";
import { listFiles, type FileListing, type ListFilesOptions } from "./list-files.js";

export type FileMatchType = "file" | "directory";

export interface FileMatch {
  /** The root the match was found under (absolute). */
  root: string;
  /** Relative to `root`, `/`-separated. */
  path: string;
  /** The last path segment. */
  fileName: string;
  matchType: FileMatchType;
  score: number;
  /** Positions in `path` of the matched query characters. */
  indices: number[];
}

export interface FileSearchResult {
  /** Best first (score, then shorter path, then path order), at most `limit`. */
  matches: FileMatch[];
  /** How many candidates matched in all (may exceed `matches.length`). */
  matchedCount: number;
  /** The listing was cut short or the time budget ran out before every candidate was scored. */
  truncated: boolean;
}

export interface FileQueryOptions {
  /** Default 20. */
  limit?: number;
  /** Rejects with the signal's reason once aborted. */
  signal?: AbortSignal;
  /** Stop scoring after this long (default 500 ms) and answer with what was found. */
  timeBudgetMs?: number;
  /** Also match the directories that hold the listed files (default false). */
  includeDirectories?: boolean;
}

export interface FileIndex {
  readonly root: string;
  /** The listing (read on first use, then kept until refresh()). */
  listing(): Promise<FileListing>;
  search(query: string, o?: FileQueryOptions): Promise<FileSearchResult>;
  /** Forget the listing; the next search lists the root again. */
  refresh(): void;
}

export interface FileIndexOptions extends Omit<ListFilesOptions, "signal"> {}

const DEFAULT_LIMIT = 20;
const DEFAULT_SCORE_BUDGET_MS = 500;
const YIELD_EVERY = 4_096;

export function createFileIndex(root: string, o: FileIndexOptions = {}): FileIndex {
  const absRoot = path.resolve(root);
  let pending: Promise<FileListing> | null = null;
  let candidates: Candidate[] | null = null;
  let dirCandidates: Candidate[] | null = null;
  const listing = () => {
    if (pending === null) {
      const started = listFiles(absRoot, o);
      pending = started;
      // A failed listing is not kept: the next search tries again.
      started.catch(() => {
        if (pending === started) pending = null;
      });
    }
    return pending;
  };
  return {
    root: absRoot,
    listing,
    refresh() {
      pending = null;
      candidates = null;
      dirCandidates = null;
    },
    async search(query, q = {}) {
      q.signal?.throwIfAborted();
      const listed = await listing();
      candidates ??= listed.files.map((p) => candidate(p, "file"));
      let all = candidates;
      if (q.includeDirectories) {
        dirCandidates ??= directoriesOf(listed.files).map((p) => candidate(p, "directory"));
        all = [...candidates, ...dirCandidates];
      }
      const result = await scoreCandidates(absRoot, query, all, q);
      return { ...result, truncated: result.truncated || listed.truncated };
    },
  };
}

/** One search across several roots (each listed afresh); matches from all roots ranked together. */
export async function searchFiles(o: { query: string; roots: readonly string[] } & FileQueryOptions & FileIndexOptions): Promise<FileSearchResult> {
  const results = await Promise.all(o.roots.map((r) => createFileIndex(r, o).search(o.query, o)));
  const limit = o.limit ?? DEFAULT_LIMIT;
  return {
    matches: results.flatMap((r) => r.matches).sort(compareMatches).slice(0, limit),
    matchedCount: results.reduce((n, r) => n + r.matchedCount, 0),
    truncated: results.some((r) => r.truncated),
  };
}

interface Candidate {
  path: string;
  lowered: string;
  type: FileMatchType;
}

const candidate = (p: string, type: FileMatchType): Candidate => ({ path: p, lowered: p.toLowerCase(), type });

async function scoreCandidates(
  root: string,
  query: string,
  candidates: readonly Candidate[],
  q: FileQueryOptions,
): Promise<FileSearchResult> {
  const limit = Math.max(0, q.limit ?? DEFAULT_LIMIT);
  if (query.trim() === "" || limit === 0) return { matches: [], matchedCount: 0, truncated: false };
  const deadline = Date.now() + (q.timeBudgetMs ?? DEFAULT_SCORE_BUDGET_MS);
  const best: FileMatch[] = [];
  let matchedCount = 0;
  let truncated = false;
  const matcher = createFuzzyMatcher(query);
  for (let i = 0; i < candidates.length; i++) {
    if (i > 0 && i % YIELD_EVERY === 0) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      q.signal?.throwIfAborted();
      if (Date.now() > deadline) {
        truncated = true;
        break;
      }
    }
    const c = candidates[i]!;
    const m = matcher.match(c.path, c.lowered);
    if (m === null) continue;
    matchedCount++;
    const match: FileMatch = {
      root,
      path: c.path,
      fileName: c.path.slice(c.path.lastIndexOf("/") + 1),
      matchType: c.type,
      score: m.score,
      indices: m.indices,
    };
    insertBounded(best, match, limit);
  }
  q.signal?.throwIfAborted();
  return { matches: best, matchedCount, truncated };
}

function insertBounded(best: FileMatch[], m: FileMatch, limit: number): void {
  if (best.length === limit && compareMatches(m, best[best.length - 1]!) >= 0) return;
  let at = best.length;
  while (at > 0 && compareMatches(m, best[at - 1]!) < 0) at--;
  best.splice(at, 0, m);
  if (best.length > limit) best.pop();
}

function compareMatches(a: FileMatch, b: FileMatch): number {
  return b.score - a.score || a.path.length - b.path.length || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
}

function directoriesOf(files: readonly string[]): string[] {
  const dirs = new Set<string>();
  for (const f of files) {
    for (let at = f.indexOf("/"); at >= 0; at = f.indexOf("/", at + 1)) dirs.add(f.slice(0, at));
  }
  return [...dirs].sort();
}
