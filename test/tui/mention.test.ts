// The `@` mention: finding the token at the cursor, inserting the picked path, the popup's frame, and the
// search hook cancelling superseded queries.
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createElement, useState } from "react";
import { render } from "ink-testing-library";
import { Text } from "ink";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { createFileIndex, type FileIndex, type FileMatch } from "../../src/core/index.js";
import { insertMention, mentionAt } from "../../src/tui/mention/mention-token.js";
import { MentionPopup } from "../../src/tui/mention/mention-popup.js";
import { useFileSearch } from "../../src/tui/mention/use-file-search.js";

describe("mention token", () => {
  test("the @ token under the cursor, at the end or anywhere in the text", () => {
    expect(mentionAt("@", 1)).toEqual({ start: 0, end: 1, query: "" });
    expect(mentionAt("look at @src/ma", 15)).toEqual({ start: 8, end: 15, query: "src/ma" });
    expect(mentionAt("mail me@example.com", 19)).toBeNull();
    expect(mentionAt("no mention", 10)).toBeNull();
    // In the middle of the text: the whole token the cursor is in, at either of its ends too.
    expect(mentionAt("@done and more", 3)).toEqual({ start: 0, end: 5, query: "done" });
    expect(mentionAt("@done and more", 0)).toEqual({ start: 0, end: 5, query: "done" });
    expect(mentionAt("@done and more", 5)).toEqual({ start: 0, end: 5, query: "done" });
    expect(mentionAt("fix @ma and @te then", 7)).toEqual({ start: 4, end: 7, query: "ma" });
    expect(mentionAt("fix @ma and @te then", 14)).toEqual({ start: 12, end: 15, query: "te" });
    expect(mentionAt("line one\n@x", 11)).toEqual({ start: 9, end: 11, query: "x" });
    // Just past the token's space, or inside another word: no mention.
    expect(mentionAt("@done and more", 6)).toBeNull();
    expect(mentionAt("fix @ma and @te then", 10)).toBeNull();
  });

  test("picking replaces the token with the path and a space; paths with spaces are quoted", () => {
    expect(insertMention("see @ma please", { start: 4, end: 7, query: "ma" }, "src/main.ts")).toEqual({ text: "see src/main.ts please", cursor: 16 });
    expect(insertMention("@no", { start: 0, end: 3, query: "no" }, "docs/my notes.md")).toEqual({ text: `"docs/my notes.md" `, cursor: 19 });
    // A token in the middle: only it changes; the cursor lands after the inserted path's space.
    const text = "fix @ma and @te then";
    expect(insertMention(text, mentionAt(text, 6)!, "src/main.ts")).toEqual({ text: "fix src/main.ts and @te then", cursor: 16 });
  });
});

const match = (p: string, indices: number[]): FileMatch => ({ root: "/r", path: p, fileName: path.basename(p), matchType: "file", score: 10, indices });

describe("MentionPopup frames", () => {
  test("rows with the selection marked; empty and no-match states", () => {
    const matches = [match("src/main.ts", [4, 5]), match("test/main.test.ts", [5, 6])];
    const { lastFrame, rerender } = render(createElement(MentionPopup, { query: "ma", matches, selected: 1, searching: false, width: 80 }));
    expect(lastFrame()).toBe("  src/main.ts\n› test/main.test.ts");
    rerender(createElement(MentionPopup, { query: "", matches: [], selected: 0, searching: false, width: 80 }));
    expect(lastFrame()).toContain("type to search files");
    rerender(createElement(MentionPopup, { query: "zz", matches: [], selected: 0, searching: false, width: 80 }));
    expect(lastFrame()).toContain("no matches");
  });

  test("a long path keeps its file name, cut at the front", () => {
    const long = "packages/very/deep/folder/structure/file.ts";
    const { lastFrame } = render(createElement(MentionPopup, { query: "f", matches: [match(long, [38])], selected: 0, searching: false, width: 20 }));
    expect(lastFrame()).toBe("› …structure/file.ts");
  });
});

describe("useFileSearch", () => {
  let root: string;
  beforeEach(() => {
    root = realpathSync(mkdtempSync(path.join(os.tmpdir(), "mention-")));
    mkdirSync(path.join(root, "src"));
    writeFileSync(path.join(root, "src", "main.ts"), "");
    writeFileSync(path.join(root, "src", "util.ts"), "");
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  test("answers the newest query; earlier searches are aborted", async () => {
    const index: FileIndex = createFileIndex(root);
    const signals: AbortSignal[] = [];
    const spy: FileIndex = { ...index, search: (q, o) => (signals.push(o!.signal!), index.search(q, o)) };
    let setQuery: (q: string) => void = () => {};
    const Probe = () => {
      const [q, set] = useState("ma");
      setQuery = set;
      const s = useFileSearch(spy, q);
      return createElement(Text, null, `${q}:${s.matches.map((m) => m.path).join(",")}`);
    };
    const { lastFrame } = render(createElement(Probe));
    await vi.waitFor(() => expect(lastFrame()).toBe("ma:src/main.ts"));
    setQuery("ut");
    await vi.waitFor(() => expect(lastFrame()).toBe("ut:src/util.ts"));
    expect(signals[0]!.aborted).toBe(true);
    expect(signals.at(-1)!.aborted).toBe(false);
  });
});
