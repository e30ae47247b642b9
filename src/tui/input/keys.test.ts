import { describe, expect, test } from "vitest";
import { createKeyDecoder } from "./keys.js";

describe("key decoder", () => {
  test("typed text, Enter after text in one read, control keys", () => {
    const d = createKeyDecoder();
    expect(d.push("hello\r")).toEqual([{ type: "text", text: "hello" }, { type: "key", name: "enter" }]);
    expect(d.push("\x03")).toEqual([{ type: "ctrl", letter: "c" }]);
    expect(d.push("\x04")).toEqual([{ type: "ctrl", letter: "d" }]);
    expect(d.push("\n")).toEqual([{ type: "key", name: "newline" }]);
    expect(d.push("\x7f")).toEqual([{ type: "key", name: "backspace" }]);
    expect(d.push("\t")).toEqual([{ type: "key", name: "tab" }]);
  });

  test("escape sequences: arrows, Esc, Shift+Enter (kitty, modifyOtherKeys, Alt+Enter), focus", () => {
    const d = createKeyDecoder();
    expect(d.push("\x1b[A")).toEqual([{ type: "key", name: "up" }]);
    expect(d.push("\x1bOB")).toEqual([{ type: "key", name: "down" }]);
    expect(d.push("\x1b[1;5C")).toEqual([{ type: "key", name: "right" }]);
    expect(d.push("\x1b")).toEqual([{ type: "key", name: "escape" }]);
    expect(d.push("\x1b[13;2u")).toEqual([{ type: "key", name: "newline" }]);
    expect(d.push("\x1b[27;2;13~")).toEqual([{ type: "key", name: "newline" }]);
    expect(d.push("\x1b\r")).toEqual([{ type: "key", name: "newline" }]);
    expect(d.push("\x1b[I")).toEqual([{ type: "focus", focused: true }]);
    expect(d.push("\x1b[O")).toEqual([{ type: "focus", focused: false }]);
    expect(d.push("\x1b[99;9z")).toEqual([]);
  });

  test("bracketed paste across several reads is one paste with normalised newlines", () => {
    const d = createKeyDecoder();
    expect(d.push("\x1b[200~")).toEqual([]);
    expect(d.push("line 1\r\nline 2\r")).toEqual([]);
    expect(d.push("line 3")).toEqual([]);
    expect(d.push("\x1b[201~")).toEqual([{ type: "paste", text: "line 1\nline 2\nline 3" }]);
    // Escape sequences inside a paste are pasted text, not keys.
    d.push("\x1b[200~");
    d.push("\x1b[A");
    expect(d.push("\x1b[201~")).toEqual([{ type: "paste", text: "\x1b[A" }]);
  });

  test("several lines in one read without bracketed paste are a paste", () => {
    const d = createKeyDecoder();
    expect(d.push("a\nb\nc")).toEqual([{ type: "paste", text: "a\nb\nc" }]);
    expect(d.push("a\rb\r")).toEqual([{ type: "paste", text: "a\nb" }, { type: "key", name: "enter" }]);
    // A line typed before raw mode was on (the terminal cooked it: "\r" became "\n") is text and Enter.
    expect(d.push("message 1\n")).toEqual([{ type: "text", text: "message 1" }, { type: "key", name: "enter" }]);
  });
});

describe("terminal replies (OSC)", () => {
  test("an OSC 11 reply, ST- or BEL-terminated, in the pieces ink hands over, becomes one osc event and is never typed", () => {
    const d = createKeyDecoder();
    expect(d.push("\x1b]")).toEqual([]);
    expect(d.push("11;rgb:ffff/")).toEqual([]);
    expect(d.push("ffff/ffff")).toEqual([]);
    expect(d.push("\x1b\\")).toEqual([{ type: "osc", text: "11;rgb:ffff/ffff/ffff" }]);
    expect(d.push("\x1b]")).toEqual([]);
    expect(d.push("11;rgb:0000/0000/0000\x07hi")).toEqual([{ type: "osc", text: "11;rgb:0000/0000/0000" }, { type: "text", text: "hi" }]);
    // Whole in one piece too.
    expect(d.push("\x1b]11;rgb:1/2/3\x1b\\")).toEqual([{ type: "osc", text: "11;rgb:1/2/3" }]);
    expect(d.push("a")).toEqual([{ type: "text", text: "a" }]);
  });

  test("Alt+] followed by typing is not swallowed: what is not an OSC body is typed after all", () => {
    const d = createKeyDecoder();
    expect(d.push("\x1b]")).toEqual([]);
    expect(d.push("hello")).toEqual([{ type: "text", text: "hello" }]);
    expect(d.push("\x1b]")).toEqual([]);
    expect(d.push("12")).toEqual([]);
    expect(d.push("\x1b[A")).toEqual([{ type: "text", text: "12" }, { type: "key", name: "up" }]);
  });
});
