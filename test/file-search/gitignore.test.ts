import { describe, expect, test } from "vitest";
import { gitignoreVerdict, parseGitignore } from "../../src/core/file-search/gitignore.js";

const ignored = (text: string, rel: string, isDir = false) => gitignoreVerdict(parseGitignore(text), rel, { isDir });

describe("gitignore subset", () => {
  test("unanchored names match at any depth; anchored ones only from the file's directory", () => {
    expect(ignored("*.log", "a/b/x.log")).toBe(true);
    expect(ignored("/build", "build", true)).toBe(true);
    expect(ignored("/build", "src/build", true)).toBe(null);
    expect(ignored("docs/*.md", "docs/a.md")).toBe(true);
    expect(ignored("docs/*.md", "x/docs/a.md")).toBe(null);
  });

  test("trailing slash means directories only; ! re-includes; comments and blanks ignored", () => {
    expect(ignored("out/", "out", false)).toBe(null);
    expect(ignored("out/", "out", true)).toBe(true);
    expect(ignored("*.txt\n!keep.txt", "keep.txt")).toBe(false);
    expect(ignored("# *.txt\n\n", "a.txt")).toBe(null);
  });

  test("** spans directories; ? and classes match one character", () => {
    expect(ignored("**/gen/*.ts", "a/b/gen/x.ts")).toBe(true);
    expect(ignored("**/gen/*.ts", "gen/x.ts")).toBe(true);
    expect(ignored("a/**", "a/b/c")).toBe(true);
    expect(ignored("a/**/z", "a/z")).toBe(true);
    expect(ignored("a/**/z", "a/b/c/z")).toBe(true);
    expect(ignored("file?.[ch]", "file1.c")).toBe(true);
    expect(ignored("file?.[ch]", "file12.c")).toBe(null);
    expect(ignored("x[!0-9]", "x5")).toBe(null);
    expect(ignored("x[!0-9]", "xa")).toBe(true);
  });
});
