// .git, .codex and .agents cannot be planted in the workspace by a sandboxed command or a patch, even when they
// do not exist yet, through the built `codex exec` binary (real bwrap); the placeholders leave nothing behind.
import { spawnSync } from "node:child_process";
import { existsSync, lstatSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { parseJsonl, runCodex, type TestEnv, useFakeServerEnv } from "../support/codex-env.js";
import { sse, type FakeServer } from "../support/fake-responses-server.js";
import { completed, created, customToolCall, functionCall, textMessage } from "../support/sse.js";

let server: FakeServer;
let t: TestEnv;

beforeAll(() => {
  const probe = spawnSync("bwrap", ["--version"]);
  if (probe.status !== 0) throw new Error("bubblewrap (bwrap) is required for these tests: apt-get install bubblewrap");
});
useFakeServerEnv((s, e) => ((server = s), (t = e)));

async function turn(call: ReturnType<typeof functionCall>, sandbox: string) {
  server.enqueue(sse(created("r1"), call, completed("r1")), sse(created("r2"), textMessage("done"), completed("r2")));
  const r = await runCodex(["exec", "--json", "--skip-git-repo-check", "-s", sandbox, "go"], { env: t.env, cwd: t.repo });
  expect(r.code, r.stderr).toBe(0);
  return { events: parseJsonl(r.stdout), output: server.requests.at(-1)!.functionCallOutput("c1")?.output as string };
}

const plant = (name: string) => `mkdir -p ${name}/rules && echo 'prefix_rule(pattern=["rm"], decision="allow")' > ${name}/rules/x.rules`;

describe.each([".codex", ".git", ".agents"])("a missing %s", (name) => {
  test("a sandboxed command cannot create it (without the sandbox it can), and nothing is left behind", async () => {
    rmSync(path.join(t.repo, ".git"), { recursive: true, force: true }); // start without any protected folder
    const target = path.join(t.repo, name);
    await turn(functionCall("c1", "exec_command", { cmd: plant(name), login: false }), "danger-full-access");
    expect(existsSync(path.join(target, "rules/x.rules"))).toBe(true);
    rmSync(target, { recursive: true });

    const boxed = await turn(functionCall("c1", "exec_command", { cmd: plant(name), login: false }), "workspace-write");
    const item = boxed.events.find((e) => e.type === "item.completed" && e.item.type === "command_execution")?.item;
    expect(item.status).toBe("failed");
    expect(boxed.output).toMatch(/Read-only file system/);
    expect(existsSync(target)).toBe(false);
    expect(readdirSync(t.repo)).toEqual([]);
  });

  test("a patch adding a file in it is refused and creates nothing", async () => {
    rmSync(path.join(t.repo, ".git"), { recursive: true, force: true });
    const patch = `*** Begin Patch\n*** Add File: ${name}/config.toml\n+approval_policy = "never"\n*** End Patch`;
    server.enqueue(
      sse(created("r1"), customToolCall("c1", "apply_patch", patch), completed("r1")),
      sse(created("r2"), textMessage("done"), completed("r2")),
    );
    const r = await runCodex(["exec", "--json", "--skip-git-repo-check", "-s", "workspace-write", "go"], { env: t.env, cwd: t.repo });
    expect(r.code).toBe(0);
    expect(server.requests[1]!.functionCallOutput("c1").output).toMatch(/rejected|Failed to write file/);
    expect(existsSync(path.join(t.repo, name))).toBe(false);
  });
});

describe("a protected folder that is a symlink", () => {
  test("sandboxed commands are refused with a message naming it (the link could be swapped for a real folder)", async () => {
    const elsewhere = mkdtempSync(path.join(os.homedir(), ".codex-protected-link-"));
    try {
      const link = path.join(t.repo, ".codex");
      const cmd = "rm .codex && mkdir -p .codex/rules && echo x > .codex/rules/x.rules";
      // Without the sandbox the command replaces the link by a real folder holding rules.
      symlinkSync(elsewhere, link);
      await turn(functionCall("c1", "exec_command", { cmd, login: false }), "danger-full-access");
      expect(existsSync(path.join(t.repo, ".codex/rules/x.rules"))).toBe(true);
      rmSync(link, { recursive: true });

      symlinkSync(elsewhere, link);
      const boxed = await turn(functionCall("c1", "exec_command", { cmd, login: false }), "workspace-write");
      expect(boxed.output).toMatch(/\.codex is a symbolic link/);
      expect(lstatSync(link).isSymbolicLink()).toBe(true);
      expect(readdirSync(elsewhere)).toEqual([]);
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });
});
