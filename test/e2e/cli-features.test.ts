// `codex features` and the --enable/--disable flags, through the built binary.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse as parseToml } from "smol-toml";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { makeTestEnv, runCodex, type TestEnv } from "../support/codex-env.js";

let t: TestEnv;

beforeEach(() => {
  t = makeTestEnv({ apiKey: null });
});
afterEach(() => t.cleanup());

const LINE = /^(\S+)( +)(stable|experimental|under development|deprecated|removed)( +)(true|false)$/;

function parseList(stdout: string): Map<string, { stage: string; value: boolean }> {
  const out = new Map<string, { stage: string; value: boolean }>();
  for (const line of stdout.split("\n").filter((l) => l !== "")) {
    const m = LINE.exec(line);
    if (!m) throw new Error(`features list line has the wrong shape: ${JSON.stringify(line)}`);
    // Name padded to 41 columns, stage padded to 19, then the value.
    expect(m[1]!.length + m[2]!.length, line).toBe(41);
    expect(m[3]!.length + m[4]!.length, line).toBe(19);
    out.set(m[1]!, { stage: m[3]!, value: m[5] === "true" });
  }
  return out;
}

describe("codex features", () => {
  test("list: sorted, fixed columns, spec defaults", async () => {
    const r = await runCodex(["features", "list"], { env: t.env, cwd: t.repo });
    expect(r.code).toBe(0);
    const flags = parseList(r.stdout);
    const names = [...flags.keys()];
    expect(names).toEqual([...names].sort());
    expect(flags.get("unified_exec")).toEqual({ stage: "stable", value: true });
    expect(flags.get("apps")).toEqual({ stage: "stable", value: true });
    expect(flags.get("memories")).toEqual({ stage: "stable", value: false });
    expect(flags.get("code_mode")).toEqual({ stage: "under development", value: false });
    expect(flags.get("multi_agent")).toEqual({ stage: "deprecated", value: true });
  });

  test("list reflects --enable / --disable / -c", async () => {
    const off = await runCodex(["features", "list", "--disable", "unified_exec"], { env: t.env, cwd: t.repo });
    expect(off.code).toBe(0);
    expect(parseList(off.stdout).get("unified_exec")?.value).toBe(false);
    const on = await runCodex(["features", "list", "--enable", "memories"], { env: t.env, cwd: t.repo });
    expect(parseList(on.stdout).get("memories")?.value).toBe(true);
    const viaC = await runCodex(["features", "list", "-c", "features.memories=true"], { env: t.env, cwd: t.repo });
    expect(parseList(viaC.stdout).get("memories")?.value).toBe(true);
  });

  test("enable/disable write [features] in config.toml and keep other keys", async () => {
    t.writeConfig(`model = "keep-me"\n`);
    const en = await runCodex(["features", "enable", "memories"], { env: t.env, cwd: t.repo });
    expect(en.code).toBe(0);
    const dis = await runCodex(["features", "disable", "unified_exec"], { env: t.env, cwd: t.repo });
    expect(dis.code).toBe(0);
    const cfg = parseToml(readFileSync(path.join(t.codexHome, "config.toml"), "utf8"));
    expect(cfg).toMatchObject({ model: "keep-me", features: { memories: true, unified_exec: false } });
    const list = await runCodex(["features", "list"], { env: t.env, cwd: t.repo });
    const flags = parseList(list.stdout);
    expect(flags.get("memories")?.value).toBe(true);
    expect(flags.get("unified_exec")?.value).toBe(false);
  });

  test("unknown names fail with the spec message and exit 1, writing nothing", async () => {
    const r = await runCodex(["features", "enable", "nope"], { env: t.env, cwd: t.repo });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("Error: Unknown feature flag: nope");
    expect(existsSync(path.join(t.codexHome, "config.toml"))).toBe(false);
    const d = await runCodex(["features", "disable", "nope"], { env: t.env, cwd: t.repo });
    expect(d.code).toBe(1);
    expect(d.stderr).toContain("Unknown feature flag: nope");
  });

  test("exec --enable with an unknown flag errors clearly before any request", async () => {
    const r = await runCodex(["exec", "--json", "--enable", "nope", "hi"], {
      env: { ...t.env, CODEX_API_KEY: "sk-x" },
      cwd: t.repo,
    });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("Unknown feature flag: nope");
    expect(r.stdout).toBe("");
  });
});
