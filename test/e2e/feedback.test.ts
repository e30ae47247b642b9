// codex feedback: the built binary writes one thread's bundle (journal + log lines, scrubbed) and prints its path.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { parseJsonl, runCodex, type TestEnv, useFakeServerEnv } from "../support/codex-env.js";
import { sse, type FakeServer } from "../support/fake-responses-server.js";
import { completed, created, textMessage } from "../support/sse.js";
import { untarGz } from "../feedback/untar.js";

let server: FakeServer;
let t: TestEnv;

useFakeServerEnv((s, e) => ((server = s), (t = e)));

async function execTurn(prompt: string): Promise<string> {
  server.enqueue(sse(created(), textMessage(`answer to ${prompt}`), completed()));
  const r = await runCodex(["exec", "--json", prompt], { env: t.env, cwd: t.repo });
  expect(r.code, r.stderr + r.stdout).toBe(0);
  return parseJsonl(r.stdout)[0].thread_id;
}

describe("codex feedback", () => {
  test("exports the named thread (or the newest) and prints the bundle's path", async () => {
    const first = await execTurn(`first, key ${t.env.CODEX_API_KEY}`);
    const second = await execTurn("second");

    const named = await runCodex(["feedback", "--thread", first], { env: t.env, cwd: t.repo });
    expect(named.code, named.stderr).toBe(0);
    const bundlePath = named.stdout.trim();
    expect(path.dirname(bundlePath)).toBe(path.join(t.codexHome, "feedback"));
    const files = untarGz(readFileSync(bundlePath));
    const journalName = [...files.keys()].find((n) => n.startsWith("rollout-"))!;
    expect(journalName).toContain(first);
    const everything = [...files.values()].join("\n");
    expect(everything).not.toContain(t.env.CODEX_API_KEY);
    expect(files.get(journalName)).toContain("first, key [REDACTED]");
    expect(JSON.parse(files.get("metadata.json")!)).toMatchObject({ thread_id: first });

    const newest = await runCodex(["feedback"], { env: t.env, cwd: t.repo });
    expect(newest.code, newest.stderr).toBe(0);
    expect(JSON.parse(untarGz(readFileSync(newest.stdout.trim())).get("metadata.json")!)).toMatchObject({ thread_id: second });

    const unknown = await runCodex(["feedback", "--thread", "no-such-thread"], { env: t.env, cwd: t.repo });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe("Error: No saved session found with ID no-such-thread\n");
    expect(unknown.stdout).toBe("");
  });
});
