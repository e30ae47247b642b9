// The resume/fork picker's data: saved sessions (this cwd's, or every cwd's with --all), newest first, each
// with its first prompt, age, cwd and git branch; and the filter typing applies to them.
import type { TuiCore } from "../tui-args.js";

export interface SessionRow {
  id: string;
  path: string;
  updatedAt: string;
  cwd: string;
  /** The first prompt, on one line. */
  preview: string;
  branch: string | null;
}

export interface LoadSessionRowsOptions {
  codexHome: string;
  cwd: string;
  /** Every cwd's sessions, not only this one's. */
  all: boolean;
  /** Sessions of `codex exec` too (default: interactive ones only, as Codex lists them). */
  includeNonInteractive?: boolean;
  limit?: number;
}

export async function loadSessionRows(core: Pick<TuiCore, "createRolloutStore" | "sessionGitBranch">, o: LoadSessionRowsOptions): Promise<SessionRow[]> {
  const store = core.createRolloutStore({ codexHome: o.codexHome });
  const listed = await store.list({ limit: o.limit ?? 200, ...(o.all ? {} : { cwd: o.cwd }) });
  const wanted = listed.filter((s) => o.includeNonInteractive === true || s.source !== "exec");
  return Promise.all(
    wanted.map(async (s) => ({
      id: s.id,
      path: s.path,
      updatedAt: s.updatedAt,
      cwd: s.cwd,
      preview: s.preview.replace(/\s+/g, " ").trim(),
      branch: await core.sessionGitBranch(s.path),
    })),
  );
}

/** Rows whose prompt, branch, cwd or id contain every word of `query` (case-insensitive). */
export function filterSessionRows(rows: readonly SessionRow[], query: string): SessionRow[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...rows];
  return rows.filter((r) => {
    const hay = `${r.preview}\n${r.branch ?? ""}\n${r.cwd}\n${r.id}`.toLowerCase();
    return words.every((w) => hay.includes(w));
  });
}

/** "just now", "42 seconds ago", "3 minutes ago", "1 hour ago", "5 days ago". */
export function relativeAge(iso: string, now: number): string {
  const seconds = Math.max(0, Math.floor((now - Date.parse(iso)) / 1000));
  if (!Number.isFinite(seconds)) return "-";
  if (seconds < 5) return "just now";
  const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"} ago`;
  if (seconds < 60) return unit(seconds, "second");
  if (seconds < 3600) return unit(Math.floor(seconds / 60), "minute");
  if (seconds < 86_400) return unit(Math.floor(seconds / 3600), "hour");
  return unit(Math.floor(seconds / 86_400), "day");
}
