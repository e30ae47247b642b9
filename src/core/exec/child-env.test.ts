import { describe, expect, it } from "vitest";
import type { ShellEnvironmentPolicy } from "../config/types.js";
import { buildChildEnv, envGlobToRegExp, withUnifiedExecEnv } from "./child-env.js";

const policy = (p: Partial<ShellEnvironmentPolicy> = {}): ShellEnvironmentPolicy => ({
  inherit: "all",
  ignoreDefaultExcludes: false,
  exclude: [],
  includeOnly: [],
  set: {},
  ...p,
});

const base = {
  PATH: "/bin",
  HOME: "/root",
  LC_TIME: "C",
  EDITOR: "vi",
  GITHUB_TOKEN: "t",
  aws_secret_access: "s",
  MY_API_KEY: "k",
  OPENAI_API_KEY: "sk",
  CODEX_API_KEY: "ck",
  CUSTOM_PROVIDER_CRED: "c",
  UNSET: undefined,
};

describe("buildChildEnv", () => {
  it("inherits all minus default secret-looking names and our keys", () => {
    expect(buildChildEnv(policy(), base, { secretsToDrop: ["CUSTOM_PROVIDER_CRED"] })).toEqual({
      PATH: "/bin",
      HOME: "/root",
      LC_TIME: "C",
      EDITOR: "vi",
    });
  });

  it("inherit core keeps only the core set (and LC_*)", () => {
    expect(buildChildEnv(policy({ inherit: "core" }), base, { secretsToDrop: [] })).toEqual({
      PATH: "/bin",
      HOME: "/root",
      LC_TIME: "C",
    });
  });

  it("inherit none starts empty; set still applies", () => {
    expect(buildChildEnv(policy({ inherit: "none", set: { A: "1" } }), base, { secretsToDrop: [] })).toEqual({ A: "1" });
  });

  it("ignore_default_excludes keeps tokens but never our own API keys", () => {
    const env = buildChildEnv(policy({ ignoreDefaultExcludes: true }), base, { secretsToDrop: [] });
    expect(env.GITHUB_TOKEN).toBe("t");
    expect(env.MY_API_KEY).toBe("k");
    expect(env.OPENAI_API_KEY).toBeUndefined();
    expect(env.CODEX_API_KEY).toBeUndefined();
  });

  it("applies exclude, then set, then include_only", () => {
    const env = buildChildEnv(
      policy({ exclude: ["edit*"], set: { EXTRA: "x", PATH: "/usr/bin" }, includeOnly: ["PATH", "EX*", "EDITOR"] }),
      base,
      { secretsToDrop: [] },
    );
    expect(env).toEqual({ PATH: "/usr/bin", EXTRA: "x" });
  });

  it("drops our keys even when set explicitly, and adds the network/thread markers", () => {
    const env = buildChildEnv(policy({ inherit: "none", set: { OPENAI_API_KEY: "x" } }), base, {
      secretsToDrop: [],
      networkDisabled: true,
      threadId: "th-1",
    });
    expect(env).toEqual({ CODEX_SANDBOX_NETWORK_DISABLED: "1", CODEX_THREAD_ID: "th-1" });
  });

  it("globs are case-insensitive and anchored", () => {
    expect(envGlobToRegExp("*key*").test("MY_API_KEY")).toBe(true);
    expect(envGlobToRegExp("A?C").test("abc")).toBe(true);
    expect(envGlobToRegExp("PATH").test("XPATH")).toBe(false);
  });

  it("unified exec overlay disables pagers and colour", () => {
    expect(withUnifiedExecEnv({ PAGER: "less", X: "1" })).toMatchObject({ PAGER: "cat", GIT_PAGER: "cat", NO_COLOR: "1", TERM: "dumb", X: "1" });
  });
});
