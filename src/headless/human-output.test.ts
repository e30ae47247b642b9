import { describe, expect, test } from "vitest";
import { HumanRenderer, makeStyle, sandboxLabel } from "./human-output.js";

const ww = (roots: string[], o: { excludeSlashTmp?: boolean; excludeTmpdirEnvVar?: boolean; networkAccess?: boolean } = {}) => ({
  mode: "workspace-write" as const,
  writableRoots: roots,
  networkAccess: o.networkAccess ?? false,
  excludeSlashTmp: o.excludeSlashTmp ?? false,
  excludeTmpdirEnvVar: o.excludeTmpdirEnvVar ?? false,
});

describe("sandboxLabel", () => {
  test("names the implicit roots as the reference does and lists extra ones", () => {
    expect(sandboxLabel(ww(["/w", "/tmp", "/var/tmp/x"]), "/w", "/var/tmp/x")).toBe("workspace-write [workdir, /tmp, $TMPDIR]");
    expect(sandboxLabel(ww(["/w", "/extra"], { excludeSlashTmp: true, excludeTmpdirEnvVar: true, networkAccess: true }), "/w")).toBe(
      "workspace-write [workdir, /extra] (network access enabled)",
    );
    expect(sandboxLabel({ mode: "read-only", networkAccess: false }, "/w")).toBe("read-only");
  });
});

describe("HumanRenderer", () => {
  test("transcript on stderr, final message alone on stdout", () => {
    const out = { stderr: "", stdout: "" };
    const r = new HumanRenderer({ stderr: (t) => (out.stderr += t), stdout: (t) => (out.stdout += t) }, makeStyle({ color: false }));
    r.handle({ type: "exec_command_begin", callId: "c", command: "/bin/bash -lc ls", argv: [], cwd: "/w" });
    r.handle({ type: "exec_command_end", callId: "c", command: "/bin/bash -lc ls", exitCode: 2, aggregatedOutput: "x\n", status: "failed", durationMs: 5 });
    r.handle({ type: "patch_apply_begin", callId: "p", changes: [{ path: "/w/a", kind: "add" }] });
    r.handle({ type: "patch_apply_end", callId: "p", changes: [{ path: "/w/a", kind: "add" }], success: true, diff: "+a\n", output: "" });
    r.handle({ type: "agent_message", message: "Done." });
    r.handle({ type: "token_count", total: { input_tokens: 10, cached_input_tokens: 0, output_tokens: 2, reasoning_output_tokens: 0, total_tokens: 1234 }, last: { input_tokens: 10, cached_input_tokens: 0, output_tokens: 2, reasoning_output_tokens: 0, total_tokens: 12 } });
    r.handle({ type: "task_complete", turnId: "t", lastAgentMessage: "Done." });
    expect(out.stderr).toBe(
      "exec\n/bin/bash -lc ls in /w\n exited 2 in 5ms:\nx\napply patch\npatch: completed\n/w/a\n+a\ncodex\nDone.\ntokens used\n1,234\n",
    );
    expect(out.stdout).toBe("Done.\n");
  });
});
