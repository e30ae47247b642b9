// Accepted-but-ignored settings warn once each, naming the key (and where it was set) or the flag.
import path from "node:path";
import { describe, expect, test } from "vitest";
import { UNSUPPORTED_SETTINGS } from "../../src/core/config/unsupported.js";
import { sandboxHome, write } from "./helpers.js";

const notSupported = (w: string) => w.includes("is not supported yet; ignored");

describe("settings that do nothing yet", () => {
  test("compact_prompt and tool_output_token_limit in config.toml each warn once, naming the file", async () => {
    const { load, home } = sandboxHome();
    const file = write(path.join(home, "config.toml"), 'tool_output_token_limit = 1000\ncompact_prompt = "x"\n');
    const c = await load();
    expect(c.warnings.filter(notSupported)).toEqual([
      `\`compact_prompt\` in ${file} is not supported yet; ignored`,
      `\`tool_output_token_limit\` in ${file} is not supported yet; ignored`,
    ]);
  });

  test("the same key in the file, the active profile and a -c override warns once; profiles name their table", async () => {
    const { load, home } = sandboxHome();
    write(
      path.join(home, "config.toml"),
      '[profiles.fast]\ntool_output_token_limit = 5\n[profiles.other]\ncompact_prompt = "x"\n',
    );
    const c = await load({ profile: "fast", overrides: ["tool_output_token_limit=7"] });
    expect(c.warnings.filter(notSupported)).toEqual([
      `\`profiles.fast.tool_output_token_limit\` in ${path.join(home, "config.toml")} is not supported yet; ignored`,
    ]);
    const o = await load({ overrides: ["compact_prompt=\"y\""] });
    expect(o.warnings.filter(notSupported)).toEqual([
      `\`compact_prompt\` in -c override 'compact_prompt="y"' is not supported yet; ignored`,
    ]);
  });

  test("a config without them has no such warning", async () => {
    const { load, home } = sandboxHome();
    write(path.join(home, "config.toml"), 'model = "gpt-5.5"\n');
    expect((await load()).warnings).toEqual([]);
  });

  test("hidden flags that are accepted and ignored warn, naming the flag; used flags do not", async () => {
    const { load } = sandboxHome();
    const c = await load({ flags: { givenOptions: ["ignoreRules", "json", "collaborationMode", "threadSource", "model"] } });
    expect(c.warnings).toEqual([
      "`--ignore-rules` is not supported yet; ignored",
      "`--collaboration-mode` is not supported yet; ignored",
    ]);
  });

  test("the table holds each name once", () => {
    const names = UNSUPPORTED_SETTINGS.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe("--local-provider", () => {
  test("lmstudio reaches LM Studio (port 1234, its default model), not Ollama", async () => {
    const { load, home } = sandboxHome();
    write(path.join(home, "config.toml"), 'model = "gpt-5.5"\n');
    const c = await load({ flags: { oss: true, localProvider: "lmstudio" } });
    expect([c.modelProviderId, c.model, c.modelProvider.baseUrl, c.modelProvider.name]).toEqual([
      "lmstudio",
      "openai/gpt-oss-20b",
      "http://localhost:1234/v1",
      "LM Studio",
    ]);
    const ollama = await load({ flags: { oss: true, localProvider: "ollama" } });
    expect([ollama.modelProviderId, ollama.model, ollama.modelProvider.baseUrl]).toEqual([
      "ollama",
      "gpt-oss:20b",
      "http://localhost:11434/v1",
    ]);
  });

  test("CODEX_OSS_BASE_URL / CODEX_OSS_PORT move LM Studio too; model_provider = lmstudio gets its default model", async () => {
    const { load } = sandboxHome();
    const url = await load({ flags: { oss: true, localProvider: "lmstudio" }, env: { CODEX_OSS_BASE_URL: "http://h:2/v1" } });
    expect(url.modelProvider.baseUrl).toBe("http://h:2/v1");
    const port = await load({ flags: { oss: true, localProvider: "lmstudio" }, env: { CODEX_OSS_PORT: "4321" } });
    expect(port.modelProvider.baseUrl).toBe("http://localhost:4321/v1");
    const configured = await load({ overrides: ["model_provider=lmstudio"] });
    expect(configured.model).toBe("openai/gpt-oss-20b");
  });
});
