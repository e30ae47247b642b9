import { describe, expect, test } from "vitest";
import { fuzzyMatch } from "../../src/core/file-search/index.js";

const rank = (query: string, paths: string[]) =>
  paths
    .map((p) => ({ p, m: fuzzyMatch(query, p) }))
    .filter((x) => x.m !== null)
    .sort((a, b) => b.m!.score - a.m!.score || a.p.length - b.p.length)
    .map((x) => x.p);

describe("fuzzyMatch", () => {
  test("every query character in order, else no match", () => {
    expect(fuzzyMatch("abc", "a/b/c.ts")).not.toBeNull();
    expect(fuzzyMatch("acb", "a/b/c.ts")).toBeNull();
    expect(fuzzyMatch("", "anything")).toBeNull();
    expect(fuzzyMatch("x", "")).toBeNull();
  });

  test("indices point at the matched characters of the best alignment", () => {
    const m = fuzzyMatch("main", "src/cli/main.ts")!;
    expect(m.indices).toEqual([8, 9, 10, 11]);
    expect(m.indices.map((i) => "src/cli/main.ts"[i]).join("")).toBe("main");
    // The later, contiguous, file-name alignment beats the scattered early one.
    const n = fuzzyMatch("ts", "tests/index.ts")!;
    expect(n.indices).toEqual([12, 13]);
  });

  test("smart case: lower-case query ignores case, an upper-case letter makes it exact", () => {
    expect(fuzzyMatch("readme", "README.md")).not.toBeNull();
    expect(fuzzyMatch("README", "readme.md")).toBeNull();
    expect(fuzzyMatch("Read", "src/ReadFile.ts")!.indices).toEqual([4, 5, 6, 7]);
  });

  test("ranking: boundaries, consecutive runs and the file name win", () => {
    expect(rank("fs", ["src/fastest.ts", "src/file-search.ts", "fooxs"])[0]).toBe("src/file-search.ts");
    expect(rank("index", ["src/in/dex/foo.ts", "src/core/index.ts"])[0]).toBe("src/core/index.ts");
    expect(rank("runtime", ["src/runtime-helpers/x.ts", "src/core/runtime.ts"])[0]).toBe("src/core/runtime.ts");
    expect(rank("fm", ["src/format.ts", "src/fuzzyMatch.ts"])[0]).toBe("src/fuzzyMatch.ts");
  });

  test("whitespace separates terms that must all match", () => {
    const m = fuzzyMatch("core index", "src/core/index.ts")!;
    expect(m).not.toBeNull();
    expect(m.indices.map((i) => "src/core/index.ts"[i]).join("")).toBe("coreindex");
    expect(fuzzyMatch("core zzz", "src/core/index.ts")).toBeNull();
  });

  test("scores are positive integers (the app-server sends them as u32)", () => {
    for (const p of ["a", "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzza"]) {
      const m = fuzzyMatch("a", p)!;
      expect(Number.isInteger(m.score) && m.score > 0).toBe(true);
    }
  });
});
