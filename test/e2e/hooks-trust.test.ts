// Trust: an untrusted project's layer (config, hooks) is skipped with one warning; trust granted through
// grantProjectTrust records a digest, and a changed hooks.json is untrusted again; user-level hooks need
// a [hooks.state] trust record, or --dangerously-bypass-hook-trust (with a warning).
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { parseJsonl, runCodex, type TestEnv, useFakeServerEnv } from "../support/codex-env.js";
import { sse, type FakeServer } from "../support/fake-responses-server.js";
import { completed, created, textMessage } from "../support/sse.js";
import { grantProjectTrust } from "../../src/core/config/trust.js";
import { discoverHooks } from "../../src/core/hooks/discover.js";
import { grantHookTrust } from "../../src/core/hooks/hook-trust.js";
import { payloads, recordPayload, writeProjectHooks } from "../hooks/hook-env.js";

let server: FakeServer;
let t: TestEnv;
useFakeServerEnv((s, e) => ((server = s), (t = e)));

const reply = () => sse(created("r"), textMessage("ok"), completed("r"));

describe("project trust", () => {
  test("untrusted: project hooks and config are skipped, with one warning naming how to trust", async () => {
    writeProjectHooks(t, { UserPromptSubmit: [{ hooks: [{ type: "command", command: recordPayload(t, "p") }] }] });
    writeFileSync(path.join(t.repo, ".codex", "config.toml"), `model = "project-model"\n`);
    server.enqueue(reply());
    const r = await runCodex(["exec", "hi"], { env: t.env, cwd: t.repo });
    expect(r.code, r.stderr).toBe(0);
    expect(payloads(t, "p")).toEqual([]);
    expect(server.requests[0]!.body.model).toBe("gpt-5.5");
    const lines = r.stderr.split("\n").filter((l) => l.includes("is not trusted"));
    expect(lines).toEqual([
      `warning: project ${t.repo} is not trusted: its .codex config, hooks, rules and MCP servers are skipped ` +
        `(trust it with [projects.${JSON.stringify(t.repo)}] trust_level = "trusted" in ${path.join(t.codexHome, "config.toml")})`,
    ]);
  });

  test("trust granted with a digest: hooks run; after hooks.json changes they are skipped with a warning", async () => {
    writeProjectHooks(t, { UserPromptSubmit: [{ hooks: [{ type: "command", command: recordPayload(t, "p") }] }] });
    const before = readFileSync(path.join(t.codexHome, "config.toml"), "utf8");
    const { file, digest } = await grantProjectTrust({ codexHome: t.codexHome, projectRoot: t.repo });
    const after = readFileSync(file, "utf8");
    expect(after.startsWith(before)).toBe(true);
    expect(after).toContain(`[projects.${JSON.stringify(t.repo)}]\ntrust_level = "trusted"\ntrust_digest = "${digest}"`);
    server.enqueue(reply(), reply());
    const ok = await runCodex(["exec", "--json", "one"], { env: t.env, cwd: t.repo });
    expect(ok.code, ok.stderr).toBe(0);
    expect(payloads(t, "p")).toHaveLength(1);
    expect(ok.stderr).not.toContain("trusted");

    // The repository changes its hooks: they must not run until trusted again.
    writeProjectHooks(t, { UserPromptSubmit: [{ hooks: [{ type: "command", command: recordPayload(t, "p2") }] }] });
    const changed = await runCodex(["exec", "--json", "two"], { env: t.env, cwd: t.repo });
    expect(changed.code, changed.stderr).toBe(0);
    expect(payloads(t, "p2")).toEqual([]);
    expect(server.requests).toHaveLength(2);
    expect(changed.stderr).toContain(`project ${t.repo}: its hooks, rules or MCP servers changed since it was trusted`);
    expect(parseJsonl(changed.stdout).at(-1).type).toBe("turn.completed");

    // So does an edit of a script the hooks run (same hooks.json).
    await grantProjectTrust({ codexHome: t.codexHome, projectRoot: t.repo });
    writeFileSync(path.join(t.repo, ".hooks", "record-p2.sh"), "#!/bin/sh\ncat > /dev/null\necho evil\n");
    server.enqueue(reply());
    const edited = await runCodex(["exec", "--json", "two-b"], { env: t.env, cwd: t.repo });
    expect(edited.code, edited.stderr).toBe(0);
    expect(edited.stderr).toContain("changed since it was trusted");
    recordPayload(t, "p2");

    // Re-granting trusts the new content (the entry is updated in place, not duplicated).
    await grantProjectTrust({ codexHome: t.codexHome, projectRoot: t.repo });
    expect(readFileSync(file, "utf8").split(`[projects.${JSON.stringify(t.repo)}]`)).toHaveLength(2);
    server.enqueue(reply());
    await runCodex(["exec", "--json", "three"], { env: t.env, cwd: t.repo });
    expect(payloads(t, "p2")).toHaveLength(1);
  });
});

describe("codex exec --trust", () => {
  test("records trust (with a digest) for the project and applies its layer in this run; an explicitly untrusted project is an error", async () => {
    mkdirSync(path.join(t.repo, ".codex"), { recursive: true });
    writeFileSync(path.join(t.repo, ".codex", "config.toml"), `model = "project-model"\n`);
    server.enqueue(reply(), reply());
    const r = await runCodex(["exec", "--json", "--trust", "hi"], { env: t.env, cwd: t.repo });
    expect(r.code, r.stderr).toBe(0);
    expect(server.requests[0]!.body.model).toBe("project-model");
    expect(r.stderr).not.toContain("not trusted");
    const config = readFileSync(path.join(t.codexHome, "config.toml"), "utf8");
    expect(config).toContain(`[projects.${JSON.stringify(t.repo)}]\ntrust_level = "trusted"\ntrust_digest = "sha256:`);
    // Later runs without the flag keep it.
    const later = await runCodex(["exec", "--json", "again"], { env: t.env, cwd: t.repo });
    expect(later.code, later.stderr).toBe(0);
    expect(server.requests[1]!.body.model).toBe("project-model");

    writeFileSync(path.join(t.codexHome, "config.toml"), readFileSync(path.join(t.codexHome, "config.toml"), "utf8").replace(`trust_level = "trusted"`, `trust_level = "untrusted"`));
    const refused = await runCodex(["exec", "--json", "--trust", "no"], { env: t.env, cwd: t.repo });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain(`${t.repo} is marked as untrusted. Update its trust setting first.`);
    expect(server.requests).toHaveLength(2);
  });
});

describe("nested .codex folders", () => {
  const nestedHooks = (tag: string): string => {
    const dir = path.join(t.repo, "sub", ".codex");
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, "hooks.json");
    writeFileSync(file, JSON.stringify({ hooks: { UserPromptSubmit: [{ hooks: [{ type: "command", command: recordPayload(t, tag) }] }] } }));
    return file;
  };
  const sub = () => path.join(t.repo, "sub");

  test("a nested hooks.json under cwd runs once trusted with it; changing it untrusts the project until re-confirmed", async () => {
    nestedHooks("nested");
    await grantProjectTrust({ codexHome: t.codexHome, projectRoot: t.repo, cwd: sub() });
    server.enqueue(reply(), reply(), reply());
    const ok = await runCodex(["exec", "--json", "one"], { env: t.env, cwd: sub() });
    expect(ok.code, ok.stderr).toBe(0);
    expect(payloads(t, "nested")).toMatchObject([{ hook_event_name: "UserPromptSubmit", cwd: sub() }]);

    nestedHooks("nested2");
    const changed = await runCodex(["exec", "--json", "two"], { env: t.env, cwd: sub() });
    expect(changed.code, changed.stderr).toBe(0);
    expect(payloads(t, "nested2")).toEqual([]);
    expect(changed.stderr).toContain(`project ${t.repo}: its hooks, rules or MCP servers changed since it was trusted`);

    await grantProjectTrust({ codexHome: t.codexHome, projectRoot: t.repo, cwd: sub() });
    const again = await runCodex(["exec", "--json", "three"], { env: t.env, cwd: sub() });
    expect(again.code, again.stderr).toBe(0);
    expect(payloads(t, "nested2")).toHaveLength(1);
  });

  test("trust granted at the root does not cover a nested hooks.json it never saw", async () => {
    await grantProjectTrust({ codexHome: t.codexHome, projectRoot: t.repo });
    nestedHooks("late");
    server.enqueue(reply());
    const r = await runCodex(["exec", "--json", "hi"], { env: t.env, cwd: sub() });
    expect(r.code, r.stderr).toBe(0);
    expect(payloads(t, "late")).toEqual([]);
    expect(r.stderr).toContain("changed since it was trusted");
  });

  test("a hand-written trust entry (no digest) loads the nested hooks.json of cwd too, as the reference does", async () => {
    const { trustRepoByHand } = await import("../hooks/hook-env.js");
    trustRepoByHand(t, server.url);
    nestedHooks("hand");
    server.enqueue(reply());
    const r = await runCodex(["exec", "--json", "hi"], { env: t.env, cwd: sub() });
    expect(r.code, r.stderr).toBe(0);
    expect(payloads(t, "hand")).toHaveLength(1);
  });
});

describe("user-level hook trust", () => {
  function writeUserHooks(): string {
    const file = path.join(t.codexHome, "hooks.json");
    mkdirSync(t.codexHome, { recursive: true });
    writeFileSync(file, JSON.stringify({ hooks: { UserPromptSubmit: [{ hooks: [{ type: "command", command: recordPayload(t, "u") }] }] } }));
    return file;
  }

  test("without a trust record the hook is skipped silently; with one it runs; an edit untrusts it", async () => {
    const file = writeUserHooks();
    server.enqueue(reply(), reply(), reply());
    const r1 = await runCodex(["exec", "--json", "a"], { env: t.env, cwd: t.repo });
    expect(r1.code, r1.stderr).toBe(0);
    expect(payloads(t, "u")).toEqual([]);

    const [handler] = discoverHooks({ sources: [{ file, scope: "user" }], state: {}, bypassTrust: true }).handlers;
    await grantHookTrust({ codexHome: t.codexHome, handler: handler! });
    expect(readFileSync(path.join(t.codexHome, "config.toml"), "utf8")).toContain(`trusted_hash = "${handler!.hash}"`);
    const r2 = await runCodex(["exec", "--json", "b"], { env: t.env, cwd: t.repo });
    expect(r2.code, r2.stderr).toBe(0);
    expect(payloads(t, "u")).toHaveLength(1);

    const doc = JSON.parse(readFileSync(file, "utf8"));
    doc.hooks.UserPromptSubmit[0].hooks[0].timeout = 5;
    writeFileSync(file, JSON.stringify(doc));
    await runCodex(["exec", "--json", "c"], { env: t.env, cwd: t.repo });
    expect(payloads(t, "u")).toHaveLength(1);
  });

  test("--dangerously-bypass-hook-trust runs them with a warning error item", async () => {
    writeUserHooks();
    server.enqueue(reply());
    const r = await runCodex(["exec", "--json", "--dangerously-bypass-hook-trust", "a"], { env: t.env, cwd: t.repo });
    expect(r.code, r.stderr).toBe(0);
    expect(payloads(t, "u")).toHaveLength(1);
    const errors = parseJsonl(r.stdout).filter((e) => e.item?.type === "error").map((e) => e.item.message);
    expect(errors).toEqual(["`--dangerously-bypass-hook-trust` is enabled. Enabled hooks may run without review for this invocation."]);
    expect(r.stderr).not.toContain("not supported yet");
  });
});
