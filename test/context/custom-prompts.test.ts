import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { expandCustomPrompt, listCustomPrompts } from "../../src/core/index.js";

let codexHome: string;
beforeEach(() => {
  codexHome = mkdtempSync(path.join(os.tmpdir(), "prompts-"));
});
afterEach(() => rmSync(codexHome, { recursive: true, force: true }));

describe("custom prompts", () => {
  test("*.md files of $CODEX_HOME/prompts, by name, with front matter description and argument hint", async () => {
    expect(await listCustomPrompts({ codexHome })).toEqual([]);
    const dir = path.join(codexHome, "prompts");
    mkdirSync(path.join(dir, "nested"), { recursive: true });
    writeFileSync(path.join(dir, "review.md"), "---\ndescription: Review a file\nargument-hint: \"FILE\"\n---\nReview $1 please.\n");
    writeFileSync(path.join(dir, "plain.md"), "Just $ARGUMENTS");
    writeFileSync(path.join(dir, "notes.txt"), "not a prompt");
    writeFileSync(path.join(dir, "nested", "deep.md"), "not listed");
    const prompts = await listCustomPrompts({ codexHome });
    expect(prompts).toEqual([
      { name: "plain", path: path.join(dir, "plain.md"), body: "Just $ARGUMENTS" },
      { name: "review", path: path.join(dir, "review.md"), body: "Review $1 please.\n", description: "Review a file", argumentHint: "FILE" },
    ]);
  });

  test("placeholders: $ARGUMENTS, positional, NAME=value, $$; unknown names stay", () => {
    const body = "All: $ARGUMENTS | first: $1 | second: $2 | third: $3 | file: $FILE | cost: $$5 | keep: $OTHER";
    expect(expandCustomPrompt({ body }, ` src/a.ts "two words" FILE=x.md `)).toBe(
      `All: src/a.ts "two words" FILE=x.md | first: src/a.ts | second: two words | third:  | file: x.md | cost: $5 | keep: $OTHER`,
    );
    expect(expandCustomPrompt({ body: "Do $ARGUMENTS." }, "")).toBe("Do .");
  });
});
