import { describe, expect, test } from "vitest";
import { backgroundFromColorFgBg, isLightRgb, parseOsc11Reply } from "./background.js";

describe("terminal background", () => {
  test("OSC 11 replies: 4, 2 and 1 hex digits per channel, rgba, #RRGGBB; anything else is no answer", () => {
    expect(parseOsc11Reply("11;rgb:ffff/ffff/ffff")).toEqual({ r: 1, g: 1, b: 1 });
    expect(parseOsc11Reply("11;rgb:00/80/ff")).toEqual({ r: 0, g: 128 / 255, b: 1 });
    expect(parseOsc11Reply("11;rgb:f/0/0")).toEqual({ r: 1, g: 0, b: 0 });
    expect(parseOsc11Reply("11;rgba:ffff/ffff/ffff/ffff")).toEqual({ r: 1, g: 1, b: 1 });
    expect(parseOsc11Reply("11;#1e1e1e")).toEqual({ r: 30 / 255, g: 30 / 255, b: 30 / 255 });
    for (const bad of ["11;?", "10;rgb:ffff/ffff/ffff", "11;rgb:ffff/ffff", "11;rgb:zz/00/00", ""]) expect(parseOsc11Reply(bad)).toBeNull();
  });

  test("light above the middle luma: white, Solarized light, a pale yellow; dark: black, Solarized dark, pure blue", () => {
    const light = ["11;rgb:ffff/ffff/ffff", "11;rgb:fdfd/f6f6/e3e3", "11;rgb:ffff/ffff/cccc"];
    const dark = ["11;rgb:0000/0000/0000", "11;rgb:0000/2b2b/3636", "11;rgb:0000/0000/ffff", "11;rgb:1e1e/1e1e/1e1e"];
    for (const r of light) expect({ r, light: isLightRgb(parseOsc11Reply(r)!) }).toEqual({ r, light: true });
    for (const r of dark) expect({ r, light: isLightRgb(parseOsc11Reply(r)!) }).toEqual({ r, light: false });
  });

  test("COLORFGBG: the last field is the background", () => {
    expect(backgroundFromColorFgBg("0;15")).toBe("light");
    expect(backgroundFromColorFgBg("0;default;7")).toBe("light");
    expect(backgroundFromColorFgBg("15;0")).toBe("dark");
    expect(backgroundFromColorFgBg("7;8")).toBe("dark");
    expect(backgroundFromColorFgBg("15;default")).toBeNull();
    expect(backgroundFromColorFgBg(undefined)).toBeNull();
    expect(backgroundFromColorFgBg("0;231")).toBeNull();
  });
});
