import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { Command } from "commander";
import { describe, expect, test } from "vitest";
import { registerLoginCommands } from "../../src/cli/commands/login.js";
import { registerFeaturesCommand } from "../../src/cli/commands/features.js";
import { loadConfig, FEATURES } from "../../src/core/config/index.js";
import { sandboxHome, tempDir, write } from "./helpers.js";

interface Run {
  out: string;
  err: string;
  code: number;
}

async function runLogin(home: string, argv: string[], stdinText = ""): Promise<Run> {
  const r: Run = { out: "", err: "", code: 0 };
  const program = new Command("codex").exitOverride();
  registerLoginCommands(program, {
    env: { CODEX_HOME: home },
    stdin: Readable.from([Buffer.from(stdinText)]),
    stdout: (t) => void (r.out += t),
    stderr: (t) => void (r.err += t),
    setExitCode: (c) => void (r.code = c),
  });
  await program.parseAsync(argv, { from: "user" });
  return r;
}

describe("login / status / logout", () => {
  test("round trip", async () => {
    const home = path.join(tempDir(), "home");
    expect(await runLogin(home, ["login", "status"])).toEqual({ out: "", err: "Not logged in\n", code: 1 });
    const login = await runLogin(home, ["login", "--with-api-key"], "  sk-proj-0123456789ABCDE\n");
    expect(login.code).toBe(0);
    expect(fs.statSync(path.join(home, "auth.json")).mode & 0o777).toBe(0o600);
    // The reference 0.169 binary's wording, all on stderr.
    expect(login.err).toBe("Reading API key from stdin...\nAPI key saved. Authentication is checked when you send a request.\n");
    expect(await runLogin(home, ["login", "status"])).toEqual({
      out: "",
      err: "API key configured - sk-proj-***ABCDE\nAuthentication is checked when you send a request.\n",
      code: 0,
    });
    expect(await runLogin(home, ["logout"])).toEqual({ out: "", err: "Successfully logged out\n", code: 0 });
    expect(await runLogin(home, ["logout"])).toEqual({ out: "", err: "Not logged in\n", code: 0 });
    expect((await runLogin(home, ["login", "status"])).code).toBe(1);
  });

  test("empty key on stdin is rejected", async () => {
    const home = tempDir();
    const r = await runLogin(home, ["login", "--with-api-key"], "   \n");
    expect(r).toEqual({ out: "", err: "Reading API key from stdin...\nNo API key provided via stdin.\n", code: 1 });
    expect(fs.existsSync(path.join(home, "auth.json"))).toBe(false);
  });

  test("login without --with-api-key explains and exits 1", async () => {
    const r = await runLogin(tempDir(), ["login"]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^Error: only API-key login is supported.*--with-api-key/);
  });
});

async function runFeatures(home: string, argv: string[]): Promise<Run> {
  const r: Run = { out: "", err: "", code: 0 };
  const { cwd, system } = sandboxHome();
  const program = new Command("codex").exitOverride();
  registerFeaturesCommand(
    program,
    (o) =>
      loadConfig({
        codexHome: home,
        cwd,
        systemConfigPath: system,
        overrides: (o["config"] as string[] | undefined) ?? [],
        flags: { enable: (o["enable"] as string[] | undefined) ?? [], disable: (o["disable"] as string[] | undefined) ?? [] },
        env: {},
      }),
    {
      stdout: (t) => void (r.out += t),
      stderr: (t) => void (r.err += t),
      setExitCode: (c) => void (r.code = c),
    },
  );
  await program.parseAsync(argv, { from: "user" });
  return r;
}

describe("features command", () => {
  test("list shows effective values after config, -c and --enable", async () => {
    const { home } = sandboxHome();
    write(path.join(home, "config.toml"), "[features]\napps = false\n");
    const r = await runFeatures(home, ["features", "list", "-c", "features.goals=false", "--enable", "memories"]);
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split("\n");
    expect(lines).toHaveLength(FEATURES.length);
    expect(lines).toContain("apps                                     stable             false");
    expect(lines).toContain("goals                                    stable             false");
    expect(lines).toContain("memories                                 stable             true");
  });

  test("list --enable unknown is an error", async () => {
    const { home } = sandboxHome();
    expect(await runFeatures(home, ["features", "list", "--enable", "bogus"])).toEqual({
      out: "",
      err: "Error: Unknown feature flag: bogus\n",
      code: 1,
    });
  });

  test("enable/disable write [features] preserving other content", async () => {
    const { home } = sandboxHome();
    const file = write(path.join(home, "config.toml"), '# keep me\nmodel = "m"\n');
    expect((await runFeatures(home, ["features", "enable", "memories"])).code).toBe(0);
    expect((await runFeatures(home, ["features", "disable", "apps"])).code).toBe(0);
    expect(fs.readFileSync(file, "utf8")).toBe('# keep me\nmodel = "m"\n\n[features]\nmemories = true\napps = false\n');
    expect((await runFeatures(home, ["features", "disable", "memories"])).code).toBe(0);
    expect(fs.readFileSync(file, "utf8")).toContain("memories = false\n");
  });

  test("enable unknown flag: error, exit 1, file untouched", async () => {
    const { home } = sandboxHome();
    const file = write(path.join(home, "config.toml"), 'model = "m"\n');
    expect(await runFeatures(home, ["features", "enable", "nope"])).toEqual({
      out: "",
      err: "Error: Unknown feature flag: nope\n",
      code: 1,
    });
    expect(fs.readFileSync(file, "utf8")).toBe('model = "m"\n');
  });
});
