import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../config/load.js";
import { readAccountState } from "../auth/account.js";
import { saveApiKey } from "../auth/api-key.js";
import { listHooks } from "./list.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
function home(): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "hooks-list-")));
  dirs.push(dir);
  return dir;
}
const load = (codexHome: string) =>
  loadConfig({ codexHome, cwd: codexHome, overrides: [], flags: {}, env: {}, systemConfigPath: path.join(codexHome, "none.toml") });

describe("listHooks", () => {
  it("lists untrusted, trusted, modified and disabled handlers with their trust status", async () => {
    const codexHome = home();
    fs.writeFileSync(
      path.join(codexHome, "hooks.json"),
      JSON.stringify({ hooks: { PreToolUse: [{ matcher: "Bash", hooks: [{ type: "command", command: "echo a" }, { type: "command", command: "echo b" }] }], Stop: [{ hooks: [{ type: "command", command: "echo c" }] }] } }),
    );
    const first = listHooks(await load(codexHome), { env: {} });
    expect(first.hooks.map((h) => [h.handler.event, h.handler.command, h.trustStatus, h.enabled])).toEqual([
      ["PreToolUse", "echo a", "untrusted", true],
      ["PreToolUse", "echo b", "untrusted", true],
      ["Stop", "echo c", "untrusted", true],
    ]);
    const [a, b, c] = first.hooks.map((h) => h.handler);
    fs.writeFileSync(
      path.join(codexHome, "config.toml"),
      [`[hooks.state.${JSON.stringify(a!.key)}]`, `trusted_hash = ${JSON.stringify(a!.hash)}`,
       `[hooks.state.${JSON.stringify(b!.key)}]`, `trusted_hash = "sha256:old"`,
       `[hooks.state.${JSON.stringify(c!.key)}]`, `enabled = false`].join("\n") + "\n",
    );
    const second = listHooks(await load(codexHome), { env: {} });
    expect(second.hooks.map((h) => [h.trustStatus, h.enabled])).toEqual([["trusted", true], ["modified", true], ["untrusted", false]]);
  });
});

describe("readAccountState", () => {
  it("an API key in auth.json is an apiKey account for OpenAI auth, none for a provider with its own key", async () => {
    const codexHome = home();
    const openai = (await loadConfig({ codexHome, cwd: codexHome, overrides: [], flags: {}, env: {} })).modelProvider;
    expect(await readAccountState({ codexHome, provider: openai })).toEqual({ account: null, requiresOpenaiAuth: true, authMode: null });
    await saveApiKey(codexHome, "sk-test-1234567890");
    expect(await readAccountState({ codexHome, provider: openai })).toEqual({ account: { type: "apiKey" }, requiresOpenaiAuth: true, authMode: "apikey" });
    const custom = { ...openai, builtIn: false, requiresOpenaiAuth: false, envKey: "MY_KEY" };
    expect(await readAccountState({ codexHome, provider: custom })).toEqual({ account: null, requiresOpenaiAuth: false, authMode: "apikey" });
  });
});
