import path from "node:path";
import { describe, expect, test } from "vitest";
import { ConfigError } from "../../src/core/config/index.js";
import { sandboxHome, write } from "./helpers.js";

describe("layering", () => {
  test("defaults when nothing is configured", async () => {
    const { load, home, cwd } = sandboxHome();
    const c = await load();
    expect(c).toMatchObject({
      codexHome: home,
      cwd,
      model: "gpt-5.5",
      modelProviderId: "openai",
      approvalPolicy: "on-request",
      sandboxMode: "read-only",
      projectDocMaxBytes: 32768,
      projectDocFallbackFilenames: [],
      history: { persistence: "save-all" },
      warnings: [],
    });
    expect(c.modelProvider).toEqual({
      id: "openai",
      name: "OpenAI",
      baseUrl: "https://api.openai.com/v1",
      wireApi: "responses",
      queryParams: {},
      httpHeaders: {},
      envHttpHeaders: {},
      requestMaxRetries: 4,
      streamMaxRetries: 5,
      streamIdleTimeoutMs: 300000,
      requiresOpenaiAuth: true,
      builtIn: true,
      supportsWebsockets: true,
    });
  });

  test("system < user < profile < -c < dedicated flags", async () => {
    const { load, home, system } = sandboxHome();
    write(system, 'model = "sys"\nmodel_verbosity = "low"\ninstructions = "sys"\nservice_tier = "flex"\n');
    write(
      path.join(home, "config.toml"),
      'model = "user"\nmodel_verbosity = "medium"\ninstructions = "user"\n[profiles.p]\nmodel = "prof"\ninstructions = "prof"\n',
    );
    const base = await load();
    expect([base.model, base.modelVerbosity, base.instructions, base.serviceTier]).toEqual(["user", "medium", "user", "flex"]);
    const prof = await load({ profile: "p" });
    expect([prof.model, prof.instructions, prof.activeProfile]).toEqual(["prof", "prof", "p"]);
    const over = await load({ profile: "p", overrides: ["model=cli", 'instructions="c1"', 'instructions="c2"'] });
    expect([over.model, over.instructions]).toEqual(["cli", "c2"]);
    const flag = await load({ profile: "p", overrides: ["model=cli"], flags: { model: "flag" } });
    expect(flag.model).toBe("flag");
  });

  test("tables merge key by key, arrays are replaced", async () => {
    const { load, home } = sandboxHome();
    write(
      path.join(home, "config.toml"),
      "[sandbox_workspace_write]\nnetwork_access = true\nwritable_roots = [\"/a\"]\n",
    );
    const c = await load({ overrides: ['sandbox_workspace_write.writable_roots=["/b"]'] });
    expect(c.sandboxWorkspaceWrite).toEqual({
      writableRoots: ["/b"],
      networkAccess: true,
      excludeTmpdirEnvVar: false,
      excludeSlashTmp: false,
    });
  });

  test("--ignore-user-config skips the user file", async () => {
    const { load, home } = sandboxHome();
    write(path.join(home, "config.toml"), 'model = "user"\n');
    expect((await load({ flags: { ignoreUserConfig: true } })).model).toBe("gpt-5.5");
  });

  test("trusted project .codex/config.toml applies, untrusted does not", async () => {
    const { load, home, cwd } = sandboxHome();
    write(path.join(cwd, ".git", "HEAD"), "ref: refs/heads/main\n");
    const sub = path.join(cwd, "pkg");
    write(path.join(cwd, ".codex", "config.toml"), 'model = "root"\nmodel_verbosity = "high"\n');
    write(path.join(sub, ".codex", "config.toml"), 'model = "sub"\n');
    write(path.join(home, "config.toml"), 'model = "user"\n');
    expect((await load({ cwd: sub })).model).toBe("user");
    write(path.join(home, "config.toml"), `model = "user"\n[projects."${cwd}"]\ntrust_level = "trusted"\n`);
    const c = await load({ cwd: sub, overrides: [] });
    expect([c.model, c.modelVerbosity]).toEqual(["sub", "high"]);
    expect(c.projects[cwd]).toEqual({ trustLevel: "trusted" });
  });
});

describe("profiles", () => {
  test("NAME.config.toml is used when present", async () => {
    const { load, home } = sandboxHome();
    write(path.join(home, "fast.config.toml"), 'model = "file-model"\n');
    const c = await load({ profile: "fast" });
    expect(c.model).toBe("file-model");
    expect(c.warnings).toEqual([]);
  });

  test("both file and [profiles.NAME]: file wins, with a warning", async () => {
    const { load, home } = sandboxHome();
    write(path.join(home, "fast.config.toml"), 'model = "file-model"\n');
    write(path.join(home, "config.toml"), '[profiles.fast]\nmodel = "table-model"\n');
    const c = await load({ profile: "fast" });
    expect(c.model).toBe("file-model");
    expect(c.warnings).toEqual([
      `profile 'fast' is defined both in ${path.join(home, "fast.config.toml")} and in [profiles.fast]; using ${path.join(home, "fast.config.toml")}`,
    ]);
  });

  test("top-level profile = selects a profile with a deprecation warning; -p overrides it", async () => {
    const { load, home } = sandboxHome();
    write(
      path.join(home, "config.toml"),
      'profile = "a"\n[profiles.a]\nmodel = "ma"\n[profiles.b]\nmodel = "mb"\n',
    );
    const c = await load();
    expect(c.model).toBe("ma");
    expect(c.warnings).toHaveLength(1);
    expect(c.warnings[0]).toMatch(/top-level profile = "a" .* deprecated/);
    const d = await load({ profile: "b" });
    expect([d.model, d.warnings]).toEqual(["mb", []]);
  });

  test("missing profile is a warning, not fatal", async () => {
    const { load } = sandboxHome();
    const c = await load({ profile: "nope" });
    expect(c.model).toBe("gpt-5.5");
    expect(c.warnings[0]).toMatch(/^profile 'nope' not found/);
  });

  test("a wrong value inside [profiles.x] names the file, line and full key", async () => {
    const { load, home } = sandboxHome();
    const file = write(path.join(home, "config.toml"), '[profiles.x]\nmodel = "m"\napproval_policy = "sometimes"\n');
    await expect(load({ profile: "x" })).rejects.toThrowError(
      `${file}:3: invalid value for profiles.x.approval_policy: expected one of untrusted|on-failure|on-request|never`,
    );
  });
});

describe("errors", () => {
  test("bad TOML names file:line:col", async () => {
    const { load, home } = sandboxHome();
    const file = write(path.join(home, "config.toml"), 'model = "x"\nsandbox_mode = = 1\n');
    const err = await load().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(new RegExp(`^${escape(file)}:2:\\d+: invalid TOML: `));
    expect((err as Error).message).not.toContain("\n");
  });

  test("wrong enum value names file:line and key", async () => {
    const { load, home } = sandboxHome();
    const file = write(path.join(home, "config.toml"), '# comment\nmodel = "x"\napproval_policy = "always"\n');
    await expect(load()).rejects.toThrowError(
      `${file}:3: invalid value for approval_policy: expected one of untrusted|on-failure|on-request|never`,
    );
  });

  test("wrong type in a nested table names file:line and dotted key", async () => {
    const { load, home } = sandboxHome();
    const file = write(
      path.join(home, "config.toml"),
      'model = "x"\n\n[sandbox_workspace_write]\nwritable_roots = []\nnetwork_access = "yes"\n',
    );
    await expect(load()).rejects.toThrowError(
      `${file}:5: invalid value for sandbox_workspace_write.network_access: expected boolean, got string`,
    );
  });

  test("-c errors name the override", async () => {
    const { load } = sandboxHome();
    await expect(load({ overrides: ["sandbox_mode=open"] })).rejects.toThrowError(
      "invalid -c override 'sandbox_mode=open': invalid value for sandbox_mode: expected one of read-only|workspace-write|danger-full-access",
    );
  });

  test("wire_api = chat tells the user to use responses", async () => {
    const { load, home } = sandboxHome();
    const file = write(
      path.join(home, "config.toml"),
      '[model_providers.local]\nbase_url = "http://x/v1"\nwire_api = "chat"\n',
    );
    await expect(load()).rejects.toThrowError(
      `${file}:3: wire_api = "chat" is no longer supported for provider 'local'; set wire_api = "responses"`,
    );
  });

  test("unknown keys warn; --strict-config makes them errors", async () => {
    const { load, home } = sandboxHome();
    const file = write(path.join(home, "config.toml"), 'model = "x"\nfoo = 1\n[history]\nbar = true\n');
    const c = await load();
    expect(c.warnings).toEqual([
      `unknown config key 'foo' in ${file}`,
      `unknown config key 'history.bar' in ${file}`,
    ]);
    await expect(load({ flags: { strictConfig: true } })).rejects.toThrowError(`${file}:2: unknown config key 'foo'`);
  });

  test("open-ended sections accept extra keys silently", async () => {
    const { load, home } = sandboxHome();
    write(path.join(home, "config.toml"), '[tui]\nfancy = 1\n[mcp_servers.x]\ncommand = "y"\nnew_key = 2\n');
    // No unknown-key warning (and MCP servers are supported: no "not supported yet" either).
    expect((await load({ flags: { strictConfig: true } })).warnings).toEqual([]);
  });

  test("unknown key from -c warns naming the override", async () => {
    const { load } = sandboxHome();
    expect((await load({ overrides: ["nonsense.key=1"] })).warnings).toEqual([
      "unknown config key 'nonsense' in -c override 'nonsense.key=1'",
    ]);
  });

  test("invalid dedicated flag values are errors", async () => {
    const { load } = sandboxHome();
    await expect(load({ flags: { sandboxMode: "full" } })).rejects.toThrowError(
      "invalid value 'full' for --sandbox: expected one of read-only|workspace-write|danger-full-access",
    );
  });
});

describe("flags and providers", () => {
  test("--full-auto = on-request + workspace-write with a deprecation warning", async () => {
    const { load } = sandboxHome();
    const c = await load({ flags: { fullAuto: true }, overrides: ["approval_policy=never"] });
    expect([c.approvalPolicy, c.sandboxMode]).toEqual(["on-request", "workspace-write"]);
    expect(c.warnings).toEqual([expect.stringMatching(/^--full-auto is deprecated/)]);
  });

  test("--dangerously-bypass-approvals-and-sandbox beats everything", async () => {
    const { load } = sandboxHome();
    const c = await load({ flags: { dangerouslyBypass: true, sandboxMode: "read-only", approvalPolicy: "untrusted" } });
    expect([c.approvalPolicy, c.sandboxMode]).toEqual(["never", "danger-full-access"]);
  });

  test("-s/-a beat config", async () => {
    const { load, home } = sandboxHome();
    write(path.join(home, "config.toml"), 'approval_policy = "untrusted"\nsandbox_mode = "workspace-write"\n');
    const c = await load({ flags: { approvalPolicy: "never", sandboxMode: "danger-full-access" } });
    expect([c.approvalPolicy, c.sandboxMode]).toEqual(["never", "danger-full-access"]);
  });

  test("--oss selects the local provider and the oss default model", async () => {
    const { load, home } = sandboxHome();
    write(path.join(home, "config.toml"), 'model = "gpt-5.5"\n');
    const c = await load({ flags: { oss: true } });
    expect([c.modelProviderId, c.model, c.modelProvider.baseUrl, c.modelProvider.builtIn]).toEqual([
      "oss",
      "gpt-oss:20b",
      "http://localhost:11434/v1",
      false,
    ]);
    expect((await load({ flags: { oss: true, model: "qwen3" } })).model).toBe("qwen3");
    const port = await load({ flags: { oss: true }, env: { CODEX_OSS_PORT: "9999" } });
    expect(port.modelProvider.baseUrl).toBe("http://localhost:9999/v1");
    const url = await load({ flags: { oss: true }, env: { CODEX_OSS_BASE_URL: "http://h:1/v1" } });
    expect(url.modelProvider.baseUrl).toBe("http://h:1/v1");
  });

  test("lmstudio built-in provider", async () => {
    const { load } = sandboxHome();
    const c = await load({ overrides: ["model_provider=lmstudio"] });
    expect(c.modelProvider.baseUrl).toBe("http://localhost:1234/v1");
  });

  test("openai_base_url replaces the built-in base; OPENAI_BASE_URL env is ignored with a warning", async () => {
    const { load } = sandboxHome();
    const c = await load({
      overrides: ['openai_base_url="http://127.0.0.1:5/v1"'],
      env: { OPENAI_BASE_URL: "http://ignored/v1" },
    });
    expect(c.modelProvider.baseUrl).toBe("http://127.0.0.1:5/v1");
    expect(c.modelProvider.builtIn).toBe(true);
    expect(c.warnings).toEqual([expect.stringContaining("OPENAI_BASE_URL environment variable is deprecated")]);
    expect(c.warnings[0]).toContain("openai_base_url");
  });

  test("custom provider keys; retries capped at 100", async () => {
    const { load, home } = sandboxHome();
    write(
      path.join(home, "config.toml"),
      [
        'model_provider = "local"',
        "[model_providers.local]",
        'name = "Local"',
        'base_url = "http://127.0.0.1:8080/v1"',
        'env_key = "LOCAL_API_KEY"',
        'wire_api = "responses"',
        "request_max_retries = 1000",
        "stream_max_retries = 0",
        "stream_idle_timeout_ms = 1000",
        'query_params = { "api-version" = "1" }',
        'http_headers = { "X-A" = "b" }',
        'env_http_headers = { "X-Key" = "MY_KEY" }',
        "supports_websockets = false",
        "",
      ].join("\n"),
    );
    const c = await load();
    expect(c.modelProvider).toEqual({
      id: "local",
      name: "Local",
      baseUrl: "http://127.0.0.1:8080/v1",
      envKey: "LOCAL_API_KEY",
      wireApi: "responses",
      queryParams: { "api-version": "1" },
      httpHeaders: { "X-A": "b" },
      envHttpHeaders: { "X-Key": "MY_KEY" },
      requestMaxRetries: 100,
      streamMaxRetries: 0,
      streamIdleTimeoutMs: 1000,
      requiresOpenaiAuth: false,
      builtIn: false,
      supportsWebsockets: false,
    });
  });

  test("unknown model_provider is an error listing the choices", async () => {
    const { load } = sandboxHome();
    await expect(load({ overrides: ["model_provider=nope"] })).rejects.toThrow(
      /model_provider 'nope' not found; define \[model_providers\.nope\] or use one of lmstudio\|ollama\|openai\|oss/,
    );
  });

  test("features: config table, --enable/--disable, unknown --enable is an error", async () => {
    const { load, home } = sandboxHome();
    write(path.join(home, "config.toml"), "[features]\nmemories = true\nshell_tool = false\n");
    const c = await load({ flags: { enable: ["goals"], disable: ["memories"] } });
    expect([c.features["memories"], c.features["shell_tool"], c.features["goals"]]).toEqual([false, false, true]);
    await expect(load({ flags: { enable: ["bogus"] } })).rejects.toThrowError("Unknown feature flag: bogus");
  });

  test("--add-dir and writable_roots become absolute", async () => {
    const { load, cwd } = sandboxHome();
    const c = await load({ flags: { addDirs: ["rel"] }, overrides: ['sandbox_workspace_write.writable_roots=["/abs", "r2"]'] });
    expect(c.additionalWritableRoots).toEqual([path.join(cwd, "rel")]);
    expect(c.sandboxWorkspaceWrite.writableRoots).toEqual(["/abs", path.join(cwd, "r2")]);
  });

  test("CODEX_HOME env is used when no explicit home", async () => {
    const { load, home } = sandboxHome();
    write(path.join(home, "config.toml"), 'model = "from-env-home"\n');
    const c = await load({ codexHome: undefined, env: { CODEX_HOME: home } });
    expect([c.codexHome, c.model]).toEqual([home, "from-env-home"]);
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
