import { execFileSync } from "node:child_process";
import { mkdtempSync, realpathSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, expect, test } from "vitest";
import { workingTreeDiff } from "../../src/core/index.js";

let root: string;
beforeEach(() => {
  root = realpathSync(mkdtempSync(path.join(os.tmpdir(), "wt-diff-")));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));
const git = (...args: string[]) => execFileSync("git", ["-c", "user.email=t@t", "-c", "user.name=t", ...args], { cwd: root, stdio: "pipe" });

test("outside a repository it says so", async () => {
  expect(await workingTreeDiff({ cwd: root })).toEqual({ type: "not_a_repository" });
});

test("staged and unstaged changes against HEAD, then untracked files as added; ignored files left out", async () => {
  git("init", "-q");
  writeFileSync(path.join(root, "a.txt"), "one\n");
  writeFileSync(path.join(root, ".gitignore"), "*.log\n");
  git("add", ".");
  git("commit", "-qm", "init");
  writeFileSync(path.join(root, "a.txt"), "one\ntwo\n");
  mkdirSync(path.join(root, "sub"));
  writeFileSync(path.join(root, "sub", "new file.txt"), "fresh\n");
  writeFileSync(path.join(root, "debug.log"), "noise\n");
  const r = await workingTreeDiff({ cwd: path.join(root, "sub") });
  if (r.type !== "diff") throw new Error(JSON.stringify(r));
  expect(r.untrackedFiles).toBe(1);
  expect(r.truncated).toBe(false);
  expect(r.diff).toContain("diff --git a/a.txt b/a.txt");
  expect(r.diff).toContain("+two");
  expect(r.diff).toContain("+++ b/sub/new file.txt");
  expect(r.diff).toContain("+fresh");
  expect(r.diff).not.toContain("noise");
  expect(r.diff).not.toContain("\u001b[");
});

test("a repository without commits: staged files show as added", async () => {
  git("init", "-q");
  writeFileSync(path.join(root, "first.txt"), "hello\n");
  git("add", "first.txt");
  const r = await workingTreeDiff({ cwd: root });
  expect(r).toMatchObject({ type: "diff", untrackedFiles: 0 });
  expect(r.type === "diff" && r.diff).toContain("+hello");
});
