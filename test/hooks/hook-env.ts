// Helpers for hook tests: hooks.json files, hook scripts, and trust entries in a TestEnv.
import { chmodSync, mkdirSync, readFileSync, readdirSync, writeFileSync, appendFileSync } from "node:fs";
import path from "node:path";
import type { TestEnv } from "../support/codex-env.js";
import { fakeProviderConfig } from "../support/codex-env.js";

export type HooksDoc = Record<string, Array<{ matcher?: string; hooks: Array<Record<string, unknown>> }>>;

/** Writes `<repo>/.codex/hooks.json`; returns its path. */
export function writeProjectHooks(t: TestEnv, hooks: HooksDoc): string {
  const dir = path.join(t.repo, ".codex");
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, "hooks.json");
  writeFileSync(file, JSON.stringify({ hooks }, null, 2));
  return file;
}

/** A hand-written trust entry for the repo (no digest: the path is trusted). */
export function trustRepoByHand(t: TestEnv, serverUrl: string, extra = ""): void {
  t.writeConfig(fakeProviderConfig(serverUrl, `\n[projects.${JSON.stringify(t.repo)}]\ntrust_level = "trusted"\n${extra}`));
}

/** An executable shell script under `<repo>/.hooks/`; returns its absolute path. */
export function hookScript(t: TestEnv, name: string, body: string): string {
  const dir = path.join(t.repo, ".hooks");
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
  return file;
}

/** A command that saves its stdin payload as `<repo>/.payloads/<tag>-<n>.json`, then runs `then`. */
export function recordPayload(t: TestEnv, tag: string, then = ""): string {
  const dir = path.join(t.repo, ".payloads");
  mkdirSync(dir, { recursive: true });
  return hookScript(t, `record-${tag}.sh`, `n=$(ls ${dir} | grep -c '^${tag}-')\ncat > ${dir}/${tag}-$n.json\n${then}`);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function payloads(t: TestEnv, tag: string): any[] {
  const dir = path.join(t.repo, ".payloads");
  let names: string[] = [];
  try {
    names = readdirSync(dir).filter((n) => n.startsWith(`${tag}-`));
  } catch {
    return [];
  }
  return names
    .sort((a, b) => Number(a.slice(tag.length + 1, -5)) - Number(b.slice(tag.length + 1, -5)))
    .map((n) => JSON.parse(readFileSync(path.join(dir, n), "utf8")));
}

export function appendConfig(t: TestEnv, text: string): void {
  appendFileSync(path.join(t.codexHome, "config.toml"), `\n${text}\n`);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function messagesOf(input: any[], role: string): string[] {
  return input
    .filter((i) => i.type === "message" && i.role === role)
    .map((i) => (i.content ?? []).map((c: { text?: string }) => c.text ?? "").join(""));
}
