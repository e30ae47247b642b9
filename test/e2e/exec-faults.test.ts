import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { fakeProviderConfig, parseJsonl, runCodex, type TestEnv, useFakeServerEnv } from "../support/codex-env.js";
import {
  dropAfter,
  httpError,
  sse,
  stallAfter,
  type FakeServer,
} from "../support/fake-responses-server.js";
import { completed, created, failed, malformed, textMessage } from "../support/sse.js";

let server: FakeServer;
let t: TestEnv;

useFakeServerEnv((s, e) => ((server = s), (t = e)));

const run = () => runCodex(["exec", "--json", "go"], { env: t.env, cwd: t.repo });
const ok = () => sse(created(), textMessage("recovered"), completed());

describe("fault injection: every fault ends completed after retry or with the right typed error", () => {
  test("429 with retry-after, then success", async () => {
    server.enqueue(httpError(429, "slow down", { "retry-after": "0" }), ok());
    const r = await run();
    expect(r.code).toBe(0);
    expect(parseJsonl(r.stdout).at(-1).type).toBe("turn.completed");
    expect(server.requests).toHaveLength(2);
  });

  test("persistent 500s end as turn.failed naming the status", async () => {
    server.enqueue(httpError(500, "boom"), httpError(500, "boom"), httpError(500, "boom"), httpError(500, "boom"));
    const r = await run();
    expect(r.code).toBe(1);
    const events = parseJsonl(r.stdout);
    const failedEv = events.at(-1);
    expect(failedEv.type).toBe("turn.failed");
    expect(failedEv.error.message).toContain("500");
    expect(events.at(-2)).toEqual({ type: "error", message: failedEv.error.message });
  });

  test("a dropped stream is retried with a Reconnecting notice", async () => {
    server.enqueue(dropAfter(created(), textMessage("partial")), ok());
    const r = await run();
    expect(r.code).toBe(0);
    const events = parseJsonl(r.stdout);
    expect(events).toContainEqual({
      type: "error",
      message: "Reconnecting... 1/2 (stream disconnected before completion: stream closed before response.completed)",
    });
    const messages = events.filter((e) => e.type === "item.completed" && e.item.type === "agent_message");
    expect(messages.map((m) => m.item.text)).toEqual(["recovered"]);
  });

  test("an idle stall on every attempt ends with an idle-timeout failure (no hang)", async () => {
    server.enqueue(stallAfter(created()), stallAfter(created()), stallAfter(created()));
    const r = await run();
    expect(r.code).toBe(1);
    const last = parseJsonl(r.stdout).at(-1);
    expect(last.type).toBe("turn.failed");
    expect(last.error.message).toContain("idle timeout");
  });

  test("malformed JSON data lines are skipped", async () => {
    server.enqueue(sse(created(), malformed(), textMessage("fine"), malformed("]]"), completed()));
    const r = await run();
    expect(r.code).toBe(0);
    expect(parseJsonl(r.stdout).some((e) => e.item?.text === "fine")).toBe(true);
  });

  test("context window exceeded is fatal with the spec message", async () => {
    server.enqueue(sse(created(), failed("context_length_exceeded", "too long")));
    const r = await run();
    expect(r.code).toBe(1);
    expect(parseJsonl(r.stdout).at(-1).error.message).toBe(
      "Codex ran out of room in the model's context window. Start a new thread or clear earlier history before retrying.",
    );
    expect(server.requests).toHaveLength(1);
  });

  test("insufficient quota is fatal with the spec message", async () => {
    server.enqueue(sse(created(), failed("insufficient_quota", "no money")));
    const r = await run();
    expect(r.code).toBe(1);
    expect(parseJsonl(r.stdout).at(-1).error.message).toBe("Quota exceeded. Check your plan and billing details.");
  });

  test("401 ends the turn after one request, naming the key's variable, without leaking the key", async () => {
    for (let i = 0; i < 3; i++) server.enqueue(httpError(401, "Incorrect API key provided"));
    const r = await run();
    expect(r.code).toBe(1);
    expect(server.requests).toHaveLength(1);
    const events = parseJsonl(r.stdout);
    expect(events.filter((e) => e.type === "error" && String(e.message).startsWith("Reconnecting"))).toEqual([]);
    const last = events.at(-1);
    expect(last.type).toBe("turn.failed");
    expect(last.error.message).toMatch(
      /^unexpected status 401 Unauthorized: Incorrect API key provided, url: http:\/\/127\.0\.0\.1:\d+\/v1\/responses; check the API key in CODEX_API_KEY$/,
    );
    expect(r.stdout + r.stderr).not.toContain("sk-test-key-0123456789");
  });

  test("401 with the key from auth.json names that file", async () => {
    writeFileSync(path.join(t.codexHome, "auth.json"), JSON.stringify({ OPENAI_API_KEY: "sk-stored-key-0123456789" }));
    t.writeConfig(fakeProviderConfig(server.url).replace(`env_key = "CODEX_API_KEY"`, "requires_openai_auth = true"));
    const env = { ...t.env };
    delete env.CODEX_API_KEY;
    server.enqueue(httpError(401, "Incorrect API key provided"));
    const r = await runCodex(["exec", "--json", "hi"], { env, cwd: t.repo });
    expect(r.code).toBe(1);
    expect(server.requests).toHaveLength(1);
    expect(parseJsonl(r.stdout).at(-1).error.message).toContain(`check the API key in ${path.join(t.codexHome, "auth.json")}`);
    expect(r.stdout + r.stderr).not.toContain("sk-stored-key-0123456789");
  });
});

describe("bad input", () => {
  test("malformed config.toml: one line naming file and line, exit 1, no request", async () => {
    t.writeConfig(`model = "gpt-5.5"\nmodel_provider = \n`);
    const r = await run();
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain(`${t.codexHome}/config.toml:2`);
    expect(server.requests).toHaveLength(0);
  });

  test("wrong type in config.toml names the key", async () => {
    t.writeConfig(fakeProviderConfig(server.url).replace(`model = "gpt-5.5"`, `approval_policy = "sometimes"`));
    const r = await run();
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("config.toml:1");
    expect(r.stderr).toContain("approval_policy");
  });

  test("unknown config key is a warning, not a crash", async () => {
    t.writeConfig(fakeProviderConfig(server.url) + `\n[extra_section]\nfoo = 1\n`);
    server.enqueue(ok());
    const r = await run();
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("extra_section");
  });

  test("unknown flag: clap-style error, exit 2", async () => {
    const r = await runCodex(["exec", "--no-such-flag", "x"], { env: t.env, cwd: t.repo });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("error: unexpected argument '--no-such-flag' found");
  });

  test("missing API key fails before any network call and says how to set one", async () => {
    const noKey = { ...t.env };
    delete noKey.CODEX_API_KEY;
    const r = await runCodex(["exec", "--json", "hi"], { env: noKey, cwd: t.repo });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/CODEX_API_KEY/);
    expect(server.requests).toHaveLength(0);
  });
});
