// codex completion [bash|zsh|fish]: scripts parse in their shell and offer every subcommand `--help` lists.
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { makeTestEnv, runCodex } from "../support/codex-env.js";

const has = (shell: string) => spawnSync("sh", ["-c", `command -v ${shell}`]).status === 0;

async function script(shell?: string): Promise<{ text: string; file: string; env: ReturnType<typeof makeTestEnv> }> {
  const env = makeTestEnv();
  const r = await runCodex(["completion", ...(shell ? [shell] : [])], { env: env.env, cwd: env.repo });
  expect(r.code, r.stderr).toBe(0);
  const file = path.join(env.home, `codex.${shell ?? "bash"}`);
  writeFileSync(file, r.stdout);
  return { text: r.stdout, file, env };
}

/** Subcommand names from `codex --help` (the parser's own list). */
async function helpSubcommands(): Promise<string[]> {
  const env = makeTestEnv();
  const r = await runCodex(["--help"], { env: env.env, cwd: env.repo });
  env.cleanup();
  const section = r.stdout.split(/^Commands:$/m)[1] ?? "";
  return section
    .split("\n")
    .map((l) => /^ {2}(\S+?)(\|\S+)?\s/.exec(l)?.[1])
    .filter((n): n is string => n !== undefined && n !== "help");
}

/** Runs the bash completion function for a command line and returns its candidates. */
function complete(file: string, words: string[]): string[] {
  const quoted = words.map((w) => `'${w}'`).join(" ");
  const r = spawnSync("bash", ["-c", `source '${file}'; COMP_WORDS=(${quoted}); COMP_CWORD=${words.length - 1}; _codex; printf '%s\\n' "\${COMPREPLY[@]}"`], {
    encoding: "utf8",
    cwd: path.dirname(file),
  });
  expect(r.stderr).toBe("");
  return r.stdout.split("\n").filter(Boolean);
}

describe("codex completion", () => {
  test("bash (the default) parses and lists every subcommand of --help, nested ones and option choices", async () => {
    const { file, env } = await script();
    try {
      expect(spawnSync("bash", ["-n", file]).status).toBe(0);
      const subs = await helpSubcommands();
      expect(subs).toEqual(expect.arrayContaining(["exec", "resume", "fork", "completion", "archive", "unarchive", "delete", "features", "login"]));
      expect(complete(file, ["codex", ""])).toEqual(expect.arrayContaining(subs));
      expect(complete(file, ["codex", "exec", ""])).toEqual(expect.arrayContaining(["resume", "fork"]));
      expect(complete(file, ["codex", "e", "resume", "--l"])).toEqual(expect.arrayContaining(["--last"]));
      // A value option's argument is skipped when finding the subcommand, and its choices are offered.
      expect(complete(file, ["codex", "-m", "gpt-5", "exec", "--sandbox", ""])).toEqual([
        "read-only",
        "workspace-write",
        "danger-full-access",
      ]);
      expect(complete(file, ["codex", "features", ""])).toEqual(expect.arrayContaining(["list", "enable", "disable"]));
    } finally {
      env.cleanup();
    }
  });

  test.skipIf(!has("zsh"))("zsh parses", async () => {
    const { file, env } = await script("zsh");
    expect(spawnSync("zsh", ["-n", file]).status).toBe(0);
    env.cleanup();
  });

  test.skipIf(!has("fish"))("fish parses", async () => {
    const { file, env } = await script("fish");
    expect(spawnSync("fish", ["--no-execute", file]).status).toBe(0);
    env.cleanup();
  });

  test("zsh and fish scripts name every subcommand; an unknown shell is refused", async () => {
    const subs = await helpSubcommands();
    for (const shell of ["zsh", "fish"]) {
      const { text, env } = await script(shell);
      for (const s of subs) expect(text, `${shell}: ${s}`).toContain(`codex ${s}`);
      env.cleanup();
    }
    const env = makeTestEnv();
    const r = await runCodex(["completion", "tcsh"], { env: env.env, cwd: env.repo });
    env.cleanup();
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/tcsh/);
  });
});
