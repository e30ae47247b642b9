// What /diff shows: the work tree's changes against HEAD (staged and unstaged), then every untracked file
// (not ignored) as an added file, as one unified diff with git's colours off. Bounded: each git call has a
// time limit and the output a size limit; a folder outside a repository says so instead of failing.
import { execFile } from "node:child_process";
import { findGitRepo } from "./git-info.js";

export type WorkingTreeDiff =
  | { type: "diff"; diff: string; truncated: boolean; untrackedFiles: number }
  | { type: "not_a_repository" }
  | { type: "error"; message: string };

const MAX_BYTES = 8 * 1024 * 1024;
const TIMEOUT_MS = 10_000;

export async function workingTreeDiff(o: { cwd: string; env?: Record<string, string | undefined> }): Promise<WorkingTreeDiff> {
  const repo = findGitRepo(o.cwd);
  if (repo === null) return { type: "not_a_repository" };
  const git = (args: string[], okCodes: number[] = [0]) =>
    new Promise<{ out: string; truncated: boolean }>((resolve, reject) => {
      execFile(
        "git",
        ["-c", "core.quotepath=off", "-c", "color.ui=never", ...args],
        { cwd: repo.root, timeout: TIMEOUT_MS, maxBuffer: MAX_BYTES, encoding: "utf8", env: { ...(o.env ?? process.env), GIT_PAGER: "cat", GIT_TERMINAL_PROMPT: "0" } },
        (err, stdout, stderr) => {
          const code = err && typeof (err as { code?: unknown }).code === "number" ? ((err as { code: number }).code) : err ? -1 : 0;
          if ((err as { code?: unknown } | null)?.code === "ERR_CHILD_PROCESS_STDIO_MAXBUFFER") return resolve({ out: stdout, truncated: true });
          if (!okCodes.includes(code)) return reject(new Error(stderr.trim() || (err as Error).message));
          resolve({ out: stdout, truncated: false });
        },
      );
    });
  try {
    const hasHead = await git(["rev-parse", "--verify", "-q", "HEAD"], [0, 1]).then((r) => r.out.trim() !== "");
    // Without a commit yet, everything staged is new: diff the index against the empty tree.
    const tracked = hasHead ? await git(["diff", "HEAD", "--"]) : await git(["diff", "--cached", "--"]);
    const untracked = (await git(["ls-files", "--others", "--exclude-standard", "-z"])).out.split("\0").filter(Boolean);
    let diff = tracked.out;
    let truncated = tracked.truncated;
    for (const file of untracked) {
      if (diff.length >= MAX_BYTES) {
        truncated = true;
        break;
      }
      // --no-index exits 1 when the files differ (always, against /dev/null).
      const added = await git(["diff", "--no-index", "--", "/dev/null", file], [0, 1]);
      diff += added.out;
      truncated ||= added.truncated;
    }
    return { type: "diff", diff, truncated, untrackedFiles: untracked.length };
  } catch (err) {
    return { type: "error", message: (err as Error).message };
  }
}
