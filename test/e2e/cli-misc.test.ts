// apply_patch front ends, --version/--help/unknown flags, and --color on the human transcript.
import { spawn } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { makeTestEnv, REPO_ROOT, runCodex, type RunResult, type TestEnv } from "../support/codex-env.js";
import { sse, startFakeResponsesServer, type FakeServer } from "../support/fake-responses-server.js";
import { completed, created, functionCall, textMessage } from "../support/sse.js";

const APPLY_PATCH_BIN = path.join(REPO_ROOT, "bin", "apply_patch.js");
const ANSI = /\u001b\[[0-9;]*m/;

let t: TestEnv;
beforeEach(() => {
  t = makeTestEnv({ apiKey: null });
});
afterEach(() => t.cleanup());

function runNode(script: string, o: { cwd: string; stdin: string; env: Record<string, string> }): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script], { cwd: o.cwd, env: o.env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${script} did not finish in time`));
    }, 20_000);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    child.stdin.end(o.stdin);
  });
}

function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!d.isFile() || d.parentPath.includes(`${path.sep}.git`)) continue;
    const p = path.join(d.parentPath, d.name);
    out[path.relative(dir, p)] = readFileSync(p, "utf8");
  }
  return out;
}

describe("apply_patch outside a session", () => {
  test("codex apply_patch PATCH: summary on stdout, exit 0, file written", async () => {
    const patch = "*** Begin Patch\n*** Add File: notes/hello.txt\n+hello there\n*** End Patch";
    const r = await runCodex(["apply_patch", patch], { env: t.env, cwd: t.repo });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("Success. Updated the following files:\nA notes/hello.txt\n");
    expect(readFileSync(path.join(t.repo, "notes/hello.txt"), "utf8")).toBe("hello there\n");
  });

  test("bin/apply_patch.js reads the patch from stdin", async () => {
    writeFileSync(path.join(t.repo, "a.txt"), "one\ntwo\n");
    const r = await runNode(APPLY_PATCH_BIN, {
      cwd: t.repo,
      env: t.env,
      stdin: "*** Begin Patch\n*** Update File: a.txt\n@@\n one\n-two\n+TWO\n*** End Patch\n",
    });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("Success. Updated the following files:\nM a.txt\n");
    expect(readFileSync(path.join(t.repo, "a.txt"), "utf8")).toBe("one\nTWO\n");
  });

  test("bad patches: message on stderr, exit 1, tree unchanged", async () => {
    writeFileSync(path.join(t.repo, "keep.txt"), "unchanged\n");
    const before = snapshot(t.repo);
    // Second hunk fails: the first must not be applied either.
    const partial =
      "*** Begin Patch\n*** Add File: new.txt\n+x\n*** Update File: missing.txt\n@@\n-a\n+b\n*** End Patch";
    const a = await runCodex(["apply_patch", partial], { env: t.env, cwd: t.repo });
    expect(a.code).toBe(1);
    expect(a.stderr).toContain("missing.txt");
    expect(a.stdout).toBe("");
    expect(snapshot(t.repo)).toEqual(before);

    const b = await runNode(APPLY_PATCH_BIN, { cwd: t.repo, env: t.env, stdin: "not a patch at all\n" });
    expect(b.code).toBe(1);
    expect(b.stderr).toMatch(/Invalid patch/);
    expect(snapshot(t.repo)).toEqual(before);
  });
});

describe("parser surface", () => {
  test("--version prints codex-cli <semver>", async () => {
    const r = await runCodex(["--version"], { env: t.env, cwd: t.repo });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^codex-cli \d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?\n$/);
  });

  test("exec --help exits 0 and documents exec flags", async () => {
    const r = await runCodex(["exec", "--help"], { env: t.env, cwd: t.repo });
    expect(r.code).toBe(0);
    for (const flag of ["--json", "--output-last-message", "--skip-git-repo-check", "--color", "--image"]) {
      expect(r.stdout).toContain(flag);
    }
  });

  test("an unknown flag on a subcommand exits 2 with clap's message", async () => {
    for (const args of [["exec", "--no-such-flag", "hi"], ["features", "list", "--bogus"], ["login", "--nope"]]) {
      const r = await runCodex(args, { env: t.env, cwd: t.repo });
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toContain(`error: unexpected argument '${args.find((a) => a.startsWith("--"))}' found`);
    }
  });
});

describe("human output colour", () => {
  let server: FakeServer;
  beforeEach(async () => {
    server = await startFakeResponsesServer();
    t.writeConfig(
      [
        `model = "gpt-5.5"`,
        `model_provider = "fake"`,
        `[model_providers.fake]`,
        `name = "fake"`,
        `base_url = "${server.url}"`,
        `env_key = "CODEX_API_KEY"`,
      ].join("\n"),
    );
    t.env.CODEX_API_KEY = "sk-color-test";
  });
  afterEach(() => server.close());

  const script = () =>
    server.enqueue(
      sse(created("r1"), functionCall("c1", "exec_command", { cmd: "echo colourful" }), completed("r1")),
      sse(created("r2"), textMessage("Final words."), completed("r2")),
    );

  test("--color always styles the transcript; the header is there", async () => {
    script();
    const env = { ...t.env };
    delete env.NO_COLOR;
    const r = await runCodex(["exec", "--color", "always", "--dangerously-bypass-approvals-and-sandbox", "hi"], {
      env,
      cwd: t.repo,
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(ANSI);
    const plain = r.stderr.replace(/\u001b\[[0-9;]*m/g, "");
    expect(plain).toMatch(/^OpenAI Codex v\d+\.\d+\.\d+/m);
    expect(plain).toContain("--------");
    for (const key of ["workdir: ", "model: gpt-5.5", "provider: fake", "approval: never", "sandbox: danger-full-access", "reasoning effort: ", "reasoning summaries: ", "session id: "]) {
      expect(plain).toContain(key);
    }
    expect(plain).toMatch(/^user\nhi$/m);
    expect(plain).toContain("colourful");
    // stdout is the final message, unstyled.
    expect(r.stdout).toBe("Final words.\n");
  });

  test("--color never has no escape codes anywhere", async () => {
    script();
    const env = { ...t.env };
    delete env.NO_COLOR;
    const r = await runCodex(["exec", "--color", "never", "--dangerously-bypass-approvals-and-sandbox", "hi"], {
      env,
      cwd: t.repo,
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("session id: ");
    expect(r.stderr).not.toMatch(/\u001b\[/);
    expect(r.stdout).toBe("Final words.\n");
  });

  test("--color auto on a pipe has no escape codes", async () => {
    script();
    const env = { ...t.env };
    delete env.NO_COLOR;
    const r = await runCodex(["exec", "--color", "auto", "--dangerously-bypass-approvals-and-sandbox", "hi"], {
      env,
      cwd: t.repo,
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("session id: ");
    expect(r.stderr).not.toMatch(/\u001b\[/);
  });

  test("--color with a bad value exits 2", async () => {
    const r = await runCodex(["exec", "--color", "purple", "hi"], { env: t.env, cwd: t.repo });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("purple");
    expect(server.requests).toHaveLength(0);
  });
});
