// Secrets in the parent env never reach model-run commands, the model, or the rollout.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { parseJsonl, runCodex, type TestEnv, useFakeServerEnv } from "../support/codex-env.js";
import { sse, type FakeServer } from "../support/fake-responses-server.js";
import { completed, created, functionCall, textMessage } from "../support/sse.js";

const CODEX_KEY = "sk-codexkey-SECRETVALUE-aaaa1111";
const OPENAI_KEY = "sk-openaikey-SECRETVALUE-bbbb2222";
const TOKEN = "tok-MYSECRET-cccc3333";

let server: FakeServer;
let t: TestEnv;

useFakeServerEnv(
  (s, e) => ((server = s), (t = e)),
  (url) => ({ baseUrl: url, apiKey: CODEX_KEY }),
);

for (const mode of [["--dangerously-bypass-approvals-and-sandbox"], ["-s", "workspace-write"]]) {
  describe(`secrets with ${mode.join(" ")}`, () => {
    test("env run by the model shows none of the keys; the rollout has no API key", async () => {
      const env = { ...t.env, OPENAI_API_KEY: OPENAI_KEY, MY_SECRET_TOKEN: TOKEN, HARMLESS_VAR: "visible-value" };
      server.enqueue(
        sse(created("r1"), functionCall("c1", "exec_command", { cmd: "env" }), completed("r1")),
        sse(created("r2"), textMessage("seen"), completed("r2")),
      );
      const r = await runCodex(["exec", "--json", ...mode, "show env"], { env, cwd: t.repo });
      expect(r.stderr).not.toMatch(/Error:/);
      expect(r.code).toBe(0);
      const out = server.requests[1]!.functionCallOutput("c1");
      expect(out, "no output for the env call").toBeDefined();
      const text = JSON.stringify(out);
      // The command really ran and listed the environment.
      expect(text).toContain("HARMLESS_VAR=visible-value");
      for (const secret of [CODEX_KEY, OPENAI_KEY, TOKEN]) expect(text).not.toContain(secret);
      for (const secret of [CODEX_KEY, OPENAI_KEY, TOKEN]) expect(r.stdout).not.toContain(secret);

      const id = parseJsonl(r.stdout)[0].thread_id;
      const rollout = readFileSync(findRollout(t.codexHome, id), "utf8");
      expect(rollout).toContain("HARMLESS_VAR");
      for (const secret of [CODEX_KEY, OPENAI_KEY, TOKEN]) expect(rollout).not.toContain(secret);
    });
  });
}

function findRollout(codexHome: string, id: string): string {
  const dir = path.join(codexHome, "sessions");
  if (!existsSync(dir)) throw new Error("no sessions dir");
  const match = readdirSync(dir, { recursive: true, withFileTypes: true }).find(
    (d) => d.isFile() && d.name.endsWith(`-${id}.jsonl`),
  );
  if (!match) throw new Error(`no rollout for ${id}`);
  return path.join(match.parentPath, match.name);
}
