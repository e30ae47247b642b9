import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Command } from "commander";
import { describe, expect, test } from "vitest";
import { registerExecpolicyCommand } from "../../src/cli/commands/execpolicy.js";

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  let exitCode = 0;
  const program = new Command("codex").exitOverride();
  const execpolicy = registerExecpolicyCommand(program, {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    setExitCode: (c) => (exitCode = c),
  });
  // Commander copies exitOverride only to commands created after it; apply it to the subtree.
  for (const cmd of [execpolicy, ...execpolicy.commands]) {
    cmd.exitOverride().configureOutput({ writeErr: (t) => err.push(t) });
  }
  await program.parseAsync(["execpolicy", "check", ...args], { from: "user" });
  return { stdout: out.join(""), stderr: err.join(""), exitCode };
}

async function rulesFile(name: string, text: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "rules-"));
  const file = path.join(dir, name);
  await writeFile(file, text);
  return file;
}

describe("codex execpolicy check", () => {
  test("prints the matched rules and the strictest decision as one JSON line", async () => {
    const file = await rulesFile(
      "a.rules",
      `prefix_rule(pattern=["git", ["push", "fetch"]], decision="prompt", justification="network")\nprefix_rule(pattern=["git"])\n`,
    );
    const result = await run(["-r", file, "--", "git", "push", "origin", "--force"]);
    expect(result).toEqual({
      stdout:
        '{"matchedRules":[{"prefixRuleMatch":{"matchedPrefix":["git","push"],"decision":"prompt","justification":"network"}},' +
        '{"prefixRuleMatch":{"matchedPrefix":["git"],"decision":"allow"}}],"decision":"prompt"}\n',
      stderr: "",
      exitCode: 0,
    });
  });

  test("no match prints an empty list and no decision", async () => {
    const file = await rulesFile("a.rules", `prefix_rule(pattern=["git"])`);
    expect((await run(["--rules", file, "ls", "-la"])).stdout).toBe('{"matchedRules":[]}\n');
  });

  test("repeatable --rules merges files; --pretty indents", async () => {
    const a = await rulesFile("a.rules", `prefix_rule(pattern=["rm"], decision="prompt")`);
    const b = await rulesFile("b.rules", `prefix_rule(pattern=["rm", "-rf"], decision="forbidden")`);
    const result = await run(["-r", a, "-r", b, "--pretty", "--", "rm", "-rf", "/"]);
    expect(JSON.parse(result.stdout)).toEqual({
      matchedRules: [
        { prefixRuleMatch: { matchedPrefix: ["rm"], decision: "prompt" } },
        { prefixRuleMatch: { matchedPrefix: ["rm", "-rf"], decision: "forbidden" } },
      ],
      decision: "forbidden",
    });
    expect(result.stdout).toContain('\n  "matchedRules": [');
  });

  test("a parse error prints Error: file:line: msg and exits 1", async () => {
    const file = await rulesFile("bad.rules", `prefix_rule(pattern=["a"])\nprefix_rule(pattern=["b"], decision="maybe")\n`);
    const result = await run(["-r", file, "--", "a"]);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(`Error: ${file}:2: invalid decision "maybe" (expected "allow", "prompt" or "forbidden")\n`);
    expect(result.exitCode).toBe(1);
  });

  test("a missing file is a one-line error, exit 1", async () => {
    const result = await run(["-r", "/nonexistent/x.rules", "--", "a"]);
    expect(result.stderr).toMatch(/^Error: failed to read rules file \/nonexistent\/x\.rules: /);
    expect(result.exitCode).toBe(1);
  });

  test("--rules is required", async () => {
    await expect(run(["--", "ls"])).rejects.toThrow(/required option '-r, --rules <PATH>'/);
  });

  test("is hidden from help", () => {
    const program = new Command("codex");
    registerExecpolicyCommand(program);
    expect(program.helpInformation()).not.toContain("execpolicy");
  });
});

test("without --, unknown flags stay in the command in order", async () => {
  const file = await rulesFile("a.rules", `prefix_rule(pattern=["git", "status", "-s"], decision="prompt")`);
  expect(JSON.parse((await run(["-r", file, "git", "status", "-s"])).stdout)).toEqual({
    matchedRules: [{ prefixRuleMatch: { matchedPrefix: ["git", "status", "-s"], decision: "prompt" } }],
    decision: "prompt",
  });
});
