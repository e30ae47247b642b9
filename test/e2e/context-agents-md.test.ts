// AGENTS.md discovery as seen by the model: global, project root and cwd docs in the first request.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { makeTestEnv, runCodex, type TestEnv } from "../support/codex-env.js";
import { sse, startFakeResponsesServer, type FakeServer } from "../support/fake-responses-server.js";
import { completed, created, textMessage } from "../support/sse.js";

let server: FakeServer;
let t: TestEnv;
let sub: string;

beforeEach(async () => {
  server = await startFakeResponsesServer();
  t = makeTestEnv({ baseUrl: server.url });
  sub = path.join(t.repo, "pkg", "inner");
  mkdirSync(sub, { recursive: true });
});
afterEach(async () => {
  await server.close();
  t.cleanup();
});

async function firstRequestText(args: string[] = []): Promise<string> {
  server.enqueue(sse(created(), textMessage("ok"), completed()));
  const r = await runCodex(["exec", "--json", ...args, "go"], { env: t.env, cwd: sub });
  expect(r.stderr).not.toMatch(/Error:/);
  expect(r.code).toBe(0);
  return server.requests.at(-1)!.inputText();
}

describe("AGENTS.md in the model input", () => {
  test("global, repo root and cwd docs all arrive, in that order, before the prompt", async () => {
    writeFileSync(path.join(t.codexHome, "AGENTS.md"), "GLOBAL-RULE-111\n");
    writeFileSync(path.join(t.repo, "AGENTS.md"), "ROOT-RULE-222\n");
    writeFileSync(path.join(sub, "AGENTS.md"), "SUBDIR-RULE-333\n");
    const text = await firstRequestText();
    const g = text.indexOf("GLOBAL-RULE-111");
    const r = text.indexOf("ROOT-RULE-222");
    const s = text.indexOf("SUBDIR-RULE-333");
    expect(g).toBeGreaterThanOrEqual(0);
    expect(r).toBeGreaterThan(g);
    expect(s).toBeGreaterThan(r);
    // The docs come before what the person typed.
    const req = server.requests[0]!;
    expect(req.lastUserText()).toBe("go");
    const users = req.input.filter((i) => i.type === "message" && i.role === "user");
    expect(JSON.stringify(users[0])).toContain("ROOT-RULE-222");
  });

  test("AGENTS.override.md beats AGENTS.md in the same directory only", async () => {
    writeFileSync(path.join(t.repo, "AGENTS.md"), "ROOT-PLAIN\n");
    writeFileSync(path.join(t.repo, "AGENTS.override.md"), "ROOT-OVERRIDE\n");
    writeFileSync(path.join(sub, "AGENTS.md"), "SUB-PLAIN\n");
    const text = await firstRequestText();
    expect(text).toContain("ROOT-OVERRIDE");
    expect(text).not.toContain("ROOT-PLAIN");
    expect(text).toContain("SUB-PLAIN");
  });

  test("global AGENTS.override.md beats the global AGENTS.md; fallback names apply when no AGENTS.md", async () => {
    writeFileSync(path.join(t.codexHome, "AGENTS.md"), "GLOBAL-PLAIN\n");
    writeFileSync(path.join(t.codexHome, "AGENTS.override.md"), "GLOBAL-OVERRIDE\n");
    writeFileSync(path.join(t.repo, "CLAUDE.md"), "FALLBACK-DOC\n");
    const without = await firstRequestText();
    expect(without).toContain("GLOBAL-OVERRIDE");
    expect(without).not.toContain("GLOBAL-PLAIN");
    expect(without).not.toContain("FALLBACK-DOC");
    const withFallback = await firstRequestText(["-c", 'project_doc_fallback_filenames=["CLAUDE.md"]']);
    expect(withFallback).toContain("FALLBACK-DOC");
  });

  test("docs above the project root are not read", async () => {
    writeFileSync(path.join(path.dirname(t.repo), "AGENTS.md"), "ABOVE-ROOT\n");
    writeFileSync(path.join(t.repo, "AGENTS.md"), "ROOT-ONLY\n");
    const text = await firstRequestText();
    expect(text).toContain("ROOT-ONLY");
    expect(text).not.toContain("ABOVE-ROOT");
  });

  test("-c project_doc_max_bytes caps the project docs; 0 drops them", async () => {
    writeFileSync(path.join(t.repo, "AGENTS.md"), "CAPPED-" + "x".repeat(200) + "-TAILMARK\n");
    writeFileSync(path.join(sub, "AGENTS.md"), "SUB-AFTER-CAP\n");
    const capped = await firstRequestText(["-c", "project_doc_max_bytes=20"]);
    expect(capped).toContain("CAPPED-xxxx");
    expect(capped).not.toContain("TAILMARK");
    expect(capped).not.toContain("SUB-AFTER-CAP");
    const off = await firstRequestText(["-c", "project_doc_max_bytes=0"]);
    expect(off).not.toContain("CAPPED-");
  });
});
