import { describe, expect, it } from "vitest";
import type { SandboxPolicy } from "../../protocol/policy.js";
import { looksLikeSandboxDenial } from "./sandbox-denial.js";

const ro: SandboxPolicy = { mode: "read-only", networkAccess: false };
const full: SandboxPolicy = { mode: "danger-full-access" };
const result = (exitCode: number | null, stderr: string, extra: { signal?: string; timedOut?: boolean } = {}) => ({
  exitCode,
  stderr,
  stdout: "",
  aggregatedOutput: stderr,
  ...extra,
});

describe("looksLikeSandboxDenial", () => {
  it.each([
    "touch: cannot touch 'x': Read-only file system",
    "bash: /etc/x: Permission denied",
    "mkdir: Operation not permitted",
    "curl: (7) Network is unreachable",
    "Error: EACCES: permission denied, open 'x'",
    "npm ERR! code EPERM",
  ])("flags %s", (stderr) => {
    expect(looksLikeSandboxDenial(result(1, stderr), ro)).toBe(true);
  });

  it("ignores success, full access, timeouts, and unrelated failures", () => {
    expect(looksLikeSandboxDenial(result(0, "Permission denied"), ro)).toBe(false);
    expect(looksLikeSandboxDenial(result(1, "Permission denied"), full)).toBe(false);
    expect(looksLikeSandboxDenial(result(null, "Permission denied", { timedOut: true }), ro)).toBe(false);
    expect(looksLikeSandboxDenial(result(2, "grep: no match"), ro)).toBe(false);
  });

  it("treats SIGSYS (seccomp kill) as a denial", () => {
    expect(looksLikeSandboxDenial(result(null, "", { signal: "SIGSYS" }), ro)).toBe(true);
  });
});
