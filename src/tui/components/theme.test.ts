import chalk from "chalk";
import { createElement as h } from "react";
import { render } from "ink-testing-library";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { createBackgroundProbe } from "../terminal/background-probe.js";
import { createHighlighter } from "../markdown/highlight.js";
import { DiffView } from "./diff-view.js";
import { LIGHT_PALETTE, paletteIndex, ThemeContext, themeColor, themeFromEnv, type Theme } from "./theme.js";

let level: typeof chalk.level;
beforeEach(() => {
  // Colours depend on the terminal chalk detects (none under the test runner): 256 colours here.
  level = chalk.level;
  chalk.level = 2;
});
afterEach(() => {
  chalk.level = level;
});

describe("palette choice", () => {
  test("NO_COLOR or TERM=dumb: no colours at all, whatever the background", () => {
    for (const env of [{ NO_COLOR: "1" }, { TERM: "dumb" }, { NO_COLOR: "1", COLORFGBG: "0;15" }]) {
      const theme = themeFromEnv(env);
      expect(theme.color).toBe(false);
      expect(themeColor(theme, "cyan")).toBeUndefined();
    }
    // An empty NO_COLOR does not count (no-color.org).
    expect(themeFromEnv({ NO_COLOR: "" }).color).toBe(true);
  });

  test("dark by default, light from COLORFGBG; on light every basic colour has a darker shade", () => {
    expect(themeFromEnv({}).light).toBe(false);
    expect(themeFromEnv({ COLORFGBG: "0;15" }).light).toBe(true);
    expect(themeFromEnv({ COLORFGBG: "15;0" }).light).toBe(false);
    const dark = { color: true, light: false };
    const light = { color: true, light: true };
    expect(themeColor(dark, "cyan")).toBe("cyan");
    expect(themeColor(light, "cyan")).toBe(LIGHT_PALETTE.cyan);
    expect(themeColor(light, "yellow")).toBe(LIGHT_PALETTE.yellow);
    for (const name of ["cyan", "green", "red", "yellow", "blue", "magenta"]) {
      // The xterm colour cube: index 16 + 36r + 6g + b, each level one of 0, 95, 135, 175, 215, 255.
      const cube = paletteIndex(LIGHT_PALETTE[name]!) - 16;
      expect(cube >= 0 && cube < 216).toBe(true);
      const level = (n: number) => [0, 95, 135, 175, 215, 255][n]! / 255;
      const [r, g, b] = [level(Math.floor(cube / 36)), level(Math.floor(cube / 6) % 6), level(cube % 6)];
      // Dark enough to read on white: luma well under the middle.
      expect({ name, luma: 0.299 * r + 0.587 * g + 0.114 * b < 0.4 }).toEqual({ name, luma: true });
    }
  });

  test("a diff drawn on a light background uses the dark green and red (256-colour codes 22 and 124)", () => {
    const diff = (theme: Theme) =>
      render(h(ThemeContext.Provider, { value: theme }, h(DiffView, { diff: "@@ -1 +1 @@\n-old\n+new\n" })));
    const onLight = diff({ color: true, light: true, highlight: null }).lastFrame()!;
    expect(onLight).toMatch(/\x1b\[38;5;22m\+new/);
    expect(onLight).toMatch(/\x1b\[38;5;124m-old/);
    const onDark = diff({ color: true, light: false, highlight: null }).lastFrame()!;
    expect(onDark).toMatch(/\x1b\[32m\+new/);
    expect(onDark).toMatch(/\x1b\[31m-old/);
  });

  test("code highlighting on light uses the light shades, not bright cyan", () => {
    const code = 'const s = "hi";';
    expect(createHighlighter({ light: false })(code, "ts")).toMatch(/\x1b\[36m"hi"/);
    const light = createHighlighter({ light: true })(code, "ts");
    expect(light).toMatch(/\x1b\[38;5;24m"hi"/);
    expect(light).not.toContain("\x1b[36m");
  });
});

describe("background probe (OSC 11)", () => {
  test("the query goes out once; a light answer in time re-themes; others are ignored", () => {
    let clock = 1000;
    const written: string[] = [];
    const probe = createBackgroundProbe({ write: (t) => void written.push(t), now: () => clock, timeoutMs: 500 });
    const seen: boolean[] = [];
    probe.subscribe((light) => seen.push(light));
    expect(probe.reply("11;rgb:ffff/ffff/ffff")).toBe(false); // not asked yet
    probe.start();
    probe.start();
    expect(written).toEqual(["\x1b]11;?\x1b\\"]);
    expect(probe.reply("52;c;aGk=")).toBe(false);
    clock += 20;
    expect(probe.reply("11;rgb:fdfd/f6f6/e3e3")).toBe(true);
    expect(probe.reply("11;rgb:0000/0000/0000")).toBe(false); // one answer only
    expect(seen).toEqual([true]);
  });

  test("an answer after the timeout changes nothing", () => {
    let clock = 0;
    const probe = createBackgroundProbe({ write: () => {}, now: () => clock, timeoutMs: 500 });
    const seen: boolean[] = [];
    probe.subscribe((light) => seen.push(light));
    probe.start();
    clock = 501;
    expect(probe.reply("11;rgb:ffff/ffff/ffff")).toBe(false);
    expect(seen).toEqual([]);
  });
});

describe("the terminal's reply on stdin", () => {
  test("reaches onTerminalReply and is never typed into the composer", async () => {
    const { renderInTerminal, scriptedThread } = await import("../testing-harness.js");
    const { createTuiController } = await import("../session/controller.js");
    const { createTuiStore } = await import("../state/store.js");
    const { initialState } = await import("../state/types.js");
    const { App } = await import("./app.js");
    const replies: string[] = [];
    const controller = createTuiController({ store: createTuiStore(initialState({ version: "1" })), thread: scriptedThread() });
    const term = renderInTerminal(
      h(App, {
        controller,
        cwd: "/repo",
        context: { config: () => ({}) as never, runtime: () => ({}) as never, exit: () => {} },
        onTerminalReply: (t: string) => void replies.push(t),
      }),
    );
    try {
      await term.waitForText("Ask Codex");
      term.type("ab");
      term.type("\x1b]11;rgb:ffff/ffff/ffff\x1b\\");
      term.type("c");
      await term.waitForText("› abc");
      expect(replies).toEqual(["11;rgb:ffff/ffff/ffff"]);
      expect(term.text()).not.toContain("rgb");
    } finally {
      term.unmount();
    }
  });
});
