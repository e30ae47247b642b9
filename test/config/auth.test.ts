import fs from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import {
  loginStatus,
  logout,
  maskApiKey,
  missingKeyMessage,
  providerNeedsKey,
  redactSecrets,
  resolveApiKey,
  saveApiKey,
} from "../../src/core/auth/index.js";
import type { ModelProviderInfo } from "../../src/core/config/index.js";
import { sandboxHome, tempDir, write } from "./helpers.js";

async function provider(overrides: string[] = [], flags = {}): Promise<ModelProviderInfo> {
  const { load } = sandboxHome();
  return (await load({ overrides, flags })).modelProvider;
}

describe("resolveApiKey", () => {
  test("built-in: CODEX_API_KEY, then OPENAI_API_KEY, then auth.json", async () => {
    const codexHome = tempDir();
    const p = await provider();
    await saveApiKey(codexHome, "sk-file");
    expect(await resolveApiKey({ codexHome, provider: p, env: { CODEX_API_KEY: "sk-codex", OPENAI_API_KEY: "sk-env" } })).toBe("sk-codex");
    expect(await resolveApiKey({ codexHome, provider: p, env: { OPENAI_API_KEY: "sk-env" } })).toBe("sk-env");
    expect(await resolveApiKey({ codexHome, provider: p, env: { OPENAI_API_KEY: "" } })).toBe("sk-file");
    expect(await resolveApiKey({ codexHome: tempDir(), provider: p, env: {} })).toBeNull();
  });

  test("env_key provider reads only its variable", async () => {
    const codexHome = tempDir();
    await saveApiKey(codexHome, "sk-file");
    const p = await provider([
      'model_providers.l={base_url="http://x/v1", env_key="L_KEY"}',
      "model_provider=l",
    ]);
    expect(await resolveApiKey({ codexHome, provider: p, env: { L_KEY: "lk", OPENAI_API_KEY: "sk" } })).toBe("lk");
    expect(await resolveApiKey({ codexHome, provider: p, env: { OPENAI_API_KEY: "sk" } })).toBeNull();
    expect(missingKeyMessage(p)).toBe("Missing API key for provider 'l': set the L_KEY environment variable.");
    expect(providerNeedsKey(p)).toBe(true);
  });

  test("oss needs no key", async () => {
    const p = await provider([], { oss: true });
    expect(providerNeedsKey(p)).toBe(false);
    expect(await resolveApiKey({ codexHome: tempDir(), provider: p, env: { OPENAI_API_KEY: "sk" } })).toBeNull();
  });

  test("missing key message for the built-in provider is one line naming the variables", async () => {
    const msg = missingKeyMessage(await provider());
    expect(msg).not.toContain("\n");
    expect(msg).toContain("OPENAI_API_KEY");
    expect(msg).toContain("codex login --with-api-key");
  });
});

describe("auth.json", () => {
  test("saveApiKey writes the upstream shape with mode 0600 and creates CODEX_HOME 0700", async () => {
    const home = path.join(tempDir(), "new-home");
    await saveApiKey(home, "sk-proj-abcdefghijklmnopqrstuvwxyz12345");
    const file = path.join(home, "auth.json");
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(home).mode & 0o777).toBe(0o700);
    const json = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
    expect(json).toEqual({
      OPENAI_API_KEY: "sk-proj-abcdefghijklmnopqrstuvwxyz12345",
      tokens: null,
      last_refresh: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/),
      auth_mode: "apikey",
    });
    expect(fs.readdirSync(home)).toEqual(["auth.json"]);
  });

  test("overwriting keeps mode 0600 even if the old file was looser", async () => {
    const home = tempDir();
    write(path.join(home, "auth.json"), "{}");
    fs.chmodSync(path.join(home, "auth.json"), 0o644);
    await saveApiKey(home, "sk-2");
    expect(fs.statSync(path.join(home, "auth.json")).mode & 0o777).toBe(0o600);
  });

  test("login status / logout round trip", async () => {
    const home = tempDir();
    expect(await loginStatus(home)).toBeNull();
    expect(await logout(home)).toBe(false);
    await saveApiKey(home, "sk-proj-0123456789ABCDE");
    expect(await loginStatus(home)).toBe(
      "API key configured - sk-proj-***ABCDE\nAuthentication is checked when you send a request.",
    );
    expect(await logout(home)).toBe(true);
    expect(await loginStatus(home)).toBeNull();
  });

  test("ChatGPT tokens count as logged in", async () => {
    const home = tempDir();
    write(path.join(home, "auth.json"), JSON.stringify({ OPENAI_API_KEY: null, tokens: { access_token: "a" } }));
    expect(await loginStatus(home)).toBe("Logged in using ChatGPT");
  });

  test("corrupt auth.json is an error naming the file", async () => {
    const home = tempDir();
    write(path.join(home, "auth.json"), "{nope");
    await expect(loginStatus(home)).rejects.toThrowError(`${path.join(home, "auth.json")}: not valid JSON`);
  });

  test("maskApiKey", () => {
    expect(maskApiKey("sk-proj-0123456789ABCDE")).toBe("sk-proj-***ABCDE");
    expect(maskApiKey("short-key")).toBe("***");
  });
});

describe("redactSecrets", () => {
  test("removes every occurrence, longest first, ignores empty/short", () => {
    expect(redactSecrets("key=sk-abc123 again sk-abc123 and sk-abc", ["sk-abc", "sk-abc123", "", null, "ab"])).toBe(
      "key=[REDACTED] again [REDACTED] and [REDACTED]",
    );
  });
});
