import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, expect, test } from "vitest";
import { agentsMdMessageText, loadProjectDocs, PROJECT_DOC_SEPARATOR } from "../../src/core/context/project-docs.js";

let tmp: string;
let home: string;
let repo: string;
beforeEach(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), "agents-md-"));
  home = path.join(tmp, "home");
  repo = path.join(tmp, "repo");
  await mkdir(home, { recursive: true });
  await mkdir(path.join(repo, ".git"), { recursive: true });
  await mkdir(path.join(repo, "pkg", "sub"), { recursive: true });
});
afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});
const put = (p: string, text: string) => writeFile(p, text);

test("global first, then root → cwd; override wins per directory; fallback names last", async () => {
  await put(path.join(tmp, "AGENTS.md"), "ABOVE ROOT"); // outside the git root: ignored
  await put(path.join(home, "AGENTS.md"), "GLOBAL");
  await put(path.join(repo, "AGENTS.md"), "ROOT");
  await put(path.join(repo, "pkg", "AGENTS.md"), "PKG");
  await put(path.join(repo, "pkg", "AGENTS.override.md"), "PKG OVERRIDE");
  await put(path.join(repo, "pkg", "sub", "CLAUDE.md"), "SUB FALLBACK");
  const docs = await loadProjectDocs({
    codexHome: home,
    cwd: path.join(repo, "pkg", "sub"),
    maxBytes: 32 * 1024,
    fallbackFilenames: ["CLAUDE.md"],
  });
  expect(docs.text).toBe(`GLOBAL${PROJECT_DOC_SEPARATOR}ROOT\n\nPKG OVERRIDE\n\nSUB FALLBACK`);
  expect(docs.paths).toEqual([
    path.join(home, "AGENTS.md"),
    path.join(repo, "AGENTS.md"),
    path.join(repo, "pkg", "AGENTS.override.md"),
    path.join(repo, "pkg", "sub", "CLAUDE.md"),
  ]);
});

test("global AGENTS.override.md replaces global AGENTS.md; fallback names are not used without being configured", async () => {
  await put(path.join(home, "AGENTS.md"), "GLOBAL");
  await put(path.join(home, "AGENTS.override.md"), "GLOBAL OVERRIDE");
  await put(path.join(repo, "CLAUDE.md"), "nope");
  const docs = await loadProjectDocs({ codexHome: home, cwd: repo, maxBytes: 1000 });
  expect(docs).toEqual({ text: "GLOBAL OVERRIDE", paths: [path.join(home, "AGENTS.override.md")] });
});

test("project docs share the byte budget: the crossing file is truncated, later ones dropped", async () => {
  await put(path.join(home, "AGENTS.md"), "G".repeat(50)); // global is not counted
  await put(path.join(repo, "AGENTS.md"), "r".repeat(6));
  await put(path.join(repo, "pkg", "AGENTS.md"), "é".repeat(5)); // 2 bytes each
  await put(path.join(repo, "pkg", "sub", "AGENTS.md"), "never");
  const docs = await loadProjectDocs({ codexHome: home, cwd: path.join(repo, "pkg", "sub"), maxBytes: 11 });
  // 6 bytes + 5 left: two whole "é" (4 bytes), never half a character.
  expect(docs.text).toBe(`${"G".repeat(50)}${PROJECT_DOC_SEPARATOR}rrrrrr\n\néé`);
  expect(docs.paths).toHaveLength(3);

  const none = await loadProjectDocs({ codexHome: home, cwd: repo, maxBytes: 0 });
  expect(none).toEqual({ text: "G".repeat(50), paths: [path.join(home, "AGENTS.md")] });
});

test("without a git root only cwd is searched; blank files are skipped; nothing found gives empty text", async () => {
  const plain = path.join(tmp, "plain", "a");
  await mkdir(plain, { recursive: true });
  await put(path.join(tmp, "plain", "AGENTS.md"), "PARENT");
  await put(path.join(plain, "AGENTS.md"), "   \n");
  expect(await loadProjectDocs({ codexHome: home, cwd: plain, maxBytes: 100 })).toEqual({ text: "", paths: [] });
  await put(path.join(plain, "AGENTS.md"), "HERE");
  expect((await loadProjectDocs({ codexHome: home, cwd: plain, maxBytes: 100 })).text).toBe("HERE");
});

test("a .git file (worktree) marks the root too", async () => {
  const wt = path.join(tmp, "wt");
  await mkdir(path.join(wt, "x"), { recursive: true });
  await put(path.join(wt, ".git"), "gitdir: elsewhere");
  await put(path.join(wt, "AGENTS.md"), "WT");
  expect((await loadProjectDocs({ codexHome: home, cwd: path.join(wt, "x"), maxBytes: 100 })).text).toBe("WT");
});

test("AGENTS.md message framing", () => {
  expect(agentsMdMessageText({ directory: "/repo", text: "be brief" })).toBe(
    "# AGENTS.md instructions for /repo\n\n<INSTRUCTIONS>\nbe brief\n</INSTRUCTIONS>",
  );
});
