import { mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, test } from "vitest";
import {
  appendAllowPrefixRule,
  evaluate,
  ExecPolicyParseError,
  loadExecPolicy,
  loadExecPolicyOrWarn,
  parseRules,
  type ExecPolicy,
} from "../../src/core/approval/index.js";

function policyOf(text: string): ExecPolicy {
  return { rules: parseRules("t.rules", text) };
}

function parseError(text: string): ExecPolicyParseError {
  try {
    parseRules("/home/u/.codex/rules/bad.rules", text);
  } catch (err) {
    if (err instanceof ExecPolicyParseError) return err;
    throw err;
  }
  throw new Error("expected a parse error");
}

describe("parseRules", () => {
  test("reads comments, both quote styles, trailing commas, multi-line calls and alternatives", () => {
    const rules = parseRules(
      "a.rules",
      `# leading comment
prefix_rule(
    pattern = ['gh', "pr", ["view", "list"],],  # trailing comma
    decision = "prompt",
    justification = "reads " + 'private data',
    match = ["gh pr view 7888", ["gh", "pr", "list"]],
    not_match = ["gh pr --repo openai/codex view 7888"],
)

prefix_rule(pattern=["ls"])
host_executable(name="git", paths=["/usr/bin/git"])
`,
    );
    expect(rules).toEqual([
      {
        pattern: [["gh"], ["pr"], ["view", "list"]],
        decision: "prompt",
        justification: "reads private data",
        source: { file: "a.rules", line: 2 },
      },
      { pattern: [["ls"]], decision: "allow", source: { file: "a.rules", line: 10 } },
    ]);
  });

  test("accepts positional arguments in declaration order", () => {
    expect(parseRules("p.rules", `prefix_rule(["git"], "forbidden")`)[0]?.decision).toBe("forbidden");
  });

  test("reads the one-line form appended by approve-and-remember", () => {
    expect(parseRules("d.rules", `prefix_rule(pattern=["echo", "Hello, world!"], decision="allow")\n`)[0]?.pattern).toEqual([
      ["echo"],
      ["Hello, world!"],
    ]);
  });

  test.each([
    ["unknown function", `prefix_rule(pattern=["a"])\n\nallow_rule(pattern=["b"])`, 3, 'unknown function "allow_rule"'],
    ["bad decision", `prefix_rule(\n  pattern=["a"],\n  decision="deny",\n)`, 3, 'invalid decision "deny"'],
    ["empty pattern", `prefix_rule(pattern=[])`, 1, "pattern cannot be empty"],
    ["missing pattern", `prefix_rule(decision="allow")`, 1, 'missing required argument "pattern"'],
    ["unknown argument", `prefix_rule(pattern=["a"], desicion="allow")`, 1, 'unexpected argument "desicion"'],
    ["unterminated string", `prefix_rule(pattern=["a)\n`, 1, "unterminated string literal"],
    ["missing comma", `prefix_rule(pattern=["a"]\n decision="allow")`, 2, 'expected ","'],
    ["number value", `prefix_rule(pattern=[1])`, 1, "unexpected character"],
    ["empty justification", `prefix_rule(pattern=["a"], justification="  ")`, 1, "justification cannot be empty"],
    ["duplicate argument", `prefix_rule(pattern=["a"], pattern=["b"])`, 1, 'argument "pattern" given twice'],
    ["missing close paren", `prefix_rule(pattern=["a"]`, 1, "expected"],
  ])("%s → error naming file:line", (_name, text, line, fragment) => {
    const err = parseError(text);
    expect(err.file).toBe("/home/u/.codex/rules/bad.rules");
    expect(err.line).toBe(line);
    expect(err.message).toMatch(new RegExp(`^/home/u/\\.codex/rules/bad\\.rules:${line}: `));
    expect(err.message).toContain(fragment);
  });

  test("a match example that does not match fails at the example's line", () => {
    const err = parseError(`prefix_rule(
    pattern = ["gh", "pr", "view"],
    match = [
        "gh pr view 1",
        "gh pr list",
    ],
)`);
    expect(err.message).toBe("/home/u/.codex/rules/bad.rules:5: match example `gh pr list` does not match this rule");
  });

  test("a not_match example that matches fails at the example's line", () => {
    const err = parseError(`prefix_rule(pattern = ["git", ["push", "fetch"]],
    not_match = [["git", "status"], ["git", "fetch", "origin"]])`);
    expect(err.message).toBe("/home/u/.codex/rules/bad.rules:2: not_match example `git fetch origin` matches this rule");
  });

  test("an example string with broken quoting is an error", () => {
    expect(parseError(`prefix_rule(pattern=["a"], match=["a 'b"])`).message).toContain("invalid shell syntax");
  });
});

describe("evaluate", () => {
  const policy = policyOf(`
prefix_rule(pattern=["git"], decision="allow")
prefix_rule(pattern=["git", "push"], decision="prompt", justification="check the branch")
prefix_rule(pattern=["git", "push", "--force"], decision="forbidden")
`);
  test("nothing matched: empty matchedRules and no decision", () => {
    expect(evaluate(policy, ["ls"])).toEqual({ matchedRules: [] });
  });
  test("the strictest decision wins: forbidden > prompt > allow", () => {
    expect(evaluate(policy, ["git", "status"]).decision).toBe("allow");
    expect(evaluate(policy, ["git", "push", "origin"]).decision).toBe("prompt");
    expect(evaluate(policy, ["git", "push", "--force"])).toEqual({
      matchedRules: [
        { prefixRuleMatch: { matchedPrefix: ["git"], decision: "allow" } },
        { prefixRuleMatch: { matchedPrefix: ["git", "push"], decision: "prompt", justification: "check the branch" } },
        { prefixRuleMatch: { matchedPrefix: ["git", "push", "--force"], decision: "forbidden" } },
      ],
      decision: "forbidden",
    });
  });
  test("a prefix longer than the command does not match", () => {
    expect(evaluate(policy, ["git"]).matchedRules).toHaveLength(1);
  });
  test("alternatives at the first position", () => {
    expect(evaluate(policyOf(`prefix_rule(pattern=[["python", "python3"], "-c"], decision="prompt")`), ["python3", "-c", "x"]).decision).toBe(
      "prompt",
    );
  });
});

describe("loadExecPolicy and appendAllowPrefixRule", () => {
  test("loads $CODEX_HOME/rules/*.rules and project .codex/rules in order, ignoring other files", async () => {
    const home = await mkdtemp(path.join(tmpdir(), "codex-home-"));
    const project = await mkdtemp(path.join(tmpdir(), "codex-proj-"));
    await mkdir(path.join(home, "rules"), { recursive: true });
    await mkdir(path.join(project, ".codex", "rules"), { recursive: true });
    await writeFile(path.join(home, "rules", "b.rules"), `prefix_rule(pattern=["b"])`);
    await writeFile(path.join(home, "rules", "a.rules"), `prefix_rule(pattern=["a"], decision="prompt")`);
    await writeFile(path.join(home, "rules", "notes.txt"), `not starlark`);
    await writeFile(path.join(project, ".codex", "rules", "p.rules"), `prefix_rule(pattern=["p"], decision="forbidden")`);
    const policy = await loadExecPolicy({ codexHome: home, projectDirs: [project] });
    expect(policy.rules.map((r) => [r.pattern[0]?.[0], r.decision])).toEqual([
      ["a", "prompt"],
      ["b", "allow"],
      ["p", "forbidden"],
    ]);
  });

  test("a missing rules directory is an empty policy", async () => {
    const home = await mkdtemp(path.join(tmpdir(), "codex-home-"));
    expect(await loadExecPolicy({ codexHome: home })).toEqual({ rules: [] });
  });

  test("a broken file rejects with file:line", async () => {
    const home = await mkdtemp(path.join(tmpdir(), "codex-home-"));
    await mkdir(path.join(home, "rules"));
    const file = path.join(home, "rules", "default.rules");
    await writeFile(file, `prefix_rule(pattern=["a"])\nprefix_rule(pattern=["b"], decision="nope")\n`);
    await expect(loadExecPolicy({ codexHome: home })).rejects.toThrow(`${file}:2: invalid decision "nope"`);
    expect(await loadExecPolicyOrWarn({ codexHome: home })).toEqual({
      policy: { rules: [] },
      warning: `failed to parse rules: ${file}:2: invalid decision "nope" (expected "allow", "prompt" or "forbidden")`,
    });
  });

  test("appends the allow line, creates the directory, adds a missing newline, skips duplicates", async () => {
    const home = await mkdtemp(path.join(tmpdir(), "codex-home-"));
    const file = path.join(home, "rules", "default.rules");
    const rule = await appendAllowPrefixRule(home, ["echo", "Hello, world!"]);
    expect(rule).toEqual({ pattern: [["echo"], ["Hello, world!"]], decision: "allow", source: { file, line: 1 } });
    expect(await readFile(file, "utf8")).toBe(`prefix_rule(pattern=["echo", "Hello, world!"], decision="allow")\n`);

    await writeFile(file, `prefix_rule(pattern=["ls"], decision="allow")`);
    const second = await appendAllowPrefixRule(home, ["npm", "test"]);
    await appendAllowPrefixRule(home, ["npm", "test"]);
    expect(second.source.line).toBe(2);
    expect(await readFile(file, "utf8")).toBe(
      `prefix_rule(pattern=["ls"], decision="allow")\nprefix_rule(pattern=["npm", "test"], decision="allow")\n`,
    );
    // What we write, we can read back.
    const policy = await loadExecPolicy({ codexHome: home });
    expect(evaluate(policy, ["npm", "test", "--watch"]).decision).toBe("allow");
  });

  test("an empty prefix is refused", async () => {
    const home = await mkdtemp(path.join(tmpdir(), "codex-home-"));
    await expect(appendAllowPrefixRule(home, [])).rejects.toThrow("at least one token");
  });
});
