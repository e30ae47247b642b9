// Listing (git and walk), ranking, limits, directories, cancellation and budgets of the core file search.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { createFileIndex, listFiles, searchFiles } from "../../src/core/index.js";

let root: string;
beforeEach(() => {
  root = realpathSync(mkdtempSync(path.join(os.tmpdir(), "file-search-")));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function file(rel: string, text = "x"): void {
  const p = path.join(root, rel);
  mkdirSync(path.dirname(p), { recursive: true });
  writeFileSync(p, text);
}
const git = (...args: string[]) =>
  execFileSync("git", ["-c", "user.email=t@t", "-c", "user.name=t", ...args], { cwd: root, stdio: "pipe" });

describe("listFiles", () => {
  test("in a git repository: tracked and untracked, not ignored, not deleted", async () => {
    git("init", "-q");
    file(".gitignore", "dist/\n*.log\n");
    file("src/a.ts");
    file("src/gone.ts");
    file("README.md");
    git("add", ".");
    git("commit", "-qm", "init");
    file("src/new-untracked.ts");
    file("dist/bundle.js");
    file("debug.log");
    unlinkSync(path.join(root, "src/gone.ts"));
    const listed = await listFiles(root);
    expect(listed.source).toBe("git");
    expect(listed.truncated).toBe(false);
    expect([...listed.files].sort()).toEqual([".gitignore", "README.md", "src/a.ts", "src/new-untracked.ts"]);
  });

  test("from a subdirectory of a repository, paths are relative to that directory", async () => {
    git("init", "-q");
    file("pkg/lib/x.ts");
    file("other/y.ts");
    const listed = await listFiles(path.join(root, "pkg"));
    expect(listed.files).toEqual(["lib/x.ts"]);
  });

  test("outside git: a walk that skips hidden entries, node_modules, .gitignore'd paths and dir symlinks", async () => {
    file(".hidden/secret.ts");
    file(".env");
    file("node_modules/dep/index.js");
    file(".gitignore", "build/\n*.tmp\n");
    file("build/out.js");
    file("src/keep.ts");
    file("src/scratch.tmp");
    file("src/nested/.gitignore", "local.ts\n!important.tmp\n");
    file("src/nested/local.ts");
    file("src/nested/important.tmp");
    file("src/nested/shown.ts");
    symlinkSync(path.join(root, "src"), path.join(root, "loop"));
    const listed = await listFiles(root);
    expect(listed.source).toBe("walk");
    expect([...listed.files].sort()).toEqual(["src/keep.ts", "src/nested/important.tmp", "src/nested/shown.ts"]);
  });

  test("a count limit stops the listing and says so", async () => {
    for (let i = 0; i < 30; i++) file(`d/f${i}.ts`);
    const listed = await listFiles(root, { maxFiles: 10 });
    expect(listed.files).toHaveLength(10);
    expect(listed.truncated).toBe(true);
  });

  test("a spent time budget stops the walk and says so", async () => {
    for (let i = 0; i < 5; i++) file(`d${i}/x.ts`);
    const listed = await listFiles(root, { timeBudgetMs: -1 });
    expect(listed.truncated).toBe(true);
    expect(listed.files).toEqual([]);
  });
});

describe("FileIndex.search", () => {
  test("best first, limited, with the match count, file name and highlight indices", async () => {
    file("src/core/index.ts");
    file("src/cli/main.ts");
    file("src/core/config/index-helpers.ts");
    file("test/index.test.ts");
    file("docs/indexing.md");
    const index = createFileIndex(root);
    const r = await index.search("index", { limit: 2 });
    expect(r.matchedCount).toBe(4);
    expect(r.truncated).toBe(false);
    expect(r.matches).toHaveLength(2);
    expect(r.matches[0]).toEqual({
      root,
      path: "src/core/index.ts",
      fileName: "index.ts",
      matchType: "file",
      score: expect.any(Number),
      indices: [9, 10, 11, 12, 13],
    });
    expect(r.matches[0]!.score).toBeGreaterThanOrEqual(r.matches[1]!.score);
    expect((await index.search("")).matches).toEqual([]);
    expect((await index.search("qqq")).matches).toEqual([]);
  });

  test("the listing is kept between queries until refresh()", async () => {
    file("a.ts");
    const index = createFileIndex(root);
    expect((await index.search("b.ts")).matches).toEqual([]);
    file("b.ts");
    expect((await index.search("b.ts")).matches).toEqual([]);
    index.refresh();
    expect((await index.search("b.ts")).matches.map((m) => m.path)).toEqual(["b.ts"]);
  });

  test("directories holding files can match too", async () => {
    file("packages/web/src/app.tsx");
    const r = await createFileIndex(root).search("web", { includeDirectories: true });
    expect(r.matches.map((m) => [m.path, m.matchType])).toEqual([
      ["packages/web", "directory"],
      ["packages/web/src", "directory"],
      ["packages/web/src/app.tsx", "file"],
    ]);
  });

  test("an aborted search rejects; a spent scoring budget answers early, flagged truncated", async () => {
    for (let i = 0; i < 5_000; i++) file(`many/file-${i}.ts`);
    const index = createFileIndex(root);
    await index.listing();
    const controller = new AbortController();
    controller.abort(new Error("typed on"));
    await expect(index.search("file", { signal: controller.signal })).rejects.toThrow("typed on");
    const racing = new AbortController();
    const pending = index.search("file", { signal: racing.signal });
    racing.abort(new Error("superseded"));
    await expect(pending).rejects.toThrow("superseded");
    const early = await index.search("file", { timeBudgetMs: -1 });
    expect(early.truncated).toBe(true);
    expect(early.matchedCount).toBeLessThan(5_000);
    const full = await index.search("file");
    expect(full.matchedCount).toBe(5_000);
  });

  test("searchFiles ranks matches of several roots together", async () => {
    file("one/alpha.ts");
    file("two/alphabet.ts");
    file("two/beta.ts");
    const r = await searchFiles({ query: "alpha", roots: [path.join(root, "one"), path.join(root, "two")] });
    expect(r.matches.map((m) => [path.basename(m.root), m.path])).toEqual([
      ["one", "alpha.ts"],
      ["two", "alphabet.ts"],
    ]);
  });
});
