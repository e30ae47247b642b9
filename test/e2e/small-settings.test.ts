// Settings that are accepted but do nothing yet warn once each; `--local-provider lmstudio` talks to LM Studio.
import path from "node:path";
import { describe, expect, test } from "vitest";
import { fakeProviderConfig, parseJsonl, runCodex, type TestEnv, useFakeServerEnv } from "../support/codex-env.js";
import { sse, type FakeServer } from "../support/fake-responses-server.js";
import { completed, created, textMessage } from "../support/sse.js";

let server: FakeServer;
let t: TestEnv;

useFakeServerEnv((s, e) => ((server = s), (t = e)));

const count = (text: string, needle: string) => text.split(needle).length - 1;

describe("accepted-but-ignored settings", () => {
  test("compact_prompt, tool_output_token_limit and a hidden flag each warn once; the turn still runs", async () => {
    t.writeConfig(
      fakeProviderConfig(server.url).replace(
        `model = "gpt-5.5"`,
        `model = "gpt-5.5"\ntool_output_token_limit = 1000`,
      ).replace(`model_provider = "fake"`, `compact_prompt = "x"\nmodel_provider = "fake"`),
    );
    const file = path.join(t.codexHome, "config.toml");
    for (const json of [true, false]) {
      server.enqueue(sse(created(), textMessage("ok"), completed()));
      const args = ["exec", ...(json ? ["--json"] : []), "--ignore-rules", "-c", "tool_output_token_limit=5", "hi"];
      const r = await runCodex(args, { env: t.env, cwd: t.repo });
      expect(r.code, r.stderr).toBe(0);
      expect(count(r.stderr, `\`compact_prompt\` in ${file} is not supported yet; ignored`)).toBe(1);
      expect(count(r.stderr, `\`tool_output_token_limit\` in ${file} is not supported yet; ignored`)).toBe(1);
      expect(count(r.stderr, "tool_output_token_limit")).toBe(1);
      expect(count(r.stderr, "`--ignore-rules` is not supported yet; ignored")).toBe(1);
      if (json) expect(parseJsonl(r.stdout).at(-1).type).toBe("turn.completed");
      else expect(r.stdout).toBe("ok\n");
    }
  });

  test("flags we act on do not warn", async () => {
    server.enqueue(sse(created(), textMessage("ok"), completed()));
    const r = await runCodex(["exec", "--json", "--ephemeral", "-s", "read-only", "hi"], { env: t.env, cwd: t.repo });
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain("not supported yet");
  });
});

describe("--local-provider", () => {
  test("lmstudio selects the LM Studio provider and its default model, not Ollama", async () => {
    server.enqueue(sse(created(), textMessage("local"), completed()));
    // CODEX_OSS_BASE_URL moves every local provider; the provider id and model tell which one was chosen.
    const env = { ...t.env, CODEX_OSS_BASE_URL: server.url };
    const r = await runCodex(["exec", "--local-provider", "lmstudio", "hi"], { env, cwd: t.repo });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("provider: lmstudio");
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.body.model).toBe("openai/gpt-oss-20b");
  });
});

describe("model_instructions_file", () => {
  test("replaces the base instructions; a relative path is read from CODEX_HOME", async () => {
    const { writeFileSync } = await import("node:fs");
    writeFileSync(path.join(t.codexHome, "house-rules.md"), "You are the house agent. Answer in French.\n");
    t.writeConfig(`model_instructions_file = "house-rules.md"\n` + fakeProviderConfig(server.url));
    server.enqueue(sse(created(), textMessage("oui"), completed()));
    const r = await runCodex(["exec", "--json", "hi"], { env: t.env, cwd: t.repo });
    expect(r.code, r.stderr).toBe(0);
    const input = server.requests[0]!.body.input as Array<{ role?: string; content?: Array<{ text?: string }> }>;
    const texts = input.flatMap((i) => (i.content ?? []).map((c) => c.text ?? ""));
    expect(input[0]!.role).toBe("developer");
    expect(input[0]!.content![0]!.text).toBe("You are the house agent. Answer in French.\n");
    expect(texts.filter((x) => x.includes("house agent"))).toHaveLength(1);
    expect(r.stderr).not.toContain("model_instructions_file");
  });

  test("an unreadable file is a one-line error naming the key and the path; nothing is sent", async () => {
    t.writeConfig(`model_instructions_file = "/nonexistent/rules.md"\n` + fakeProviderConfig(server.url));
    const r = await runCodex(["exec", "--json", "hi"], { env: t.env, cwd: t.repo });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("model_instructions_file: cannot read /nonexistent/rules.md: ENOENT");
    expect(server.requests).toHaveLength(0);
  });
});
