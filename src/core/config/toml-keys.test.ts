import { describe, expect, test } from "vitest";
import { formatKeyPath, locateKeyLine, splitDottedKey } from "./toml-keys.js";

describe("splitDottedKey", () => {
  test.each([
    ["a", ["a"]],
    [" a . b ", ["a", "b"]],
    ['projects."/x/y".trust_level', ["projects", "/x/y", "trust_level"]],
    ["'lit.eral'.k", ["lit.eral", "k"]],
    ['"esc\\"q"', ['esc"q']],
  ])("%s", (input, want) => expect(splitDottedKey(input)).toEqual(want));

  test.each(["", "a.", ".a", "a b", '"open'])("rejects %j", (input) => expect(splitDottedKey(input)).toBeNull());
});

describe("locateKeyLine", () => {
  const text = [
    "model = 'x'", // 1
    "", // 2
    '[projects."/a/b"]', // 3
    'trust_level = "maybe"', // 4
    "[model_providers.local]", // 5
    "name = 'l'", // 6
    "wire_api = 'chat'", // 7
    "query = 1", // 8
  ].join("\n");

  test("key under a quoted table header", () => {
    expect(locateKeyLine(text, ["projects", "/a/b", "trust_level"])).toBe(4);
  });
  test("key under a dotted header", () => {
    expect(locateKeyLine(text, ["model_providers", "local", "wire_api"])).toBe(7);
  });
  test("falls back to the closest enclosing line", () => {
    expect(locateKeyLine(text, ["model_providers", "local", "query_params", "x"])).toBe(5);
    expect(locateKeyLine(text, ["nothing"])).toBeUndefined();
  });
  test("inline table values point at the assignment line", () => {
    expect(locateKeyLine("a = 1\nsandbox_workspace_write = { network_access = 1 }\n", ["sandbox_workspace_write", "network_access"])).toBe(2);
  });
});

test("formatKeyPath quotes non-bare segments", () => {
  expect(formatKeyPath(["projects", "/a/b", "trust_level"])).toBe('projects."/a/b".trust_level');
});
