// Stored credentials, the --oss provider and the ignored OPENAI_BASE_URL variable, through the built binary.
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { parseJsonl, runCodex, type TestEnv, useFakeServerEnv } from "../support/codex-env.js";
import { sse, type FakeServer } from "../support/fake-responses-server.js";
import { completed, created, textMessage } from "../support/sse.js";

const KEY = "sk-proj-STOREDkey0123456789abcdefXYZ";

let server: FakeServer;
let t: TestEnv;

// No key in the environment at all: whatever authenticates must come from auth.json.
useFakeServerEnv(
  (s, e) => ((server = s), (t = e)),
  (url) => ({ apiKey: null }),
);

describe("login / logout", () => {
  test("--with-api-key stores the key 0600, status masks it, exec uses it, logout removes it", async () => {
    const login = await runCodex(["login", "--with-api-key"], { env: t.env, cwd: t.repo, stdin: `${KEY}\n` });
    expect(login.stderr + login.stdout).not.toContain(KEY);
    expect(login.code).toBe(0);
    const authFile = path.join(t.codexHome, "auth.json");
    expect(existsSync(authFile)).toBe(true);
    expect(statSync(authFile).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(authFile, "utf8"))).toMatchObject({ OPENAI_API_KEY: KEY });

    const status = await runCodex(["login", "status"], { env: t.env, cwd: t.repo });
    expect(status.code).toBe(0);
    const shown = status.stdout + status.stderr;
    expect(shown).not.toContain(KEY);
    expect(shown).toMatch(/API key configured - sk-\S*\*+\S*/);

    server.enqueue(sse(created(), textMessage("authed"), completed()));
    const run = await runCodex(["exec", "--json", "-c", `openai_base_url="${server.url}"`, "hi"], {
      env: t.env,
      cwd: t.repo,
    });
    expect(run.stderr).not.toContain(KEY);
    expect(run.code).toBe(0);
    expect(parseJsonl(run.stdout).at(-1).type).toBe("turn.completed");
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.headers.authorization).toBe(`Bearer ${KEY}`);

    const logout = await runCodex(["logout"], { env: t.env, cwd: t.repo });
    expect(logout.code).toBe(0);
    expect(existsSync(authFile)).toBe(false);

    const after = await runCodex(["login", "status"], { env: t.env, cwd: t.repo });
    expect(after.code).toBe(1);
    expect(after.stderr).toContain("Not logged in");
  });

  test("an env key does not count as logged in; logout with nothing stored still exits 0", async () => {
    const env = { ...t.env, OPENAI_API_KEY: KEY, CODEX_API_KEY: KEY };
    const status = await runCodex(["login", "status"], { env, cwd: t.repo });
    expect(status.code).toBe(1);
    expect(status.stderr).toContain("Not logged in");
    const logout = await runCodex(["logout"], { env: t.env, cwd: t.repo });
    expect(logout.code).toBe(0);
  });

  test("login tightens an existing world-readable auth.json to 0600; CODEX_API_KEY beats the stored key", async () => {
    const authFile = path.join(t.codexHome, "auth.json");
    writeFileSync(authFile, "{}", { mode: 0o644 });
    chmodSync(authFile, 0o644);
    const login = await runCodex(["login", "--with-api-key"], { env: t.env, cwd: t.repo, stdin: KEY });
    expect(login.code).toBe(0);
    expect(statSync(authFile).mode & 0o777).toBe(0o600);

    server.enqueue(sse(created(), textMessage("env wins"), completed()));
    const env = { ...t.env, CODEX_API_KEY: "sk-from-env-999" };
    const run = await runCodex(["exec", "--json", "-c", `openai_base_url="${server.url}"`, "hi"], { env, cwd: t.repo });
    expect(run.code).toBe(0);
    expect(server.requests[0]!.headers.authorization).toBe("Bearer sk-from-env-999");
  });

  test("empty stdin for --with-api-key fails and stores nothing", async () => {
    const r = await runCodex(["login", "--with-api-key"], { env: t.env, cwd: t.repo, stdin: "" });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("No API key provided via stdin.");
    expect(existsSync(path.join(t.codexHome, "auth.json"))).toBe(false);
  });
});

describe("--oss", () => {
  test("talks to CODEX_OSS_BASE_URL with gpt-oss:20b and needs no key; -m overrides the model", async () => {
    const env = { ...t.env, CODEX_OSS_BASE_URL: server.url };
    server.enqueue(sse(created(), textMessage("local hi"), completed()), sse(created(), textMessage("again"), completed()));
    const r = await runCodex(["exec", "--json", "--oss", "hi"], { env, cwd: t.repo });
    expect(r.stderr).not.toMatch(/Error:/);
    expect(r.code).toBe(0);
    expect(parseJsonl(r.stdout).find((e) => e.type === "item.completed")?.item.text).toBe("local hi");
    expect(server.requests[0]!.pathname).toBe("/v1/responses");
    expect(server.requests[0]!.body.model).toBe("gpt-oss:20b");

    const m = await runCodex(["exec", "--json", "--oss", "-m", "other-local", "hi"], { env, cwd: t.repo });
    expect(m.code).toBe(0);
    expect(server.requests[1]!.body.model).toBe("other-local");
  });
});

describe("OPENAI_BASE_URL", () => {
  test("is deprecated and ignored: a warning on stderr, requests still go where config says", async () => {
    // A base URL nobody listens on: if it were honoured the run would fail to connect.
    const env = { ...t.env, CODEX_API_KEY: "sk-env-key-abcdef", OPENAI_BASE_URL: "http://127.0.0.1:9/v1" };
    server.enqueue(sse(created(), textMessage("ok"), completed()));
    const r = await runCodex(["exec", "--json", "-c", `openai_base_url="${server.url}"`, "hi"], { env, cwd: t.repo });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/OPENAI_BASE_URL/);
    expect(r.stderr).toMatch(/deprecated/i);
    expect(r.stdout).not.toMatch(/OPENAI_BASE_URL/);
    expect(server.requests).toHaveLength(1);
  });
});
