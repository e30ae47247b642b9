import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeTestEnv, type TestEnv } from "../support/codex-env.js";
import { methodsSchemaProblems, startAppServer, type AppServerClient } from "./app-server-methods-client.js";

// config/read, config/value/write, model/list and account/* over stdio against the built binary.

let t: TestEnv;
let c: AppServerClient;
const CONFIG = ['# my settings', 'model = "gpt-5.5"  # pinned', "", "[tui]", "# keep me", "alt = 1", ""].join("\n");

beforeEach(async () => {
  t = makeTestEnv();
  t.writeConfig(CONFIG);
  c = await startAppServer({ env: t.env, cwd: t.repo });
});
afterEach(async () => {
  // Every message the test saw validates against the reference's schema and ours.
  const problems = c ? methodsSchemaProblems(c) : [];
  await c.close();
  t.cleanup();
  expect(problems).toEqual([]);
});

describe("config", () => {
  it("config/read: effective config, origins and layers (user then system) with versions", async () => {
    const { result } = await c.request("config/read", { includeLayers: true });
    const userFile = path.join(t.codexHome, "config.toml");
    expect(result.config).toMatchObject({ model: "gpt-5.5", tui: { alt: 1 }, review_model: null, model_provider: null });
    expect(result.origins.model.name).toEqual({ type: "user", file: userFile, profile: null });
    expect(result.layers.map((l: { name: { type: string } }) => l.name.type)).toEqual(["user", "system"]);
    expect(result.layers[0].config).toEqual({ model: "gpt-5.5", tui: { alt: 1 } });
    expect(result.layers[0].version).toMatch(/^sha256:[0-9a-f]{64}$/);
    const without = await c.request("config/read", {});
    expect(without.result.layers).toBeNull();
  });

  it("config/value/write edits config.toml keeping comments and other keys; the version chains", async () => {
    const before = (await c.request("config/read", { includeLayers: true })).result.layers[0].version;
    const first = await c.request("config/value/write", { keyPath: "tui.theme", value: "dark", mergeStrategy: "upsert", expectedVersion: before });
    expect(first.result).toMatchObject({ status: "ok", filePath: path.join(t.codexHome, "config.toml"), overriddenMetadata: null });
    const second = await c.request("config/value/write", { keyPath: "model_reasoning_effort", value: "high", mergeStrategy: "replace", expectedVersion: first.result.version });
    expect(second.result.status).toBe("ok");
    expect(fs.readFileSync(path.join(t.codexHome, "config.toml"), "utf8")).toBe(
      ['# my settings', 'model = "gpt-5.5"  # pinned', 'model_reasoning_effort = "high"', "", "[tui]", "# keep me", "alt = 1", 'theme = "dark"', ""].join("\n"),
    );
    const read = await c.request("config/read", { includeLayers: true });
    expect(read.result.layers[0].version).toBe(second.result.version);
    expect(read.result.config.model_reasoning_effort).toBe("high");
    // null removes the key
    await c.request("config/value/write", { keyPath: "tui.alt", value: null, mergeStrategy: "replace" });
    expect(fs.readFileSync(path.join(t.codexHome, "config.toml"), "utf8")).not.toContain("alt = 1");
  });

  it("config/value/write refuses bad input without writing: missing field, invalid value, stale version", async () => {
    const missing = await c.request("config/value/write", { keyPath: "model", mergeStrategy: "replace" });
    expect(missing.error?.code).toBe(-32602);
    expect(missing.error?.message).toContain("value");
    const badStrategy = await c.request("config/value/write", { keyPath: "model", value: "x", mergeStrategy: "merge" });
    expect(badStrategy.error).toMatchObject({ code: -32602, message: expect.stringContaining("mergeStrategy") });
    const invalid = await c.request("config/value/write", { keyPath: "model", value: 5, mergeStrategy: "replace" });
    expect(invalid.error).toMatchObject({ code: -32600, data: { config_write_error_code: "configValidationError" } });
    expect(invalid.error?.message).toMatch(/^Invalid configuration: .*model/);
    const stale = await c.request("config/value/write", { keyPath: "model", value: "o3", mergeStrategy: "replace", expectedVersion: "sha256:00" });
    expect(stale.error).toMatchObject({ code: -32600, data: { config_write_error_code: "configVersionConflict" } });
    expect(fs.readFileSync(path.join(t.codexHome, "config.toml"), "utf8")).toBe(CONFIG);
  });
});

describe("model/list", () => {
  it("lists the picker's models with one default, pages by cursor, and hides hidden ones unless asked", async () => {
    const all = await c.request("model/list", {});
    const ids = all.result.data.map((m: { id: string }) => m.id);
    expect(ids[0]).toBe("gpt-5.5");
    expect(all.result.data.filter((m: { isDefault: boolean }) => m.isDefault).map((m: { id: string }) => m.id)).toEqual(["gpt-5.5"]);
    expect(all.result.nextCursor).toBeNull();
    expect(all.result.data.every((m: { hidden: boolean }) => !m.hidden)).toBe(true);
    const first = await c.request("model/list", { limit: 1 });
    expect(first.result.data.map((m: { id: string }) => m.id)).toEqual([ids[0]]);
    const rest = await c.request("model/list", { cursor: first.result.nextCursor });
    expect(rest.result.data.map((m: { id: string }) => m.id)).toEqual(ids.slice(1));
    const hidden = await c.request("model/list", { includeHidden: true });
    expect(hidden.result.data.length).toBeGreaterThan(ids.length);
    const bad = await c.request("model/list", { limit: "ten" });
    expect(bad.error).toMatchObject({ code: -32602, message: expect.stringContaining("limit") });
  });
});

describe("account", () => {
  it("login with an API key writes auth.json as codex login does, account/read sees it, logout removes it", async () => {
    const signedOut = await c.request("account/read", {});
    expect(signedOut.result).toEqual({ account: null, userId: null, requiresOpenaiAuth: true, workspaceRouting: null });
    const login = await c.request("account/login/start", { type: "apiKey", apiKey: "sk-test-abcdef123456" });
    expect(login.result).toEqual({ type: "apiKey" });
    await c.waitFor((m) => m.method === "account/updated" && m.params.authMode === "apikey", { what: "account/updated" });
    const completed = c.seen.find((m) => m.method === "account/login/completed")!;
    expect(completed.params).toEqual({ loginId: null, success: true, error: null, onboardingEntrypoint: null });
    // The response came before the notifications.
    expect(c.seen.indexOf(completed)).toBeGreaterThan(c.seen.findIndex((m) => m.result?.type === "apiKey"));
    const auth = JSON.parse(fs.readFileSync(path.join(t.codexHome, "auth.json"), "utf8"));
    expect(auth).toMatchObject({ OPENAI_API_KEY: "sk-test-abcdef123456", auth_mode: "apikey" });
    expect(fs.statSync(path.join(t.codexHome, "auth.json")).mode & 0o777).toBe(0o600);
    expect((await c.request("account/read", {})).result.account).toEqual({ type: "apiKey" });
    expect((await c.request("account/logout")).result).toEqual({});
    expect(fs.existsSync(path.join(t.codexHome, "auth.json"))).toBe(false);
    expect((await c.request("account/read", {})).result.account).toBeNull();
  });

  it("bad login input is -32602 naming the field; unsupported login types say so", async () => {
    const missing = await c.request("account/login/start", { type: "apiKey" });
    expect(missing.error).toMatchObject({ code: -32602, message: expect.stringContaining("apiKey") });
    const chatgpt = await c.request("account/login/start", { type: "chatgpt" });
    expect(chatgpt.error).toMatchObject({ code: -32600, message: expect.stringContaining("not supported") });
    expect(fs.existsSync(path.join(t.codexHome, "auth.json"))).toBe(false);
  });
});
