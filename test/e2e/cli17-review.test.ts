// codex review / codex exec review against the fake server: the request carries the diff and review
// instructions, the sandbox is read-only whatever the config says, the output schema is honoured, and
// the findings come back as a prioritized list with file:line references.
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeEach, describe, expect, test } from "vitest";
import { fakeProviderConfig, parseJsonl, runCodex, type TestEnv, useFakeServerEnv } from "../support/codex-env.js";
import { sse, type FakeServer } from "../support/fake-responses-server.js";
import { completed, created, textMessage } from "../support/sse.js";

let server: FakeServer;
let t: TestEnv;

useFakeServerEnv((s, e) => ((server = s), (t = e)));

const git = (...args: string[]) => {
  const r = spawnSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], { cwd: t.repo, encoding: "utf8" });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.trim();
};

beforeEach(() => {
  // workspace-write in the config: a review must still run read-only.
  t.writeConfig(`sandbox_mode = "workspace-write"\nreview_model = "gpt-5.2-codex"\n${fakeProviderConfig(server.url)}`);
  writeFileSync(path.join(t.repo, "calc.py"), "def add(a, b):\n    return a + b\n");
  git("add", "calc.py");
  git("commit", "-qm", "initial");
  writeFileSync(path.join(t.repo, "calc.py"), "def add(a, b):\n    return a + b\n\ndef div(a, b):\n    return a / b\n");
  git("add", "calc.py");
});

const finding = (title: string, priority: number, line: number, confidence = 0.8) => ({
  title,
  body: `body of ${title}`,
  confidence_score: confidence,
  priority,
  code_location: { absolute_file_path: path.join(t.repo, "calc.py"), line_range: { start: line, end: line + 1 } },
});

const reviewJson = () =>
  JSON.stringify({
    findings: [finding("Minor naming", 3, 4, 0.4), finding("Division by zero crashes", 0, 5, 0.9), finding("No test for div", 2, 4)],
    overall_correctness: "patch is incorrect",
    overall_explanation: "div fails on b == 0.",
    overall_confidence_score: 0.85,
  });

describe("codex review", () => {
  test("staged change: diff and review instructions in the request, read-only sandbox, prioritized findings on stdout and in -o", async () => {
    writeFileSync(path.join(t.repo, "NOTES.md"), "untracked note\n");
    server.enqueue(sse(created(), textMessage(reviewJson()), completed()));
    const out = path.join(t.home, "review.txt");
    const r = await runCodex(["review", "-o", out], { env: t.env, cwd: t.repo });
    expect(r.code, r.stderr).toBe(0);

    const req = server.requests[0]!;
    expect(req.body.model).toBe("gpt-5.2-codex"); // review_model
    const text = req.inputText();
    expect(text).toContain("Review the uncommitted changes");
    expect(text).toContain("+def div(a, b):");
    expect(text).toContain("+    return a / b");
    expect(text).toContain("+++ b/NOTES.md\n@@ -0,0 +1 @@\n+untracked note");
    expect(text).toContain("# Review mode");
    expect(text).toContain("Sandbox: read-only.");
    expect(text).not.toContain("Sandbox: workspace-write");
    expect(text).toMatch(/<permission_profile type="managed"><file_system type="restricted"><entry access="read"><special>:root<\/special><\/entry><\/file_system>/);
    expect(text).not.toContain('access="write"');
    // The review's own schema is the response format.
    expect(req.body.text.format).toMatchObject({ type: "json_schema", strict: true });
    expect(req.body.text.format.schema.required).toEqual(["findings", "overall_correctness", "overall_explanation", "overall_confidence_score"]);

    const expected = [
      "Review of uncommitted changes: 3 findings",
      "",
      "1. [P0] Division by zero crashes — calc.py:5-6",
      "   body of Division by zero crashes",
      "",
      "2. [P2] No test for div — calc.py:4-5",
      "   body of No test for div",
      "",
      "3. [P3] Minor naming — calc.py:4-5",
      "   body of Minor naming",
      "",
      "Verdict: patch is incorrect (confidence 0.85)",
      "div fails on b == 0.",
    ].join("\n");
    expect(r.stdout).toBe(`${expected}\n`);
    expect(readFileSync(out, "utf8")).toBe(expected);
  });

  test("exec review --json --output-schema: the person's schema is sent and the final message is left as the model wrote it", async () => {
    const schema = {
      type: "object",
      additionalProperties: false,
      required: ["verdict"],
      properties: { verdict: { type: "string" } },
    };
    const schemaFile = path.join(t.home, "schema.json");
    writeFileSync(schemaFile, JSON.stringify(schema));
    server.enqueue(sse(created(), textMessage('{"verdict":"ok"}'), completed()));
    const out = path.join(t.home, "last.txt");
    // `-`: the extra instructions come from stdin.
    const r = await runCodex(["exec", "review", "--json", "--output-schema", schemaFile, "-o", out, "-"], {
      env: t.env,
      cwd: t.repo,
      stdin: "look at div only\n",
    });
    expect(r.code, r.stderr).toBe(0);
    const req = server.requests[0]!;
    expect(req.body.text.format.schema).toEqual(schema);
    expect(req.inputText()).toContain("look at div only");
    expect(req.inputText()).toContain("+def div(a, b):");
    const events = parseJsonl(r.stdout);
    expect(events[0]).toMatchObject({ type: "thread.started" });
    expect(events.find((e) => e.type === "item.completed" && e.item.type === "agent_message")?.item.text).toBe('{"verdict":"ok"}');
    expect(events.at(-1)).toMatchObject({ type: "turn.completed" });
    expect(readFileSync(out, "utf8")).toBe('{"verdict":"ok"}');
  });

  test("--commit SHA reviews that commit; --base BRANCH the changes since the merge base", async () => {
    git("commit", "-qm", "add div");
    const sha = git("rev-parse", "HEAD");
    server.enqueue(sse(created(), textMessage(reviewJson()), completed()), sse(created(), textMessage(reviewJson()), completed()));
    const c = await runCodex(["review", "--commit", sha, "--title", "add div"], { env: t.env, cwd: t.repo });
    expect(c.code, c.stderr).toBe(0);
    expect(server.requests[0]!.inputText()).toContain(`Review the commit ${sha.slice(0, 12)} (add div)`);
    expect(server.requests[0]!.inputText()).toContain("+def div(a, b):");
    expect(c.stdout).toMatch(/^Review of commit [0-9a-f]{12} \(add div\): 3 findings\n/);

    const first = git("rev-list", "--max-parents=0", "HEAD");
    git("branch", "base-branch", first);
    const b = await runCodex(["exec", "review", "--json", "-m", "gpt-5.4", "--base", "base-branch"], { env: t.env, cwd: t.repo });
    expect(b.code, b.stderr).toBe(0);
    // JSONL carries the rendered findings as the final agent message, as the reference does.
    const message = parseJsonl(b.stdout).find((e) => e.type === "item.completed" && e.item.type === "agent_message")?.item.text;
    expect(message).toMatch(/^Review of changes against base-branch: 3 findings\n\n1\. \[P0\] Division by zero crashes — calc\.py:5-6\n/);
    expect(server.requests[1]!.body.model).toBe("gpt-5.4"); // -m beats review_model
    expect(server.requests[1]!.inputText()).toContain("Review the changes against base-branch");
    expect(server.requests[1]!.inputText()).toContain("+    return a / b");
  });

  test("nothing to review, an unknown commit, or two targets: one-line error and no request", async () => {
    git("commit", "-qm", "add div");
    const cases: Array<[string[], number, RegExp]> = [
      [["review"], 1, /^Error: nothing to review: git shows no uncommitted changes$/],
      [["exec", "review", "--commit", "deadbeef"], 1, /^Error: unknown commit 'deadbeef'/],
      [["review", "--base", "main", "--commit", "HEAD"], 2, /^error: --base and --commit cannot be used together$/],
    ];
    for (const [args, code, message] of cases) {
      const r = await runCodex(args, { env: t.env, cwd: t.repo });
      expect(r.code, args.join(" ")).toBe(code);
      expect(r.stderr.trim().split("\n")).toEqual([expect.stringMatching(message)]);
    }
    expect(server.requests).toHaveLength(0);
  });
});
