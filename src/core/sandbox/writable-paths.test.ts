import { describe, expect, it } from "vitest";
import type { SandboxPolicy } from "../../protocol/policy.js";
import { isPathWritable } from "./writable-paths.js";

describe("isPathWritable", () => {
  const ws: SandboxPolicy = {
    mode: "workspace-write",
    writableRoots: ["/w"],
    networkAccess: false,
    excludeTmpdirEnvVar: false,
    excludeSlashTmp: false,
  };
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
  ] as const)("%s", (p, policy, expected) => {
    expect(isPathWritable(p, policy, { cwd: "/w", tmpdir: "/var/tmpdir" })).toBe(expected);
  });
});
