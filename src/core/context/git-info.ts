// Facts about the git repository around the working directory, read straight from `.git` (HEAD, refs,
// packed-refs, config) so start-up spawns nothing; only "are there uncommitted changes" needs `git`.
import { execFile } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";

export interface GitRepoLocation {
  /** The work tree's top directory (the one holding `.git`). */
  root: string;
  /** This work tree's git directory (`.git`, or `.git/worktrees/NAME` for a linked worktree). */
  gitDir: string;
  /** Where refs, packed-refs and config live (the main repository's git directory). */
  commonDir: string;
}

export interface GitFacts extends GitRepoLocation {
  /** HEAD's commit; absent on a branch with no commits yet. */
  commitHash?: string;
  /** The checked-out branch; absent when HEAD is detached or has no commit. */
  branch?: string;
  /** Remote name -> URL, from the repository config. */
  remotes: Record<string, string>;
}

/** What the rollout's `session_meta.git` holds (Codex's field names). */
export interface SessionGitInfo {
  commit_hash?: string;
  branch?: string;
  repository_url?: string;
}

/** One entry of the turn metadata's `workspaces`, keyed by the work tree's root. */
export interface TurnWorkspace {
  associated_remote_urls?: Record<string, string>;
  latest_git_commit_hash?: string;
  has_changes?: boolean;
}

const HASH = /^[0-9a-f]{40}([0-9a-f]{24})?$/;
const MAX_SYMREF_DEPTH = 5;

/**
 * The repository containing `dir`, or null. A real repository is required: a `.git` directory with a
 * HEAD file, or a `.git` file whose `gitdir:` points at one (linked worktrees, submodules); an empty
 * `.git/` does not count.
 */
export function findGitRepo(dir: string): GitRepoLocation | null {
  for (let current = path.resolve(dir); ; ) {
    const dotGit = path.join(current, ".git");
    if (existsSync(dotGit)) {
      const gitDir = resolveGitDir(dotGit);
      if (gitDir !== null) return { root: current, gitDir, commonDir: commonDirOf(gitDir) };
    }
    const parent = path.dirname(current);
    if (parent === current) return null;
    current = parent;
  }
}

function resolveGitDir(dotGit: string): string | null {
  try {
    if (statSync(dotGit).isDirectory()) return isFile(path.join(dotGit, "HEAD")) ? dotGit : null;
    const m = /^gitdir:\s*(.+?)\s*$/m.exec(readFileSync(dotGit, "utf8"));
    if (!m?.[1]) return null;
    const target = path.resolve(path.dirname(dotGit), m[1]);
    return isFile(path.join(target, "HEAD")) ? target : null;
  } catch {
    return null;
  }
}

function commonDirOf(gitDir: string): string {
  try {
    const rel = readFileSync(path.join(gitDir, "commondir"), "utf8").trim();
    return rel ? path.resolve(gitDir, rel) : gitDir;
  } catch {
    return gitDir;
  }
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/** Commit, branch and remotes of the repository around `cwd`; null outside a repository. Never throws. */
export async function readGitFacts(cwd: string): Promise<GitFacts | null> {
  const repo = findGitRepo(cwd);
  if (repo === null) return null;
  const [head, config] = await Promise.all([readText(path.join(repo.gitDir, "HEAD")), readText(path.join(repo.commonDir, "config"))]);
  const facts: GitFacts = { ...repo, remotes: parseRemotes(config ?? "") };
  const { commitHash, branch } = await resolveHead(repo, (head ?? "").trim());
  if (commitHash !== undefined) {
    facts.commitHash = commitHash;
    if (branch !== undefined) facts.branch = branch;
  }
  return facts;
}

async function resolveHead(repo: GitRepoLocation, head: string): Promise<{ commitHash?: string; branch?: string }> {
  if (HASH.test(head)) return { commitHash: head };
  const m = /^ref:\s*(\S+)$/.exec(head);
  if (!m?.[1]) return {};
  const ref = m[1];
  const branch = ref.startsWith("refs/heads/") ? ref.slice("refs/heads/".length) : undefined;
  const commitHash = await resolveRef(repo, ref, 0);
  return { ...(commitHash !== undefined ? { commitHash } : {}), ...(branch !== undefined ? { branch } : {}) };
}

async function resolveRef(repo: GitRepoLocation, ref: string, depth: number): Promise<string | undefined> {
  if (depth > MAX_SYMREF_DEPTH || ref.includes("..")) return undefined;
  const loose = (await readText(path.join(repo.gitDir, ref))) ?? (await readText(path.join(repo.commonDir, ref)));
  const value = loose?.trim();
  if (value !== undefined) {
    if (HASH.test(value)) return value;
    const sym = /^ref:\s*(\S+)$/.exec(value);
    if (sym?.[1]) return resolveRef(repo, sym[1], depth + 1);
  }
  const packed = await readText(path.join(repo.commonDir, "packed-refs"));
  for (const line of (packed ?? "").split("\n")) {
    const [hash, name] = line.trim().split(" ");
    if (name === ref && hash !== undefined && HASH.test(hash)) return hash;
  }
  return undefined;
}

async function readText(file: string): Promise<string | null> {
  try {
    return await readFile(file, "utf8");
  } catch {
    return null;
  }
}

/** `[remote "NAME"] url = …` entries of a git config file (first url of each remote). */
export function parseRemotes(config: string): Record<string, string> {
  const remotes: Record<string, string> = {};
  let remote: string | null = null;
  for (const raw of config.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith(";")) continue;
    if (line.startsWith("[")) {
      const m = /^\[\s*remote\s+"((?:[^"\\]|\\.)*)"\s*\]/i.exec(line) ?? /^\[\s*remote\.([^\]\s]+)\s*\]/i.exec(line);
      remote = m?.[1] !== undefined ? m[1].replace(/\\(.)/g, "$1") : null;
      continue;
    }
    if (remote === null) continue;
    const kv = /^url\s*=\s*(.*)$/i.exec(line);
    if (kv?.[1] !== undefined && remotes[remote] === undefined) remotes[remote] = unquote(kv[1]);
  }
  return remotes;
}

function unquote(value: string): string {
  const v = value.replace(/\s+[#;].*$/, "").trim();
  return v.startsWith('"') && v.endsWith('"') && v.length >= 2 ? v.slice(1, -1).replace(/\\(.)/g, "$1") : v;
}

/**
 * Whether the work tree has uncommitted changes (untracked files included), from one `git status`;
 * undefined when git is missing, fails, or takes longer than `timeoutMs`. Takes no index lock.
 */
export function gitHasChanges(
  root: string,
  o: { timeoutMs: number; env: Record<string, string | undefined> },
): Promise<boolean | undefined> {
  return new Promise((resolve) => {
    execFile(
      "git",
      ["--no-optional-locks", "status", "--porcelain", "--untracked-files=normal"],
      { cwd: root, timeout: o.timeoutMs, maxBuffer: 1024 * 1024, env: gitEnv(o.env) },
      (err, stdout) => {
        // Output past the buffer means there are plenty of changes; any other failure means "unknown".
        const overflow = (err as NodeJS.ErrnoException | null)?.code === "ERR_CHILD_PROCESS_STDIO_MAXBUFFER";
        if (err && !overflow) resolve(undefined);
        else resolve(overflow || stdout.trim() !== "");
      },
    );
  });
}

/**
 * Only what git needs to find itself and its config: no API keys reach it, and GIT_DIR / GIT_WORK_TREE
 * cannot point it at another repository than the one the facts were read from.
 */
const GIT_ENV_NAMES = ["PATH", "HOME", "XDG_CONFIG_HOME", "LANG", "LC_ALL", "LC_CTYPE", "TMPDIR", "GIT_CONFIG_NOSYSTEM", "GIT_CONFIG_GLOBAL"];

export function gitEnv(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of GIT_ENV_NAMES) {
    const v = env[name];
    if (v !== undefined) out[name] = v;
  }
  return out;
}

export function sessionGitInfo(f: GitFacts): SessionGitInfo {
  const url = f.remotes["origin"];
  return {
    ...(f.commitHash !== undefined ? { commit_hash: f.commitHash } : {}),
    ...(f.branch !== undefined ? { branch: f.branch } : {}),
    ...(url !== undefined ? { repository_url: url } : {}),
  };
}

/** The turn metadata's `workspaces` (remote names sorted, as Codex writes them). */
export function turnWorkspaces(f: GitFacts, hasChanges: boolean | undefined): Record<string, TurnWorkspace> {
  const names = Object.keys(f.remotes).sort();
  const workspace: TurnWorkspace = {
    ...(names.length > 0 ? { associated_remote_urls: Object.fromEntries(names.map((n) => [n, f.remotes[n]!])) } : {}),
    ...(f.commitHash !== undefined ? { latest_git_commit_hash: f.commitHash } : {}),
    ...(hasChanges !== undefined ? { has_changes: hasChanges } : {}),
  };
  return { [f.root]: workspace };
}
