// Claude Code's .claude/settings.json hooks: read when features.claude_hooks_compat is on, with the same
// trust rules (a trusted project's file runs; an untrusted project's does not).
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { runCodex, type TestEnv, useFakeServerEnv, fakeProviderConfig } from "../support/codex-env.js";
import { sse, type FakeServer } from "../support/fake-responses-server.js";
import { completed, created, functionCall, textMessage } from "../support/sse.js";
import { hookScript, trustRepoByHand } from "../hooks/hook-env.js";

let server: FakeServer;
let t: TestEnv;
useFakeServerEnv((s, e) => ((server = s), (t = e)));

function writeClaudeSettings(): void {
  mkdirSync(path.join(t.repo, ".claude"), { recursive: true });
  const deny = hookScript(t, "claude-deny.sh", "cat >/dev/null; echo 'claude says no' >&2; exit 2");
  writeFileSync(
    path.join(t.repo, ".claude", "settings.json"),
    JSON.stringify({ permissions: { allow: [] }, hooks: { PreToolUse: [{ matcher: "Bash", hooks: [{ type: "command", command: deny }] }] } }),
  );
}
const script = () => [
  sse(created("r1"), functionCall("c1", "exec_command", { cmd: "echo ran", login: false }), completed("r1")),
  sse(created("r2"), textMessage("done"), completed("r2")),
];

describe("Claude Code hooks compatibility", () => {
  test("on: a trusted project's .claude/settings.json hooks run", async () => {
    trustRepoByHand(t, server.url, "[features]\nclaude_hooks_compat = true\n");
    writeClaudeSettings();
    server.enqueue(...script());
    const r = await runCodex(["exec", "--json", "-s", "danger-full-access", "go"], { env: t.env, cwd: t.repo });
    expect(r.code, r.stderr).toBe(0);
    expect(server.requests[1]!.functionCallOutput("c1").output).toBe("Command blocked by PreToolUse hook: claude says no. Command: echo ran");
  });

  test("off, or in an untrusted project, they do not", async () => {
    for (const config of [fakeProviderConfig(server.url, `[projects.${JSON.stringify(t.repo)}]\ntrust_level = "trusted"\n`), fakeProviderConfig(server.url, "[features]\nclaude_hooks_compat = true\n")]) {
      t.writeConfig(config);
      writeClaudeSettings();
      server.enqueue(...script());
      const r = await runCodex(["exec", "--json", "-s", "danger-full-access", "go"], { env: t.env, cwd: t.repo });
      expect(r.code, r.stderr).toBe(0);
      expect(server.requests.at(-1)!.functionCallOutput("c1").output).toContain("ran");
      expect(server.requests.at(-1)!.functionCallOutput("c1").output).not.toContain("blocked");
    }
  });
});
