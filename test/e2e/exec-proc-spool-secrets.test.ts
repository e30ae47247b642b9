// A command that prints the API key (or any well-known key shape) in output long enough to be spooled:
// neither the spool file nor the journal holds the secret, even when it reached us split across chunks.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { fakeProviderConfig, parseJsonl, runCodex, type TestEnv, useFakeServerEnv } from "../support/codex-env.js";
import { sse, type FakeServer } from "../support/fake-responses-server.js";
import { completed, created, functionCall, textMessage } from "../support/sse.js";

const API_KEY = "sk-codexkey-SECRETVALUE-aaaa1111";
// Nobody configured this one: it is caught by its shape.
const SHAPED = "sk-proj-Zq81Lm02Xc93Vb74Nn65Aa56Ss47Dd38";

let server: FakeServer;
let t: TestEnv;

useFakeServerEnv(
  (s, e) => ((server = s), (t = e)),
  (url) => ({ baseUrl: url, apiKey: API_KEY }),
);

// The key is printed in two writes with a pause between them, so it arrives in two chunks; ~1.6 MB of
// filler makes the output spool. The script itself never contains either secret whole.
const half = (s: string) => [s.slice(0, 13), s.slice(13)];
const [k1, k2] = half(API_KEY);
const [s1, s2] = half(SHAPED);
const SCRIPT = [
  `k1='${k1}'; k2='${k2}'; s1='${s1}'; s2='${s2}'`,
  `for i in 1 2 3 4; do head -c 400000 /dev/zero | tr '\\0' x; echo; printf '%s' "$k1"; sleep 0.05; printf '%s\\n' "$k2"; done`,
  `printf 'token=%s' "$s1"; sleep 0.05; printf '%s\\n' "$s2"; printf 'key again %s%s\\n' "$k1" "$k2"`,
].join("\n");

function spoolFiles(): string[] {
  const dir = path.join(t.codexHome, "tmp", "spool");
  return existsSync(dir) ? readdirSync(dir).map((f) => path.join(dir, f)) : [];
}

function rolloutText(id: string): string {
  const dir = path.join(t.codexHome, "sessions");
  const match = readdirSync(dir, { recursive: true, withFileTypes: true }).find(
    (d) => d.isFile() && d.name.endsWith(`-${id}.jsonl`),
  );
  if (!match) throw new Error(`no rollout for ${id}`);
  return readFileSync(path.join(match.parentPath, match.name), "utf8");
}

const CASES: { tool: "exec_command" | "shell_command"; flags: string[] }[] = [
  { tool: "shell_command", flags: ["--dangerously-bypass-approvals-and-sandbox"] },
  { tool: "exec_command", flags: ["--dangerously-bypass-approvals-and-sandbox"] },
  { tool: "exec_command", flags: ["-s", "workspace-write"] },
];

describe("secrets never reach spool files or the journal", () => {
  for (const { tool, flags } of CASES) {
    test(`${tool} ${flags.join(" ")}`, async () => {
      if (tool === "shell_command") {
        t.writeConfig(fakeProviderConfig(server.url, "[features]\nunified_exec = false"));
      }
      const args = tool === "exec_command" ? { cmd: SCRIPT, yield_time_ms: 30_000 } : { command: SCRIPT, timeout_ms: 30_000 };
      server.enqueue(
        sse(created("r1"), functionCall("leak", tool, args), completed("r1")),
        sse(created("r2"), textMessage("printed"), completed("r2")),
      );
      const r = await runCodex(["exec", "--json", ...flags, "print things"], { env: t.env, cwd: t.repo, timeoutMs: 60_000 });
      expect(r.stderr).not.toMatch(/Error:/);
      expect(r.code).toBe(0);

      // The command really printed both secrets: the model saw them (the tail of the output).
      const seen = JSON.stringify(server.requests[1]!.functionCallOutput("leak"));
      expect(seen).toContain(`key again ${API_KEY}`);
      expect(seen).toContain(`token=${SHAPED}`);

      const files = spoolFiles();
      expect(files.length, "the output was spooled").toBeGreaterThan(0);
      const spooled = files.map((f) => readFileSync(f, "utf8")).join("");
      expect(spooled.length).toBeGreaterThan(1_600_000);
      expect(spooled).not.toContain(API_KEY);
      expect(spooled).not.toContain(SHAPED);
      // Each of the five keys and the token became a marker; the filler is all there.
      expect(spooled.match(/\[REDACTED\]/g)?.length).toBe(6);
      expect(spooled).toContain("token=[REDACTED]\n");

      const id = parseJsonl(r.stdout)[0].thread_id;
      const journal = rolloutText(id);
      expect(journal).toContain("key again [REDACTED]");
      expect(journal).not.toContain(API_KEY);
      expect(journal).not.toContain(SHAPED);
    });
  }
});
