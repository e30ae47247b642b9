import { describe, expect, it } from "vitest";
import type { SandboxPolicy } from "../../protocol/policy.js";
import { isPathWritable, isRealPathWritable, resolveRealPath, type PathProbe } from "./writable-paths.js";

describe("isPathWritable", () => {
  const ws: SandboxPolicy = {
    mode: "workspace-write",
    writableRoots: ["/w"],
    networkAccess: false,
    excludeTmpdirEnvVar: false,
    excludeSlashTmp: false,
  };
  const nested: SandboxPolicy = { ...ws, writableRoots: ["/tmp/w"] };
  it.each([
    ["/w/a.txt", ws, true],
    ["/w", ws, true],
    ["/w/.git/HEAD", ws, false],
    ["/w/.codex/config.toml", ws, false],
    ["/w/.agents/notes.md", ws, false],
    ["/wx/a.txt", ws, false],
    ["/tmp/x", ws, true],
    ["/var/tmpdir/x", ws, true],
    ["/tmp/x", { ...ws, excludeSlashTmp: true }, false],
    ["/etc/passwd", { mode: "danger-full-access" } as SandboxPolicy, true],
    ["/w/a.txt", { mode: "read-only", networkAccess: false } as SandboxPolicy, false],
    // A root inside another (the workspace under /tmp): its protected folders stay protected.
    ["/tmp/w/.codex/config.toml", nested, false],
    ["/tmp/w/.git/hooks/pre-commit", nested, false],
    ["/tmp/w/src/a.ts", nested, true],
  ] as const)("%s", (p, policy, expected) => {
    expect(isPathWritable(p, policy, { cwd: "/w", tmpdir: "/var/tmpdir" })).toBe(expected);
  });
});

describe("resolveRealPath and isRealPathWritable", () => {
  // A fake tree: /w/h -> /outside, /w/cfg -> /w/.codex, /w/dangling -> /outside/new.txt (missing).
  const real: Record<string, string> = { "/": "/", "/w": "/w", "/w/h": "/outside", "/outside": "/outside", "/w/.codex": "/w/.codex", "/w/cfg": "/w/.codex" };
  const links: Record<string, string> = { "/w/h": "/outside", "/w/cfg": ".codex", "/w/dangling": "/outside/new.txt" };
  const probe: PathProbe = { realpath: (p) => real[p], isSymlink: (p) => p in links, readlink: (p) => links[p] };
  const ws: SandboxPolicy = { mode: "workspace-write", writableRoots: ["/w"], networkAccess: false, excludeTmpdirEnvVar: true, excludeSlashTmp: true };

  it.each([
    ["/w/h/x.txt", "/outside/x.txt", false],
    ["/w/h/deep/er/x.txt", "/outside/deep/er/x.txt", false],
    ["/w/cfg/config.toml", "/w/.codex/config.toml", false],
    ["/w/dangling", "/outside/new.txt", false],
    ["/w/new/dir/x.txt", "/w/new/dir/x.txt", true],
  ] as const)("%s really lands at %s", (p, expected, writable) => {
    expect(resolveRealPath(p, probe)).toBe(expected);
    expect(isRealPathWritable(p, ws, { cwd: "/w", probe })).toBe(writable);
  });

  it("a protected subpath that is a link protects its target too", () => {
    const r2: Record<string, string> = { "/": "/", "/w": "/w", "/w/.agents": "/w/decoy", "/w/decoy": "/w/decoy" };
    const p2: PathProbe = { realpath: (p) => r2[p], isSymlink: (p) => p === "/w/.agents", readlink: () => "decoy" };
    expect(isRealPathWritable("/w/decoy/x.md", ws, { cwd: "/w", probe: p2 })).toBe(false);
    expect(isRealPathWritable("/w/other.md", ws, { cwd: "/w", probe: p2 })).toBe(true);
  });

  it("another user's link in a sticky folder is nobody's metadata: its target is judged where it is", () => {
    const r2: Record<string, string> = { "/": "/", "/w": "/w", "/w/.agents": "/w/decoy", "/w/decoy": "/w/decoy" };
    const p2: PathProbe = { realpath: (p) => r2[p], isSymlink: (p) => p === "/w/.agents", readlink: () => "decoy", isPinnedLink: (p) => p === "/w/.agents" };
    expect(isRealPathWritable("/w/decoy/x.md", ws, { cwd: "/w", probe: p2 })).toBe(true);
    // The patch gate judges the path as written, and there the protected name still refuses.
    expect(isPathWritable("/w/.agents/x.md", ws, { cwd: "/w" })).toBe(false);
  });
});
