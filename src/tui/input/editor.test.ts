import { describe, expect, test } from "vitest";
import * as ed from "./editor.js";

const typed = (text: string, s = ed.emptyEditor()) => ed.insertText(s, text);

describe("composer buffer", () => {
  test("insert, move and delete by code point", () => {
    let s = typed("héllo 👋");
    s = ed.backspace(s);
    expect(s.text).toBe("héllo ");
    s = ed.moveLineStart(s);
    s = ed.moveRight(ed.moveRight(s));
    s = ed.insertText(s, "X");
    expect(s).toMatchObject({ text: "héXllo ", cursor: 3 });
    expect(ed.deleteForward(s).text).toBe("héXlo ");
    expect(ed.deleteWordBack(ed.moveLineEnd(typed("one two three"))).text).toBe("one two ");
    expect(ed.deleteToLineStart(typed("a\nbcd")).text).toBe("a\n");
  });

  test("multi-line: Up/Down move between lines before touching the history", () => {
    let s = ed.emptyEditor(["older", "newest"]);
    s = typed("line one\nline two", s);
    s = ed.moveUp(s);
    expect(s).toMatchObject({ cursor: 8, historyIndex: null });
    s = ed.moveUp(s);
    expect(s).toMatchObject({ text: "newest", historyIndex: 1 });
    s = ed.moveUp(s);
    expect(s).toMatchObject({ text: "older", historyIndex: 0 });
    expect(ed.moveUp(s)).toBe(s);
    s = ed.moveDown(ed.moveDown(s));
    expect(s).toMatchObject({ text: "line one\nline two", historyIndex: null });
  });

  test("large pastes collapse to a placeholder that expands on submit and goes away whole", () => {
    const big = Array.from({ length: 5000 }, (_, i) => `row ${i}`).join("\n");
    let s = ed.pasteText(typed("see: "), big);
    expect(s.text).toBe("see: [Pasted 5000 lines]");
    s = ed.pasteText(s, big);
    expect(s.text).toBe("see: [Pasted 5000 lines][Pasted 5000 lines #2]");
    expect(ed.expandedText(s)).toBe(`see: ${big}${big}`);
    s = ed.backspace(s);
    expect(s).toMatchObject({ text: "see: [Pasted 5000 lines]", pastes: [expect.objectContaining({ placeholder: "[Pasted 5000 lines]" })] });
    // A small paste is just text.
    expect(ed.pasteText(ed.emptyEditor(), "a\nb").text).toBe("a\nb");
  });

  test("submitting remembers the typed text once", () => {
    let s = ed.submitted(typed("do it"));
    s = ed.submitted(typed("do it", s));
    expect(s).toMatchObject({ text: "", history: ["do it"] });
  });
});

describe("older history (history.jsonl)", () => {
  test("wanted on the first line with nothing loaded, or at the oldest loaded entry", () => {
    expect(ed.wantsOlderHistory(ed.emptyEditor())).toBe(true);
    expect(ed.wantsOlderHistory(typed("a\nb"))).toBe(false);
    const s = ed.emptyEditor(["one", "two"]);
    expect(ed.wantsOlderHistory(s)).toBe(false);
    expect(ed.wantsOlderHistory(ed.moveUp(s))).toBe(false);
    expect(ed.wantsOlderHistory(ed.moveUp(ed.moveUp(s)))).toBe(true);
  });

  test("prepended before this session's entries, adjacent repeats once, browsing stays on its entry", () => {
    let s = ed.moveUp(ed.moveUp(ed.emptyEditor(["mine 1", "mine 2"])));
    expect(s).toMatchObject({ text: "mine 1", historyIndex: 0 });
    s = ed.withOlderHistory(s, ["mine 1", "file 3", "file 3", "", "file 2", "file 1"]);
    expect(s.history).toEqual(["file 1", "file 2", "file 3", "mine 1", "mine 2"]);
    expect(s).toMatchObject({ text: "mine 1", historyIndex: 3 });
    s = ed.moveUp(s);
    expect(s.text).toBe("file 3");
    s = ed.moveUp(ed.moveUp(s));
    expect(s.text).toBe("file 1");
    expect(ed.withOlderHistory(s, ["file 1"])).toBe(s);
  });

  test("Down walks back to the draft put aside", () => {
    let s = ed.withOlderHistory(typed("my draft"), ["old"]);
    s = ed.moveUp(ed.moveLineStart(s));
    expect(s.text).toBe("old");
    s = ed.moveDown(s);
    expect(s).toMatchObject({ text: "my draft", historyIndex: null });
  });
});
