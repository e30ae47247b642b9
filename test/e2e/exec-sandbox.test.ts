// Sandbox and approval policy through the built `codex exec` binary (real bwrap).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { parseJsonl, runCodex, type TestEnv, useFakeServerEnv } from "../support/codex-env.js";
import { sse, type FakeServer } from "../support/fake-responses-server.js";
import { completed, created, customToolCall, functionCall, textMessage } from "../support/sse.js";
import { spawnSync } from "node:child_process";

let server: FakeServer;
let t: TestEnv;

beforeAll(() => {
  const probe = spawnSync("bwrap", ["--version"]);
  if (probe.status !== 0) throw new Error("bubblewrap (bwrap) is required for these tests: apt-get install bubblewrap");
});
useFakeServerEnv((s, e) => ((server = s), (t = e)));

/** One model turn that runs `cmd` through exec_command, then answers "done". */
async function runCommand(cmd: string, flags: string[], extra: Record<string, unknown> = {}) {
  server.enqueue(
    sse(created("r1"), functionCall("c1", "exec_command", { cmd, login: false, ...extra }), completed("r1")),
    sse(created("r2"), textMessage("done"), completed("r2")),
  );
  const r = await runCodex(["exec", "--json", ...flags, "go"], { env: t.env, cwd: t.repo });
  expect(r.code).toBe(0);
  const events = parseJsonl(r.stdout);
  const item = events.find((e) => e.type === "item.completed" && e.item.type === "command_execution")?.item;
  const output = server.requests.at(-1)!.functionCallOutput("c1")?.output as string;
  return { events, item, output };
}

describe("sandbox modes through codex exec", () => {
  test("read-only (the default) cannot write in the workspace", async () => {
    const { item, output } = await runCommand("touch made-here", []);
    expect(item).toMatchObject({ status: "failed" });
    expect(item.exit_code).not.toBe(0);
    expect(output).toMatch(/Read-only file system|Permission denied/);
    expect(existsSync(path.join(t.repo, "made-here"))).toBe(false);
  });

  test("workspace-write writes the workspace but not outside it, nor .git", async () => {
    const outside = mkdtempSync(path.join(os.homedir(), ".codex-outside-"));
    const ok = await runCommand("touch made-here && echo fine", ["-s", "workspace-write"]);
    expect(ok.item).toMatchObject({ status: "completed", exit_code: 0 });
    expect(existsSync(path.join(t.repo, "made-here"))).toBe(true);

    const denied = await runCommand(`touch ${outside}/escaped`, ["-s", "workspace-write"]);
    expect(denied.item.status).toBe("failed");
    expect(existsSync(path.join(outside, "escaped"))).toBe(false);

    const hooks = await runCommand("echo evil > .git/hooks/pre-commit", ["-s", "workspace-write"]);
    expect(hooks.item.status).toBe("failed");
    expect(existsSync(path.join(t.repo, ".git/hooks/pre-commit"))).toBe(false);
  });

  test("network is off in the sandbox", async () => {
    const { item } = await runCommand(
      `python3 -c "import socket; socket.create_connection(('127.0.0.1', ${new URL(server.url).port}), 2)"`,
      ["-s", "workspace-write"],
    );
    expect(item.status).toBe("failed");
    expect(server.requests).toHaveLength(2);
  });

  test("danger-full-access runs unsandboxed", async () => {
    const outside = mkdtempSync(path.join(os.tmpdir(), "codex-full-"));
    const { item } = await runCommand(`touch ${outside}/free`, ["-s", "danger-full-access"]);
    expect(item.status).toBe("completed");
    expect(existsSync(path.join(outside, "free"))).toBe(true);
  });

  test("an escalation request under exec (policy never) is refused with Codex's text and does not run", async () => {
    const { item, output } = await runCommand("touch escalated", ["-s", "workspace-write"], {
      sandbox_permissions: "require_escalated",
      justification: "need it",
    });
    expect(output).toBe(
      "approval policy is Never; reject command — you cannot ask for escalated permissions if the approval policy is Never",
    );
    expect(item).toBeUndefined();
    expect(existsSync(path.join(t.repo, "escalated"))).toBe(false);
  });

  test("a forbidden exec-policy rule declines the command and tells the model why", async () => {
    mkdirSync(path.join(t.codexHome, "rules"), { recursive: true });
    writeFileSync(
      path.join(t.codexHome, "rules", "default.rules"),
      'prefix_rule(pattern=["touch"], decision="forbidden", justification="no touching")\n',
    );
    const { item, output } = await runCommand("touch forbidden", ["-s", "workspace-write"]);
    expect(item).toMatchObject({ status: "declined" });
    expect(output).toContain("no touching");
    expect(existsSync(path.join(t.repo, "forbidden"))).toBe(false);
  });
});

describe("project rules and thread env", () => {
  test("a trusted project's .codex/rules apply; an untrusted project's do not", async () => {
    mkdirSync(path.join(t.repo, ".codex", "rules"), { recursive: true });
    writeFileSync(
      path.join(t.repo, ".codex", "rules", "project.rules"),
      'prefix_rule(pattern=["touch"], decision="forbidden", justification="project says no")\n',
    );
    const untrusted = await runCommand("touch allowed-here", ["-s", "workspace-write"]);
    expect(untrusted.item.status).toBe("completed");

    t.writeConfig(readFileSync(path.join(t.codexHome, "config.toml"), "utf8") + `\n[projects."${t.repo}"]\ntrust_level = "trusted"\n`);
    const trusted = await runCommand("touch refused-here", ["-s", "workspace-write"]);
    expect(trusted.item.status).toBe("declined");
    expect(trusted.output).toContain("project says no");
    expect(existsSync(path.join(t.repo, "refused-here"))).toBe(false);
  });

  test("commands see CODEX_THREAD_ID and the network-disabled marker", async () => {
    const { events, output } = await runCommand('echo "tid=$CODEX_THREAD_ID net=$CODEX_SANDBOX_NETWORK_DISABLED"', []);
    const threadId = events[0].thread_id;
    expect(output).toContain(`tid=${threadId} net=1`);
  });
});

describe("apply_patch through codex exec", () => {
  test("freeform apply_patch emits a file_change item and edits the workspace", async () => {
    writeFileSync(path.join(t.repo, "a.txt"), "one\ntwo\n");
    const patch = "*** Begin Patch\n*** Update File: a.txt\n@@\n one\n-two\n+TWO\n*** Add File: b.txt\n+new\n*** End Patch";
    server.enqueue(
      sse(created("r1"), customToolCall("p1", "apply_patch", patch), completed("r1")),
      sse(created("r2"), textMessage("patched"), completed("r2")),
    );
    const r = await runCodex(["exec", "--json", "-s", "workspace-write", "patch it"], { env: t.env, cwd: t.repo });
    expect(r.code).toBe(0);
    const events = parseJsonl(r.stdout);
    const done = events.find((e) => e.type === "item.completed" && e.item.type === "file_change");
    expect(done.item).toEqual({
      id: expect.any(String),
      type: "file_change",
      changes: [
        { path: path.join(t.repo, "a.txt"), kind: "update" },
        { path: path.join(t.repo, "b.txt"), kind: "add" },
      ],
      status: "completed",
    });
    expect(readFileSync(path.join(t.repo, "a.txt"), "utf8")).toBe("one\nTWO\n");
    const out = server.requests[1]!.functionCallOutput("p1");
    expect(out.type).toBe("custom_tool_call_output");
    expect(out.output).toContain("Success. Updated the following files:\nA b.txt\nM a.txt");
  });

  test("a patch outside the writable roots is refused and nothing changes", async () => {
    const outside = mkdtempSync(path.join(os.homedir(), ".codex-patch-outside-"));
    const patch = `*** Begin Patch\n*** Add File: ${outside}/x.txt\n+no\n*** End Patch`;
    server.enqueue(
      sse(created("r1"), customToolCall("p1", "apply_patch", patch), completed("r1")),
      sse(created("r2"), textMessage("ok"), completed("r2")),
    );
    const r = await runCodex(["exec", "--json", "-s", "workspace-write", "patch"], { env: t.env, cwd: t.repo });
    expect(r.code).toBe(0);
    expect(existsSync(path.join(outside, "x.txt"))).toBe(false);
    expect(server.requests[1]!.functionCallOutput("p1").output).toMatch(/rejected|not allowed/);
  });

  test("`apply_patch` is on the PATH of model commands (forms the interceptor does not parse)", async () => {
    const { item } = await runCommand(
      "printf '*** Begin Patch\\n*** Add File: piped.txt\\n+via path\\n*** End Patch\\n' | apply_patch",
      ["-s", "workspace-write"],
    );
    expect(item).toMatchObject({ status: "completed", exit_code: 0 });
    expect(item.aggregated_output).toContain("A piped.txt");
    expect(readFileSync(path.join(t.repo, "piped.txt"), "utf8")).toBe("via path\n");
  });

  test("a shell heredoc apply_patch is intercepted, not executed", async () => {
    const script = "apply_patch <<'EOF'\n*** Begin Patch\n*** Add File: via-shell.txt\n+hello\n*** End Patch\nEOF";
    server.enqueue(
      sse(created("r1"), functionCall("c1", "exec_command", { cmd: script }), completed("r1")),
      sse(created("r2"), textMessage("ok"), completed("r2")),
    );
    const r = await runCodex(["exec", "--json", "-s", "workspace-write", "patch"], { env: t.env, cwd: t.repo });
    expect(r.code).toBe(0);
    expect(readFileSync(path.join(t.repo, "via-shell.txt"), "utf8")).toBe("hello\n");
    const events = parseJsonl(r.stdout);
    expect(events.some((e) => e.item?.type === "file_change" && e.item.status === "completed")).toBe(true);
    expect(events.some((e) => e.item?.type === "command_execution")).toBe(false);
  });
});
