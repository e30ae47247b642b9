// Git facts read from .git files: repository detection, HEAD/ref resolution, remotes from config.
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { findGitRepo, gitHasChanges, parseRemotes, readGitFacts, sessionGitInfo, turnWorkspaces } from "../../src/core/context/git-info.js";

const A = "a".repeat(40);
const B = "b".repeat(40);
let root: string;
beforeEach(() => {
  root = realpathSync(mkdtempSync(path.join(os.tmpdir(), "git-info-")));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function file(rel: string, text: string): string {
  const p = path.join(root, rel);
  mkdirSync(path.dirname(p), { recursive: true });
  writeFileSync(p, text);
  return p;
}

describe("findGitRepo", () => {
  test("an empty .git directory, or a .git file pointing nowhere, is not a repository", () => {
    mkdirSync(path.join(root, "empty", ".git"), { recursive: true });
    expect(findGitRepo(path.join(root, "empty"))).toBeNull();
    file("dangling/.git", "gitdir: ../nowhere\n");
    expect(findGitRepo(path.join(root, "dangling"))).toBeNull();
  });

  test("a .git directory with HEAD is found from a subdirectory; a gitdir file resolves with its commondir", () => {
    file("r/.git/HEAD", "ref: refs/heads/main\n");
    mkdirSync(path.join(root, "r", "a", "b"), { recursive: true });
    expect(findGitRepo(path.join(root, "r", "a", "b"))).toEqual({
      root: path.join(root, "r"),
      gitDir: path.join(root, "r", ".git"),
      commonDir: path.join(root, "r", ".git"),
    });
    file("r/.git/worktrees/w/HEAD", `${B}\n`);
    file("r/.git/worktrees/w/commondir", "../..\n");
    file("w/.git", `gitdir: ${path.join(root, "r", ".git", "worktrees", "w")}\n`);
    expect(findGitRepo(path.join(root, "w"))).toEqual({
      root: path.join(root, "w"),
      gitDir: path.join(root, "r", ".git", "worktrees", "w"),
      commonDir: path.join(root, "r", ".git"),
    });
  });
});

describe("readGitFacts", () => {
  test("branch from HEAD, commit from a loose ref, else packed-refs; detached HEAD has no branch", async () => {
    file("r/.git/HEAD", "ref: refs/heads/main\n");
    file("r/.git/refs/heads/main", `${A}\n`);
    expect(await readGitFacts(path.join(root, "r"))).toMatchObject({ commitHash: A, branch: "main", remotes: {} });
    file("r/.git/HEAD", "ref: refs/heads/dev/x\n");
    file("r/.git/packed-refs", `# pack-refs with: peeled\n${B} refs/heads/dev/x\n^${A}\n`);
    expect(await readGitFacts(path.join(root, "r"))).toMatchObject({ commitHash: B, branch: "dev/x" });
    file("r/.git/HEAD", `${A}\n`);
    const detached = await readGitFacts(path.join(root, "r"));
    expect(detached?.commitHash).toBe(A);
    expect(detached?.branch).toBeUndefined();
  });

  test("an unborn branch has neither commit nor branch; outside a repository there are no facts", async () => {
    file("r/.git/HEAD", "ref: refs/heads/main\n");
    const f = await readGitFacts(path.join(root, "r"));
    expect(f && sessionGitInfo(f)).toEqual({});
    expect(await readGitFacts(root)).toBeNull();
  });

  test("session and turn shapes use Codex's names; remotes sorted, has_changes only when known", async () => {
    file("r/.git/HEAD", "ref: refs/heads/main\n");
    file("r/.git/refs/heads/main", `${A}\n`);
    file("r/.git/config", '[remote "upstream"]\n\turl = git@h:u/r.git\n[remote "origin"]\n\turl = https://h/o/r.git\n');
    const f = (await readGitFacts(path.join(root, "r")))!;
    expect(sessionGitInfo(f)).toEqual({ commit_hash: A, branch: "main", repository_url: "https://h/o/r.git" });
    expect(JSON.stringify(turnWorkspaces(f, undefined))).toBe(
      JSON.stringify({
        [path.join(root, "r")]: {
          associated_remote_urls: { origin: "https://h/o/r.git", upstream: "git@h:u/r.git" },
          latest_git_commit_hash: A,
        },
      }),
    );
    expect(turnWorkspaces(f, true)[path.join(root, "r")]!.has_changes).toBe(true);
  });
});

test("parseRemotes reads quoted section names, quoted values, comments and the old [remote.x] form", () => {
  const config = [
    "[core]",
    "\turl = not-a-remote",
    '[remote "my \\"fork\\""]',
    '\tURL = "https://h/f.git" ; comment',
    "\turl = https://h/second.git",
    "[remote.legacy]",
    "url = ssh://h/l.git",
    "# [remote \"commented\"]",
  ].join("\n");
  expect(parseRemotes(config)).toEqual({ 'my "fork"': "https://h/f.git", legacy: "ssh://h/l.git" });
});

describe("gitHasChanges", () => {
  /** A `git` on PATH that records its environment, then behaves as `script` says. */
  function fakeGit(script: string): string {
    const bin = path.join(root, "bin");
    file("bin/git", `#!/bin/sh\n/usr/bin/env > "${path.join(root, "git-env")}"\n${script}\n`);
    chmodSync(path.join(bin, "git"), 0o755);
    return bin;
  }

  test("git gets no API keys and no GIT_DIR; output means changes", async () => {
    const bin = fakeGit('echo " M file"');
    const changed = await gitHasChanges(root, {
      timeoutMs: 5_000,
      env: { PATH: bin, HOME: root, OPENAI_API_KEY: "sk-secret-1", CODEX_API_KEY: "sk-secret-2", GIT_DIR: "/elsewhere" },
    });
    expect(changed).toBe(true);
    const seen = readFileSync(path.join(root, "git-env"), "utf8");
    expect(seen).toContain(`HOME=${root}`);
    expect(seen).not.toMatch(/sk-secret|GIT_DIR/);
  });

  test("a git that takes too long, or fails, leaves has_changes unknown", async () => {
    const slow = fakeGit("/bin/sleep 1; echo ' M file'");
    expect(await gitHasChanges(root, { timeoutMs: 5_000, env: { PATH: slow } })).toBe(true);
    const started = Date.now();
    expect(await gitHasChanges(root, { timeoutMs: 100, env: { PATH: slow } })).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(800);
    const failing = fakeGit("exit 128");
    expect(await gitHasChanges(root, { timeoutMs: 5_000, env: { PATH: failing } })).toBeUndefined();
    const clean = fakeGit("true");
    expect(await gitHasChanges(root, { timeoutMs: 5_000, env: { PATH: clean } })).toBe(false);
  });
});
