// The git branch a saved session started on (its session_meta's `git.branch`), for the resume picker: only
// the file's first line is read, so listing fifty sessions stays cheap.
import { scanRolloutHead } from "./rollout-reader.js";

export async function sessionGitBranch(rolloutPath: string): Promise<string | null> {
  let branch: string | null = null;
  try {
    await scanRolloutHead(rolloutPath, (line) => {
      if (line.type === "session_meta") {
        const git = (line.payload as { git?: { branch?: unknown } }).git;
        if (typeof git?.branch === "string" && git.branch !== "") branch = git.branch;
      }
      return "stop";
    });
  } catch {
    return null;
  }
  return branch;
}
