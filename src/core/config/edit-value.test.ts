import { describe, expect, it } from "vitest";
import { setValuesInToml } from "./edit-value.js";
import { parseTomlText } from "./read-layer.js";

const FILE = "/h/config.toml";
const set = (text: string, keyPath: string[], value: unknown, merge: "replace" | "upsert" = "replace") =>
  setValuesInToml(text, [{ keyPath, value, merge }], { file: FILE });

describe("setValuesInToml", () => {
  const base = ['# my settings', 'model = "gpt-5.5"  # pinned', "", "[tui]", "# keep me", "alt = 1", "", "[features]", "hooks = true", ""].join("\n");

  it("replaces a root key in place, keeping comments and other keys", () => {
    expect(set(base, ["model"], "o3")).toBe(base.replace('model = "gpt-5.5"  # pinned', 'model = "o3"'));
  });

  it("inserts a root key after the root assignments, before the first section", () => {
    const out = set(base, ["model_reasoning_effort"], "high");
    expect(out.split("\n").slice(0, 3)).toEqual(["# my settings", 'model = "gpt-5.5"  # pinned', 'model_reasoning_effort = "high"']);
    expect(out).toContain("# keep me\nalt = 1");
  });

  it("adds a key to its existing section and a new section at the end", () => {
    const out = set(base, ["tui", "theme"], "dark");
    expect(out).toContain("[tui]\n# keep me\nalt = 1\ntheme = \"dark\"\n");
    const out2 = set(base, ["shell_environment_policy", "inherit"], "core");
    expect(out2.endsWith('[shell_environment_policy]\ninherit = "core"\n')).toBe(true);
    expect(out2.startsWith(base)).toBe(true);
  });

  it("null removes the key; removing what is not there changes nothing", () => {
    expect(set(base, ["tui", "alt"], null)).toBe(base.replace("alt = 1\n", ""));
    expect(set(base, ["nothing", "here"], null)).toBe(base);
  });

  it("upsert merges a table; replace drops the table's other keys", () => {
    const up = parseTomlText(set(base, ["features"], { memories: true }, "upsert"), FILE);
    expect(up.features).toEqual({ hooks: true, memories: true });
    const rep = parseTomlText(set(base, ["features"], { memories: true }, "replace"), FILE);
    expect(rep.features).toEqual({ memories: true });
  });

  it("falls back to re-serialising when the layout defeats the line editor (inline table)", () => {
    const inline = 'tui = { alt = 1 }\n';
    const out = set(inline, ["tui", "theme"], "dark");
    expect(parseTomlText(out, FILE)).toEqual({ tui: { alt: 1, theme: "dark" } });
  });

  it("writes arrays and quoted keys", () => {
    const out = set("", ["projects", "/w/repo", "trust_level"], "trusted");
    expect(out).toBe('[projects."/w/repo"]\ntrust_level = "trusted"\n');
    expect(parseTomlText(set(base, ["notify"], ["notify-send", "hi"]), FILE).notify).toEqual(["notify-send", "hi"]);
  });
});
