import { spawn } from "node:child_process";
import path from "node:path";
import { gitEnv } from "../context/git-info.js";
import type { FileChangeSummary } from "../../protocol/events.js";
import type { RolloutLine } from "./contract.js";

// The latest diff the agent produced in a thread, read from its journal: the successful
// patch_apply_end events of the last turn that applied any, concatenated in order, with file names
// rewritten relative to a repository root (`a/<rel>`, `b/<rel>`) so `git apply` can take them.

export interface AgentPatch {
  diff: string;
  changes: FileChangeSummary[];
}

export class AgentDiffError extends Error {}

/** The patches of the last turn that applied any (in the order applied); empty when there are none. */
export function latestTurnPatches(lines: readonly RolloutLine[]): AgentPatch[] {
  let latest: AgentPatch[] = [];
  let current: AgentPatch[] = [];
  for (const line of lines) {
    if (line.type !== "event_msg") continue;
    const p = line.payload as { type?: string; success?: unknown; diff?: unknown; changes?: unknown };
    if (p.type === "task_started") current = [];
    if (p.type === "patch_apply_end" && p.success === true && typeof p.diff === "string" && p.diff.trim() !== "") {
      current.push({ diff: p.diff, changes: Array.isArray(p.changes) ? (p.changes as FileChangeSummary[]) : [] });
      latest = current;
    }
  }
  return latest;
}

const HUNK_RE = /^@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@/;

/**
 * git-style headers for one file, so `git apply` knows adds, deletes and moves (a traditional
 * `--- a/old` / `+++ b/new` pair would be applied to `new` only).
 */
function gitHeader(oldName: string, newName: string): string[] {
  const tail = [`--- ${oldName}`, `+++ ${newName}`];
  if (oldName === "/dev/null") return [`diff --git a/${newName.slice(2)} ${newName}`, "new file mode 100644", ...tail];
  if (newName === "/dev/null") return [`diff --git ${oldName} b/${oldName.slice(2)}`, "deleted file mode 100644", ...tail];
  const from = oldName.slice(2);
  const to = newName.slice(2);
  if (from !== to) return [`diff --git ${oldName} ${newName}`, `rename from ${from}`, `rename to ${to}`, ...tail];
  return [`diff --git ${oldName} ${newName}`, ...tail];
}

/** One patch's diff with its header names made relative to `root`; throws when a file lies outside it. */
function rebasePatch(patch: AgentPatch, root: string): string {
  const lines = patch.diff.split("\n");
  const out: string[] = [];
  let oldLeft = 0;
  let newLeft = 0;
  let pendingOld: string | null = null;
  const place = (name: string, prefix: "a/" | "b/"): string => {
    if (name === "/dev/null") return name;
    let abs: string | undefined;
    if (path.isAbsolute(name)) abs = name;
    else {
      const rel = name.startsWith(prefix) ? name.slice(2) : name;
      const candidates = patch.changes.flatMap((c) => [c.path, ...(c.movedFrom ? [c.movedFrom] : [])]);
      abs = candidates.find((c) => c === rel || c.endsWith(`${path.sep}${rel}`));
      if (abs === undefined) throw new AgentDiffError(`cannot tell where ${rel} of the recorded diff belongs`);
    }
    const relToRoot = path.relative(root, abs);
    if (relToRoot === "" || relToRoot.startsWith("..") || path.isAbsolute(relToRoot)) {
      throw new AgentDiffError(`the recorded diff touches ${abs}, outside the repository ${root}`);
    }
    return `${prefix}${relToRoot.split(path.sep).join("/")}`;
  };
  for (const line of lines) {
    if (oldLeft > 0 || newLeft > 0) {
      if (line.startsWith("-")) oldLeft--;
      else if (line.startsWith("+")) newLeft--;
      else if (!line.startsWith("\\")) {
        oldLeft--;
        newLeft--;
      }
      out.push(line);
      continue;
    }
    const hunk = HUNK_RE.exec(line);
    if (hunk) {
      oldLeft = hunk[1] === undefined ? 1 : Number(hunk[1]);
      newLeft = hunk[2] === undefined ? 1 : Number(hunk[2]);
      out.push(line);
    } else if (line.startsWith("--- ")) pendingOld = place(line.slice(4).split("\t")[0]!, "a/");
    else if (line.startsWith("+++ ") && pendingOld !== null) {
      out.push(...gitHeader(pendingOld, place(line.slice(4).split("\t")[0]!, "b/")));
      pendingOld = null;
    } else if (line.startsWith("Index: ") || line.startsWith("====")) continue;
    else out.push(line);
  }
  const text = out.join("\n");
  return text.endsWith("\n") ? text : `${text}\n`;
}

/** The patches as one diff `git apply` can take from `root`. */
export function agentDiffForGit(patches: readonly AgentPatch[], root: string): string {
  return patches.map((p) => rebasePatch(p, root)).join("");
}

/**
 * Applies `diff` to the work tree at `root` with `git apply` (all or nothing); resolves with git's
 * complaint (first lines of stderr) when it does not apply, null when it did. git gets an allowlisted
 * environment (no keys, no GIT_DIR redirect).
 */
export function gitApply(o: { root: string; diff: string; env: Record<string, string | undefined> }): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const child = spawn("git", ["-c", "core.fsmonitor=false", "apply", "--whitespace=nowarn", "-"], { cwd: o.root, env: gitEnv(o.env), stdio: ["pipe", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
    child.on("error", (err) => reject(new AgentDiffError(`cannot run git: ${err.message}`)));
    child.on("close", (code) => resolve(code === 0 ? null : stderr.trim().split("\n").slice(0, 5).join("; ") || `git apply exited with ${code}`));
    child.stdin.on("error", () => undefined);
    child.stdin.end(o.diff);
  });
}
