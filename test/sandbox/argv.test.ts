import { describe, expect, it } from "vitest";
import { buildBwrapArgv, type ResolvePath } from "../../src/core/sandbox/bwrap-argv.js";
import type { SandboxPolicy } from "../../src/protocol/policy.js";

// A fake filesystem: existing paths map to their real path.
const fakeFs: Record<string, string> = {
  "/ws": "/ws",
  "/ws/.git": "/ws/.git",
  "/ws/.codex": "/ws/.codex",
  "/tmp": "/tmp",
  "/extra-link": "/data/extra",
  "/data/extra": "/data/extra",
};
const resolvePath: ResolvePath = (p) => fakeFs[p];

const workspaceWrite = (networkAccess: boolean): SandboxPolicy => ({
  mode: "workspace-write",
  writableRoots: ["/ws", "/tmp", "/extra-link", "/missing", "/data/extra", "relative"],
  networkAccess,
  excludeTmpdirEnvVar: false,
  excludeSlashTmp: false,
});

describe("buildBwrapArgv", () => {
  const cmd = ["bash", "-lc", "echo hi"];

  it("read-only: no writable binds, network namespace, seccomp fd", () => {
    expect(
      buildBwrapArgv(cmd, { mode: "read-only", networkAccess: false }, { cwd: "/ws", seccompFd: 3, resolvePath }),
    ).toMatchInlineSnapshot(`
      [
        "bwrap",
        "--ro-bind",
        "/",
        "/",
        "--dev",
        "/dev",
        "--proc",
        "/proc",
        "--ro-bind-try",
        "/proc/sys",
        "/proc/sys",
        "--ro-bind-try",
        "/proc/sysrq-trigger",
        "/proc/sysrq-trigger",
        "--ro-bind-try",
        "/proc/irq",
        "/proc/irq",
        "--ro-bind-try",
        "/proc/bus",
        "/proc/bus",
        "--ro-bind-try",
        "/proc/fs",
        "/proc/fs",
        "--unshare-user",
        "--unshare-pid",
        "--unshare-ipc",
        "--unshare-uts",
        "--unshare-net",
        "--cap-drop",
        "ALL",
        "--die-with-parent",
        "--new-session",
        "--chdir",
        "/ws",
        "--seccomp",
        "3",
        "--",
        "bash",
        "-lc",
        "echo hi",
      ]
    `);
  });

  it("workspace-write: binds real roots once, parents first, then protects .git/.codex", () => {
    expect(buildBwrapArgv(cmd, workspaceWrite(false), { cwd: "/ws", seccompFd: 3, resolvePath })).toMatchInlineSnapshot(`
      [
        "bwrap",
        "--ro-bind",
        "/",
        "/",
        "--dev",
        "/dev",
        "--proc",
        "/proc",
        "--ro-bind-try",
        "/proc/sys",
        "/proc/sys",
        "--ro-bind-try",
        "/proc/sysrq-trigger",
        "/proc/sysrq-trigger",
        "--ro-bind-try",
        "/proc/irq",
        "/proc/irq",
        "--ro-bind-try",
        "/proc/bus",
        "/proc/bus",
        "--ro-bind-try",
        "/proc/fs",
        "/proc/fs",
        "--bind",
        "/tmp",
        "/tmp",
        "--bind",
        "/ws",
        "/ws",
        "--bind",
        "/data/extra",
        "/data/extra",
        "--ro-bind",
        "/ws/.git",
        "/ws/.git",
        "--ro-bind",
        "/ws/.codex",
        "/ws/.codex",
        "--unshare-user",
        "--unshare-pid",
        "--unshare-ipc",
        "--unshare-uts",
        "--unshare-net",
        "--cap-drop",
        "ALL",
        "--die-with-parent",
        "--new-session",
        "--chdir",
        "/ws",
        "--seccomp",
        "3",
        "--",
        "bash",
        "-lc",
        "echo hi",
      ]
    `);
  });

  it("workspace-write with network keeps the host network namespace", () => {
    const argv = buildBwrapArgv(cmd, workspaceWrite(true), { cwd: "/ws", resolvePath, newSession: false });
    expect(argv).not.toContain("--unshare-net");
    expect(argv).not.toContain("--new-session");
    expect(argv).not.toContain("--seccomp");
    expect(argv).toContain("--cap-drop");
  });

  it("danger-full-access: the command unchanged", () => {
    expect(buildBwrapArgv(cmd, { mode: "danger-full-access" }, { cwd: "/ws", seccompFd: 3, resolvePath })).toEqual(cmd);
  });

  it("a writable root of / is not bound (it would hide the fresh /dev and /proc)", () => {
    const argv = buildBwrapArgv(
      cmd,
      { ...workspaceWrite(false), writableRoots: ["/"] } as SandboxPolicy,
      { cwd: "/", resolvePath: (p) => p },
    );
    expect(argv.filter((a) => a === "--bind")).toHaveLength(0);
  });
});
