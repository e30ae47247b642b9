import { EventEmitter } from "node:events";
import { describe, expect, test } from "vitest";
import { createResizeGuard, eraseLines, frameOfWrite, frameRows, terminalReflows } from "./resize-guard.js";

describe("resize guard", () => {
  test("frame rows after re-wrapping at a narrower width", () => {
    expect(frameRows("a\n" + "x".repeat(80) + "\n\n", 50)).toEqual({ rows: 4, lines: 3 });
    expect(frameRows("é👋\n", 2)).toEqual({ rows: 2, lines: 1 });
  });

  test("the frame of an ink write: erase and sync codes stripped; a pure erase draws none", () => {
    expect(frameOfWrite(`\x1b[?2026h${eraseLines(3)}hello\nworld\n\x1b[?2026l`)).toBe("hello\nworld\n");
    expect(frameOfWrite(eraseLines(4))).toBeNull();
  });

  test("on a narrower terminal it erases the re-wrapped frame before ink hears of the resize", () => {
    const writes: string[] = [];
    const real = Object.assign(new EventEmitter(), { columns: 80, rows: 24, write: (s: string) => (writes.push(s), true) });
    const guard = createResizeGuard(real as unknown as NodeJS.WriteStream);
    const order: string[] = [];
    guard.on("resize", () => order.push(`ink sees ${guard.columns}`));
    guard.write(`${eraseLines(0)}short\n${"─".repeat(80)}\n`);
    writes.length = 0;
    real.columns = 40;
    real.emit("resize");
    // 1 + 2 rows now, plus the cursor's row; then two blank rows for ink's own erase of its 2 lines + 1.
    expect(writes).toEqual([eraseLines(4) + "\n\n"]);
    expect(order).toEqual(["ink sees 40"]);
    writes.length = 0;
    real.columns = 100;
    real.emit("resize");
    expect(writes).toEqual([]);
    guard.dispose();
  });

  test("a terminal that does not re-wrap (GNU screen): nothing is erased, ink's own erase is right", () => {
    const writes: string[] = [];
    const real = Object.assign(new EventEmitter(), { columns: 80, rows: 24, write: (s: string) => (writes.push(s), true) });
    const guard = createResizeGuard(real as unknown as NodeJS.WriteStream, { reflows: false });
    guard.write(`${eraseLines(0)}short\n${"─".repeat(80)}\n`);
    writes.length = 0;
    real.columns = 40;
    real.emit("resize");
    expect(writes).toEqual([]);
    expect(guard.columns).toBe(40);
    guard.dispose();
  });

  test("GNU screen is told by STY, or by TERM=screen* outside tmux", () => {
    expect(terminalReflows({ TERM: "xterm-256color" })).toBe(true);
    expect(terminalReflows({ STY: "1234.pts-0.host", TERM: "xterm-256color" })).toBe(false);
    expect(terminalReflows({ TERM: "screen-256color" })).toBe(false);
    expect(terminalReflows({ TERM: "screen-256color", TMUX: "/tmp/tmux-0/default,1,0" })).toBe(true);
    expect(terminalReflows({ TERM: "tmux-256color", TMUX: "/tmp/tmux-0/default,1,0" })).toBe(true);
  });
});
