// Git facts: session_meta.git and the turn metadata's workspaces; the repository check needs a real repo.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { runCodex, type TestEnv, useFakeServerEnv } from "../support/codex-env.js";
import { sse, type FakeServer } from "../support/fake-responses-server.js";
import { completed, created, textMessage } from "../support/sse.js";

let server: FakeServer;
let t: TestEnv;

useFakeServerEnv((s, e) => ((server = s), (t = e)));

const git = (cwd: string, ...args: string[]) => {
  const r = spawnSync("git", ["-c", "user.email=t@example.com", "-c", "user.name=t", ...args], { cwd, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`git ${args.join(" ")}: ${r.stderr}`);
  return r.stdout.trim();
};

function rollouts(codexHome: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = path.join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (n.endsWith(".jsonl")) out.push(p);
    }
  };
  walk(path.join(codexHome, "sessions"));
  return out;
}

const sessionMeta = (file: string) => JSON.parse(readFileSync(file, "utf8").split("\n")[0]!).payload;
const turnMetadata = (i: number) => JSON.parse(server.requests[i]!.headers["x-codex-turn-metadata"]!);

/** A repo on branch `main` with one commit and two remotes. */
function seedRepo(): string {
  git(t.repo, "checkout", "-q", "-b", "main");
  writeFileSync(path.join(t.repo, "README.md"), "hello\n");
  git(t.repo, "add", "README.md");
  git(t.repo, "commit", "-q", "-m", "first");
  git(t.repo, "remote", "add", "origin", "https://example.com/acme/widgets.git");
  git(t.repo, "remote", "add", "backup", "git@example.com:acme/widgets.git");
  return git(t.repo, "rev-parse", "HEAD");
}

describe("git facts", () => {
  test("session_meta.git holds commit, branch and origin URL; the turn metadata names the workspace", async () => {
    const head = seedRepo();
    server.enqueue(sse(created(), textMessage("ok"), completed()));
    const r = await runCodex(["exec", "--json", "hi"], { env: t.env, cwd: t.repo });
    expect(r.code, r.stderr).toBe(0);
    const [file] = rollouts(t.codexHome);
    expect(sessionMeta(file!).git).toEqual({
      commit_hash: head,
      branch: "main",
      repository_url: "https://example.com/acme/widgets.git",
    });
    const meta = turnMetadata(0);
    expect(meta.workspaces).toEqual({
      [t.repo]: {
        associated_remote_urls: { backup: "git@example.com:acme/widgets.git", origin: "https://example.com/acme/widgets.git" },
        latest_git_commit_hash: head,
        has_changes: false,
      },
    });
    // Codex's key order: workspaces sits before turn_started_at_unix_ms; the body mirrors the header.
    const keys = Object.keys(meta);
    expect(keys.indexOf("workspaces")).toBe(keys.indexOf("turn_started_at_unix_ms") - 1);
    expect(server.requests[0]!.body.client_metadata["x-codex-turn-metadata"]).toBe(
      server.requests[0]!.headers["x-codex-turn-metadata"],
    );
  });

  test("uncommitted changes show as has_changes; a subdirectory reports the repository root", async () => {
    seedRepo();
    writeFileSync(path.join(t.repo, "README.md"), "changed\n");
    mkdirSync(path.join(t.repo, "src"));
    server.enqueue(sse(created(), textMessage("ok"), completed()));
    const r = await runCodex(["exec", "--json", "hi"], { env: t.env, cwd: path.join(t.repo, "src") });
    expect(r.code, r.stderr).toBe(0);
    expect(Object.keys(turnMetadata(0).workspaces)).toEqual([t.repo]);
    expect(turnMetadata(0).workspaces[t.repo].has_changes).toBe(true);
  });

  test("a linked worktree (a .git file) passes the check and reports its own branch", async () => {
    const head = seedRepo();
    const wt = path.join(path.dirname(t.repo), "wt");
    git(t.repo, "worktree", "add", "-q", "-b", "feature/x", wt);
    git(t.repo, "pack-refs", "--all");
    server.enqueue(sse(created(), textMessage("ok"), completed()));
    const r = await runCodex(["exec", "--json", "hi"], { env: t.env, cwd: wt });
    expect(r.code, r.stderr).toBe(0);
    expect(sessionMeta(rollouts(t.codexHome)[0]!).git).toEqual({
      commit_hash: head,
      branch: "feature/x",
      repository_url: "https://example.com/acme/widgets.git",
    });
    expect(Object.keys(turnMetadata(0).workspaces)).toEqual([wt]);
  });
});

describe("repository check", () => {
  test("an empty .git directory is not a repository: refused without --skip-git-repo-check", async () => {
    const dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), "codex-nogit-")));
    try {
      mkdirSync(path.join(dir, ".git"));
      const refused = await runCodex(["exec", "--json", "hi"], { env: t.env, cwd: dir });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain("Not inside a trusted directory and --skip-git-repo-check was not specified.");
      expect(server.requests).toHaveLength(0);

      server.enqueue(sse(created(), textMessage("ok"), completed()));
      const allowed = await runCodex(["exec", "--json", "--skip-git-repo-check", "hi"], { env: t.env, cwd: dir });
      expect(allowed.code, allowed.stderr).toBe(0);
      // Outside a repository there are no git facts at all.
      expect(sessionMeta(rollouts(t.codexHome)[0]!).git).toBeUndefined();
      expect(turnMetadata(0).workspaces).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
