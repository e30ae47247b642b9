import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { Command } from "commander";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerSandboxCommand, type SandboxConfigRequest } from "../../src/cli/commands/sandbox.js";
import type { SandboxPolicy } from "../../src/protocol/policy.js";
import { makeWorkspace, realPython, requireBwrap, type Workspace } from "./support.js";

let w: Workspace;
let python: string;

beforeAll(async () => {
  await requireBwrap();
  w = makeWorkspace();
  python = realPython();
});
afterAll(() => w?.cleanup());

async function codex(args: string[]): Promise<{ code: number | undefined; stderr: string; requests: SandboxConfigRequest[] }> {
  const requests: SandboxConfigRequest[] = [];
  let code: number | undefined;
  let stderr = "";
  // Like the real program: a global -c that must not swallow the sandboxed command's own -c.
  const program = new Command("codex").option("-c, --config <kv>").exitOverride();
  registerSandboxCommand(program, {
    loadConfig: async (o) => {
      requests.push(o);
      const policy: SandboxPolicy =
        o.flags.sandboxMode === "workspace-write"
          ? { ...(w.policy() as Extract<SandboxPolicy, { mode: "workspace-write" }>) }
          : { mode: "read-only", networkAccess: false };
      return { sandboxPolicy: policy, cwd: w.ws, env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: "/root" } };
    },
    stderr: (t) => (stderr += t),
    setExitCode: (c) => (code = c),
  });
  await program.parseAsync(args, { from: "user" });
  return { code, stderr, requests };
}

describe("codex sandbox", () => {
  it("runs the command under workspace-write and exits with its code", async () => {
    const r = await codex(["sandbox", "-s", "workspace-write", "--", "bash", "-c", "echo hi > cli.txt; exit 7"]);
    expect(r.code).toBe(7);
    expect(readFileSync(path.join(w.ws, "cli.txt"), "utf8")).toBe("hi\n");
    expect(r.requests[0]?.flags.sandboxMode).toBe("workspace-write");
  });

  it("a missing .codex cannot be created, and its placeholder is gone after the command", async () => {
    const r = await codex(["sandbox", "-s", "workspace-write", "--", "mkdir", ".codex"]);
    expect(r.code).not.toBe(0);
    expect(existsSync(path.join(w.ws, ".codex"))).toBe(false);
  });

  it("defaults to read-only, and the command's own -c is left alone", async () => {
    const r = await codex(["sandbox", "bash", "-c", "echo x > ro.txt"]);
    expect(r.code).not.toBe(0);
    expect(existsSync(path.join(w.ws, "ro.txt"))).toBe(false);
    expect(r.requests[0]).toMatchObject({ overrides: [], flags: { sandboxMode: "read-only" } });
  });

  it("--full-auto means workspace-write; -c and -C reach the loader", async () => {
    const r = await codex(["sandbox", "--full-auto", "-c", "model=x", "-C", w.ws, "true"]);
    expect(r.code).toBe(0);
    expect(r.requests[0]).toMatchObject({ cwd: w.ws, overrides: ["model=x"], flags: { sandboxMode: "workspace-write" } });
  });

  it("applies the seccomp filter through the inherited fd", async () => {
    const r = await codex(["sandbox", "--full-auto", "--", python, "-c", "import socket; socket.socket()"]);
    expect(r.code).toBe(1);
  });

  it("accepts the legacy `sandbox linux` selector with a warning", async () => {
    const r = await codex(["sandbox", "linux", "--full-auto", "bash", "-c", "echo l > legacy.txt; exit 4"]);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/deprecated/);
    expect(readFileSync(path.join(w.ws, "legacy.txt"), "utf8")).toBe("l\n");
  });

  it("`debug landlock` is an alias", async () => {
    const r = await codex(["debug", "landlock", "-s", "workspace-write", "--", "bash", "-c", "exit 5"]);
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/deprecated/);
  });
});
