import { describe, expect, test } from "vitest";
import { createSettingsUpdateObserver, seenFromTurnContext, settingsUpdateItems } from "../../src/core/context/settings-update.js";
import type { PromptSettings } from "../../src/core/thread/thread-observer.js";
import type { SandboxPolicy } from "../../src/protocol/policy.js";

const ww: SandboxPolicy = { mode: "workspace-write", writableRoots: ["/extra", "/repo"], networkAccess: false, excludeSlashTmp: false, excludeTmpdirEnvVar: false };
const current: PromptSettings = { cwd: "/repo", approvalPolicy: "on-request", sandboxPolicy: ww, model: "gpt-5.5" };
const at = { shell: "/bin/bash", now: new Date(2026, 11, 1), timezone: "Etc/UTC" };
const kinds = (items: unknown[]) => (items as Array<{ role: string; content: Array<{ text: string }> }>).map((i) => `${i.role}:${i.content[0]!.text.split("\n")[0]}`);

describe("settingsUpdateItems", () => {
  test("nothing changed (writable roots in another order too): nothing to tell", () => {
    expect(settingsUpdateItems({ ...at, seen: { ...current, sandboxPolicy: { ...(ww as Extract<SandboxPolicy, { mode: "workspace-write" }>), writableRoots: ["/repo", "/extra"] } }, current })).toEqual([]);
  });

  test("each change brings its messages, in the reference's order", () => {
    expect(kinds(settingsUpdateItems({ ...at, seen: { ...current, model: "gpt-5.4" }, current }))).toEqual(["developer:<model_switch>"]);
    expect(kinds(settingsUpdateItems({ ...at, seen: { ...current, approvalPolicy: "never" }, current }))).toEqual(["developer:<permissions instructions>"]);
    expect(kinds(settingsUpdateItems({ ...at, seen: { ...current, sandboxPolicy: { ...(ww as Extract<SandboxPolicy, { mode: "workspace-write" }>), networkAccess: true } }, current }))).toEqual([
      "developer:<permissions instructions>",
      "user:<environment_context>",
    ]);
    const all = settingsUpdateItems({ ...at, seen: { cwd: "/old", approvalPolicy: "never", sandboxPolicy: { mode: "read-only", networkAccess: false }, model: "m" }, current });
    expect(kinds(all)).toEqual(["developer:<model_switch>", "developer:<permissions instructions>", "user:<environment_context>"]);
    expect(JSON.stringify(all[2])).toContain("<cwd>/repo</cwd>");
  });

  test("unknown settings (a rollout we could not read) are told", () => {
    expect(kinds(settingsUpdateItems({ ...at, seen: {}, current }))).toEqual(["developer:<model_switch>", "developer:<permissions instructions>", "user:<environment_context>"]);
  });
});

describe("seenFromTurnContext", () => {
  test("our turn_context and the reference's sandbox shape", () => {
    expect(seenFromTurnContext({ turn_id: "t", cwd: "/repo", approval_policy: "on-request", sandbox_policy: ww, model: "gpt-5.5" })).toEqual(current);
    expect(
      seenFromTurnContext({
        turn_id: "t",
        cwd: "/repo",
        approval_policy: "never",
        sandbox_policy: { type: "workspace-write", writable_roots: ["/repo"], network_access: true, exclude_tmpdir_env_var: false, exclude_slash_tmp: true },
        model: "gpt-5.4",
      }).sandboxPolicy,
    ).toEqual({ mode: "workspace-write", writableRoots: ["/repo"], networkAccess: true, excludeTmpdirEnvVar: false, excludeSlashTmp: true });
    expect(seenFromTurnContext({ turn_id: "t", cwd: "/repo", approval_policy: "sometimes", sandbox_policy: { type: "weird" }, model: "m" })).toEqual({ cwd: "/repo", model: "m" });
  });
});

test("the observer tells a change once", async () => {
  const ob = createSettingsUpdateObserver({ seen: current, shell: "/bin/bash", now: () => at.now, timezone: () => "Etc/UTC" });
  const ask = (settings: PromptSettings) => ob.beforeTurn!({ turnId: "t", origin: "user", prompt: "p", emit: () => {}, signal: new AbortController().signal, settings });
  expect(await ask(current)).toEqual({ type: "continue" });
  const next = { ...current, approvalPolicy: "never" as const };
  const told = async (settings: PromptSettings) => {
    const v = await ask(settings);
    return v.type === "continue" ? kinds(v.before ?? []) : ["blocked"];
  };
  expect(await told(next)).toEqual(["developer:<permissions instructions>"]);
  expect(await told(next)).toEqual([]);
  expect(await told(current)).toEqual(["developer:<permissions instructions>"]);
});
