import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { ResolvedConfig } from "../config/types.js";
import { createStandaloneCommandRunner } from "./standalone-command.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function runner(env: Record<string, string> = { PATH: process.env.PATH ?? "/usr/bin:/bin" }) {
  const codexHome = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "standalone-")));
  dirs.push(codexHome);
  const config = {
    codexHome,
    cwd: codexHome,
    modelProvider: { envKey: "MY_PROVIDER_KEY" },
    shellEnvironmentPolicy: { inherit: "all", ignoreDefaultExcludes: false, exclude: [], includeOnly: [], set: {} },
  } as unknown as ResolvedConfig;
  return { codexHome, run: createStandaloneCommandRunner({ config, env, secrets: [] }) };
}
const full = { mode: "danger-full-access" } as const;
const signal = () => new AbortController().signal;

describe("standalone command", () => {
  it("returns the exit code and both streams", async () => {
    const { run, codexHome } = runner();
    const out = await run.run({ argv: ["bash", "-c", "echo out; echo err >&2; exit 4"], cwd: codexHome, sandbox: full, signal: signal() });
    expect(out).toEqual({ exitCode: 4, stdout: "out\n", stderr: "err\n" });
  });

  it("streams output (not repeated in the result) and stops a stream at its cap", async () => {
    const { run, codexHome } = runner();
    const chunks: Array<{ stream: string; text: string; capReached: boolean }> = [];
    const out = await run.run({
      argv: ["bash", "-c", "printf 0123456789; printf abc >&2"],
      cwd: codexHome,
      sandbox: full,
      outputBytesCap: 4,
      onOutput: (c) => chunks.push({ stream: c.stream, text: c.data.toString(), capReached: c.capReached }),
      signal: signal(),
    });
    expect(out).toEqual({ exitCode: 0, stdout: "", stderr: "" });
    expect(chunks.filter((c) => c.stream === "stdout").map((c) => c.text).join("")).toBe("0123");
    expect(chunks.filter((c) => c.stream === "stdout").at(-1)?.capReached).toBe(true);
    expect(chunks.filter((c) => c.stream === "stderr").map((c) => c.text).join("")).toBe("abc");
  });

  it("a timeout ends with 124; env overrides set and unset; the provider key never passes", async () => {
    const { run, codexHome } = runner({ PATH: process.env.PATH ?? "/usr/bin:/bin", KEEP: "k", DROP: "d", MY_PROVIDER_KEY: "sk-secret" });
    const slow = await run.run({ argv: ["sleep", "5"], cwd: codexHome, sandbox: full, timeoutMs: 200, signal: signal() });
    expect(slow.exitCode).toBe(124);
    const env = await run.run({
      argv: ["bash", "-c", 'echo "$KEEP|${DROP-unset}|$ADDED|${MY_PROVIDER_KEY-none}"'],
      cwd: codexHome,
      sandbox: full,
      envOverrides: { DROP: null, ADDED: "a" },
      signal: signal(),
    });
    expect(env.stdout).toBe("k|unset|a|none\n");
  });

  it("an empty argv is refused", async () => {
    const { run, codexHome } = runner();
    await expect(run.run({ argv: [], cwd: codexHome, sandbox: full, signal: signal() })).rejects.toThrow("command must not be empty");
  });

  it("runs inside the sandbox it is given: a read-only sandbox cannot write the cwd", async () => {
    const { run, codexHome } = runner();
    const out = await run.run({
      argv: ["bash", "-c", "echo x > f.txt && echo wrote"],
      cwd: codexHome,
      sandbox: { mode: "read-only", networkAccess: false },
      signal: signal(),
    });
    expect(out.exitCode).not.toBe(0);
    expect(fs.existsSync(path.join(codexHome, "f.txt"))).toBe(false);
  });
});
