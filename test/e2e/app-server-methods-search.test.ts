// fuzzyFileSearch and feedback/upload over stdio against the built binary.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fakeProviderConfig, makeTestEnv, type TestEnv } from "../support/codex-env.js";
import { startFakeResponsesServer, sse, type FakeServer } from "../support/fake-responses-server.js";
import { completed, created, textMessage } from "../support/sse.js";
import { methodsSchemaProblems, startAppServer, type AppServerClient } from "./app-server-methods-client.js";

let server: FakeServer;
let t: TestEnv;
let c: AppServerClient;

beforeEach(async () => {
  server = await startFakeResponsesServer();
  t = makeTestEnv({ baseUrl: server.url });
  t.writeConfig(`approval_policy = "never"\n` + fakeProviderConfig(server.url));
  c = await startAppServer({ env: t.env, cwd: t.repo });
});
afterEach(async () => {
  // Every message the test saw validates against the reference's schema and ours.
  const problems = c ? methodsSchemaProblems(c) : [];
  await c.close();
  await server.close();
  t.cleanup();
  expect(problems).toEqual([]);
});

describe("fuzzyFileSearch", () => {
  it("finds files under the roots with highlight indices; ignored files are left out", async () => {
    fs.mkdirSync(path.join(t.repo, "src"), { recursive: true });
    fs.writeFileSync(path.join(t.repo, "README.md"), "hi");
    fs.writeFileSync(path.join(t.repo, "src", "reader.ts"), "x");
    fs.writeFileSync(path.join(t.repo, "src", "other.ts"), "x");
    fs.writeFileSync(path.join(t.repo, ".gitignore"), "ignored-reader.log\n");
    fs.writeFileSync(path.join(t.repo, "ignored-reader.log"), "x");
    execFileSync("git", ["add", "-A"], { cwd: t.repo });
    const { result } = await c.request("fuzzyFileSearch", { query: "rea", roots: [t.repo], cancellationToken: null });
    const paths = result.files.map((f: { path: string }) => f.path).sort();
    expect(paths).toEqual(["README.md", "src/reader.ts"]);
    const readme = result.files.find((f: { path: string }) => f.path === "README.md");
    expect(readme).toEqual({ root: t.repo, path: "README.md", match_type: "file", file_name: "README.md", score: expect.any(Number), indices: [0, 1, 2] });
    const bad = await c.request("fuzzyFileSearch", { query: "x", roots: "here" });
    expect(bad.error).toMatchObject({ code: -32602, message: expect.stringContaining("roots") });
  });
});

describe("feedback/upload", () => {
  it("writes the thread's bundle under $CODEX_HOME/feedback and names it; an unknown thread is refused", async () => {
    server.enqueue(sse(created("r1"), textMessage("hello"), completed("r1")));
    const { result: started } = await c.request("thread/start", {});
    const threadId = started.thread.id;
    const from = c.seen.length;
    await c.request("turn/start", { threadId, input: [{ type: "text", text: "hi", text_elements: [] }] });
    await c.notification("turn/completed", undefined, { from });
    const { result } = await c.request("feedback/upload", { classification: "bug", reason: "it broke", threadId, includeLogs: true });
    expect(result).toMatchObject({ threadId, promptHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(path.dirname(result.bundlePath)).toBe(path.join(t.codexHome, "feedback"));
    expect(result.bundlePath.endsWith(".tar.gz")).toBe(true);
    expect(fs.statSync(result.bundlePath).size).toBeGreaterThan(0);
    const listing = execFileSync("tar", ["tzf", result.bundlePath], { encoding: "utf8" });
    expect(listing).toMatch(/metadata\.json/);
    const unknown = await c.request("feedback/upload", { classification: "bug", threadId: "019a0000-0000-7000-8000-000000000000" });
    expect(unknown.error).toMatchObject({ code: -32600, message: expect.stringContaining("019a0000-0000-7000-8000-000000000000") });
    const bad = await c.request("feedback/upload", { reason: "no classification" });
    expect(bad.error).toMatchObject({ code: -32602, message: expect.stringContaining("classification") });
  });
});
