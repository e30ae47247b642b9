import { describe, expect, test } from "vitest";
import { createNotifier, notificationSequence, notificationSettings } from "./notifications.js";

describe("notifications", () => {
  test("config: on by default, a list picks kinds, the method follows the terminal unless set", () => {
    expect(notificationSettings({}, {})).toEqual({ kinds: new Set(["turn_complete", "approval"]), method: "bel" });
    expect(notificationSettings({ tui: { notifications: false } }, {}).kinds.size).toBe(0);
    expect(notificationSettings({ tui: { notifications: ["approval-requested"] } }, { TERM_PROGRAM: "iTerm.app" })).toEqual({
      kinds: new Set(["approval"]),
      method: "osc9",
    });
    expect(notificationSettings({ tui: { notification_method: "bel" } }, { TERM: "xterm-kitty" }).method).toBe("bel");
  });

  test("OSC 9 with control characters removed; wrapped for tmux", () => {
    expect(notificationSequence("done\x07\nnow", { method: "osc9", tmux: false })).toBe("\x1b]9;done  now\x07");
    expect(notificationSequence("x", { method: "osc9", tmux: true })).toBe("\x1bPtmux;\x1b\x1b]9;x\x07\x1b\\");
    expect(notificationSequence("x", { method: "bel", tmux: false })).toBe("\x07");
  });

  test("only when the terminal reported losing focus, and only enabled kinds", () => {
    const written: string[] = [];
    const n = createNotifier({ settings: () => ({ kinds: new Set(["approval"] as const), method: "bel" }), tmux: false, write: (t) => void written.push(t) });
    n.attention({ kind: "approval", message: "rm?" });
    expect(written).toEqual([]);
    n.setFocused(false);
    n.attention({ kind: "turn_complete", message: "done" });
    n.attention({ kind: "approval", message: "rm?" });
    expect(written).toEqual(["\x07"]);
    n.setFocused(true);
    n.attention({ kind: "approval", message: "rm?" });
    expect(written).toEqual(["\x07"]);
  });
});
