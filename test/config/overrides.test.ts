import { describe, expect, test } from "vitest";
import { parseOverride, ConfigError } from "../../src/core/config/index.js";

describe("parseOverride (-c key=value)", () => {
  test.each([
    ["model=o3", ["model"], "o3"],
    ['model="gpt-5.5"', ["model"], "gpt-5.5"],
    ["sandbox_workspace_write.network_access=true", ["sandbox_workspace_write", "network_access"], true],
    ["model_context_window=200000", ["model_context_window"], 200000],
    ['projects."/home/me/x".trust_level=trusted', ["projects", "/home/me/x", "trust_level"], "trusted"],
    ["projects.'a.b'.trust_level = \"untrusted\"", ["projects", "a.b", "trust_level"], "untrusted"],
    ['notify=["notify-send", "done"]', ["notify"], ["notify-send", "done"]],
    ["mcp_servers.x={command = \"npx\", args = [\"-y\", \"srv\"]}", ["mcp_servers", "x"], { command: "npx", args: ["-y", "srv"] }],
    ["shell_environment_policy.set={}", ["shell_environment_policy", "set"], {}],
    ["instructions=hello world", ["instructions"], "hello world"],
    ["openai_base_url=http://127.0.0.1:9/v1", ["openai_base_url"], "http://127.0.0.1:9/v1"],
    ["x=a=b", ["x"], "a=b"],
    ["x=", ["x"], ""],
  ])("%s", (raw, path, value) => {
    expect(parseOverride(raw)).toEqual({ raw, path, value });
  });

  test("missing = is an error naming the override", () => {
    expect(() => parseOverride("model")).toThrowError(new ConfigError("invalid -c override 'model': expected key=value"));
  });

  test("bad key syntax is an error", () => {
    expect(() => parseOverride("a..b=1")).toThrow(/invalid -c override 'a\.\.b=1': invalid key/);
  });
});
