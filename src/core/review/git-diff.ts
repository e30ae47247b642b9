import { execFile } from "node:child_process";
import { findGitRepo, gitEnv } from "../context/git-info.js";

// The changes a review looks at, gathered with git: uncommitted (staged, unstaged and untracked) by
// default, against the merge base with a branch, or one commit. Output is capped so a huge change
// cannot flood the request; the model is told to read files for the rest.

export type ReviewTarget =
  | { kind: "uncommitted" }
  | { kind: "base"; branch: string }
  | { kind: "commit"; sha: string; title?: string };

export interface ReviewDiff {
  /** "uncommitted changes", "changes against main", "commit abc1234 (title)". */
  label: string;
  diff: string;
  /** Bytes left out past the cap (0 when the whole diff is included). */
  omittedBytes: number;
}

export class ReviewError extends Error {}

export const MAX_REVIEW_DIFF_BYTES = 256 * 1024;
const MAX_UNTRACKED_FILES = 100;
const GIT_TIMEOUT_MS = 20_000;

interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

function git(args: string[], o: { cwd: string; env: Record<string, string | undefined> }): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    execFile(
      "git",
      // No fsmonitor hook: gathering a diff must not run a program the repository configures.
      ["--no-optional-locks", "-c", "core.quotepath=off", "-c", "core.fsmonitor=false", ...args],
      { cwd: o.cwd, env: gitEnv(o.env), timeout: GIT_TIMEOUT_MS, maxBuffer: 8 * MAX_REVIEW_DIFF_BYTES, encoding: "utf8" },
      (err, stdout, stderr) => {
        const e = err as (NodeJS.ErrnoException & { code?: number | string }) | null;
        if (e && typeof e.code !== "number") {
          if (e.code === "ERR_CHILD_PROCESS_STDIO_MAXBUFFER") return resolve({ code: 0, stdout, stderr });
          if (e.code === "ENOENT") return reject(new ReviewError("git is not installed (needed to gather the changes to review)"));
          return reject(new ReviewError(`git ${args[0]} failed: ${e.message}`));
        }
        resolve({ code: typeof e?.code === "number" ? e.code : 0, stdout, stderr });
      },
    );
  });
}

const firstLine = (s: string): string => s.trim().split("\n")[0] ?? "";
const DIFF_FLAGS = ["--no-color", "--no-ext-diff", "--no-textconv"];

async function uncommitted(o: { cwd: string; env: Record<string, string | undefined> }): Promise<string> {
  const head = await git(["rev-parse", "--verify", "-q", "HEAD"], o);
  const tracked =
    head.code === 0
      ? [(await git(["diff", ...DIFF_FLAGS, "HEAD", "--"], o)).stdout]
      : [(await git(["diff", ...DIFF_FLAGS, "--cached", "--"], o)).stdout, (await git(["diff", ...DIFF_FLAGS, "--"], o)).stdout];
  const listed = await git(["ls-files", "--others", "--exclude-standard", "-z"], o);
  const untracked = listed.stdout.split("\0").filter(Boolean);
  const parts = [...tracked];
  for (const file of untracked.slice(0, MAX_UNTRACKED_FILES)) {
    // --no-index exits 1 when the files differ, which they always do here.
    parts.push((await git(["diff", ...DIFF_FLAGS, "--no-index", "--", "/dev/null", file], o)).stdout);
  }
  if (untracked.length > MAX_UNTRACKED_FILES) {
    parts.push(`# ${untracked.length - MAX_UNTRACKED_FILES} more untracked files not shown\n`);
  }
  return parts.filter((p) => p !== "").join("");
}

/** Gathers the diff of `target` in the repository containing `cwd`. */
export async function gatherReviewDiff(o: {
  cwd: string;
  target: ReviewTarget;
  env: Record<string, string | undefined>;
}): Promise<ReviewDiff> {
  if (findGitRepo(o.cwd) === null) throw new ReviewError(`not inside a git repository: ${o.cwd}`);
  const g = { cwd: o.cwd, env: o.env };
  let label: string;
  let diff: string;
  switch (o.target.kind) {
    case "uncommitted":
      label = "uncommitted changes";
      diff = await uncommitted(g);
      break;
    case "base": {
      const base = await git(["merge-base", "HEAD", o.target.branch], g);
      if (base.code !== 0) {
        throw new ReviewError(`cannot find a merge base with branch '${o.target.branch}': ${firstLine(base.stderr) || "unknown branch"}`);
      }
      label = `changes against ${o.target.branch}`;
      diff = (await git(["diff", ...DIFF_FLAGS, base.stdout.trim(), "--"], g)).stdout;
      break;
    }
    case "commit": {
      const shown = await git(["show", ...DIFF_FLAGS, "--format=commit %H%nAuthor: %an <%ae>%n%n%B", o.target.sha, "--"], g);
      if (shown.code !== 0) throw new ReviewError(`unknown commit '${o.target.sha}': ${firstLine(shown.stderr)}`);
      const short = o.target.sha.slice(0, 12);
      label = o.target.title ? `commit ${short} (${o.target.title})` : `commit ${short}`;
      diff = shown.stdout;
      break;
    }
  }
  const bytes = Buffer.byteLength(diff);
  if (bytes <= MAX_REVIEW_DIFF_BYTES) return { label, diff, omittedBytes: 0 };
  const kept = Buffer.from(diff).subarray(0, MAX_REVIEW_DIFF_BYTES).toString("utf8");
  return { label, diff: kept, omittedBytes: bytes - Buffer.byteLength(kept) };
}
