import { describe, expect, it } from "vitest";
import { buildBwrapArgv, buildBwrapCommand, ProtectedSymlinkError, type ResolvePath } from "../../src/core/sandbox/bwrap-argv.js";
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
const noSymlinks = { isSymlink: () => false, canCreateIn: () => true };

const workspaceWrite = (networkAccess: boolean): Extract<SandboxPolicy, { mode: "workspace-write" }> => ({
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

  it("workspace-write: binds real roots once, parents first, then protects .git/.codex/.agents, existing or not", () => {
    expect(buildBwrapArgv(cmd, workspaceWrite(false), { cwd: "/ws", seccompFd: 3, resolvePath, ...noSymlinks })).toMatchInlineSnapshot(`
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
        "--tmpfs",
        "/tmp/.git",
        "--remount-ro",
        "/tmp/.git",
        "--tmpfs",
        "/tmp/.agents",
        "--remount-ro",
        "/tmp/.agents",
        "--tmpfs",
        "/tmp/.codex",
        "--remount-ro",
        "/tmp/.codex",
        "--ro-bind",
        "/ws/.git",
        "/ws/.git",
        "--tmpfs",
        "/ws/.agents",
        "--remount-ro",
        "/ws/.agents",
        "--ro-bind",
        "/ws/.codex",
        "/ws/.codex",
        "--tmpfs",
        "/data/extra/.git",
        "--remount-ro",
        "/data/extra/.git",
        "--tmpfs",
        "/data/extra/.agents",
        "--remount-ro",
        "/data/extra/.agents",
        "--tmpfs",
        "/data/extra/.codex",
        "--remount-ro",
        "/data/extra/.codex",
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

  /** The mounts that protect `<root>/<name>`, as [flag, path] pairs. */
  const protectionOf = (argv: string[], p: string) =>
    argv.flatMap((a, i) => (a.startsWith("--") && argv[i + 1] === p ? [a] : []));
  const oneRoot = (root: string): SandboxPolicy => ({ ...workspaceWrite(false), writableRoots: [root] });

  it("a missing protected path gets an empty read-only tmpfs in its place and is reported as a placeholder", () => {
    const fs: Record<string, string> = { "/ws": "/ws", "/ws/.git": "/ws/.git" };
    const built = buildBwrapCommand(cmd, oneRoot("/ws"), { cwd: "/ws", resolvePath: (p) => fs[p], isSymlink: () => false, canCreateIn: () => true });
    expect(protectionOf(built.argv, "/ws/.git")).toEqual(["--ro-bind"]);
    expect(protectionOf(built.argv, "/ws/.codex")).toEqual(["--tmpfs", "--remount-ro"]);
    expect(protectionOf(built.argv, "/ws/.agents")).toEqual(["--tmpfs", "--remount-ro"]);
    expect(built.placeholders).toEqual(["/ws/.agents", "/ws/.codex"]);
    // The placeholder comes after the writable bind (the later mount wins).
    expect(built.argv.indexOf("/ws/.codex")).toBeGreaterThan(built.argv.lastIndexOf("--bind"));
  });

  it("another sandbox's placeholder folder is covered again, not bound as if it were the user's", () => {
    const fs: Record<string, string> = { "/ws": "/ws", "/ws/.git": "/ws/.git", "/ws/.codex": "/ws/.codex", "/ws/.agents": "/ws/.agents" };
    const built = buildBwrapCommand(cmd, oneRoot("/ws"), {
      cwd: "/ws",
      resolvePath: (p) => fs[p],
      isSymlink: () => false,
      canCreateIn: () => true,
      isPlaceholder: (p) => p === "/ws/.codex",
    });
    expect(protectionOf(built.argv, "/ws/.codex")).toEqual(["--tmpfs", "--remount-ro"]);
    expect(built.placeholders).toEqual(["/ws/.codex"]);
  });

  it("a protected path that is a symlink refuses to build (it could be swapped for a real folder)", () => {
    const fs: Record<string, string> = { "/ws": "/ws", "/ws/.codex": "/elsewhere" };
    const options = { cwd: "/ws", resolvePath: (p: string) => fs[p], isSymlink: (p: string) => p === "/ws/.codex" };
    expect(() => buildBwrapCommand(cmd, oneRoot("/ws"), options)).toThrow(ProtectedSymlinkError);
    expect(() => buildBwrapCommand(cmd, oneRoot("/ws"), options)).toThrow(/\/ws\/\.codex is a symbolic link/);
    // Read-only has no writable roots, so nothing to protect and nothing to refuse.
    expect(buildBwrapCommand(cmd, { mode: "read-only", networkAccess: false }, options).placeholders).toEqual([]);
  });

  it("a nested writable root gets its own protected paths", () => {
    const fs: Record<string, string> = { "/ws": "/ws", "/ws/sub": "/ws/sub" };
    const built = buildBwrapCommand(cmd, { ...workspaceWrite(false), writableRoots: ["/ws/sub", "/ws"] }, {
      cwd: "/ws",
      resolvePath: (p) => fs[p],
      isSymlink: () => false,
      canCreateIn: () => true,
    });
    expect(built.placeholders).toEqual([
      "/ws/.git", "/ws/.agents", "/ws/.codex", "/ws/sub/.git", "/ws/sub/.agents", "/ws/sub/.codex",
    ]);
    expect(built.argv.indexOf("/ws/sub/.codex")).toBeGreaterThan(built.argv.lastIndexOf("--bind"));
  });

  it("no placeholder where this user cannot create entries (neither can the sandbox, nor bwrap's mount point)", () => {
    const fs: Record<string, string> = { "/ro-root": "/ro-root" };
    const built = buildBwrapCommand(cmd, oneRoot("/ro-root"), {
      cwd: "/ro-root",
      resolvePath: (p) => fs[p],
      isSymlink: () => false,
      canCreateIn: () => false,
    });
    expect(built.placeholders).toEqual([]);
    expect(built.argv).not.toContain("--tmpfs");
  });
});
