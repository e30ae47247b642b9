// codex doctor from the built binary: a healthy setup (endpoint = the fake server), a missing key,
// a broken config, and a PATH without bwrap; ✓/⚠/✗ lines, --json, exit 1 when something failed.
import { appendFileSync, mkdirSync, symlinkSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { runCodex, type TestEnv, useFakeServerEnv } from "../support/codex-env.js";
import type { FakeServer } from "../support/fake-responses-server.js";
import { FILESYSTEM_SERVER } from "../support/mcp-env.js";

let server: FakeServer;
let t: TestEnv;

useFakeServerEnv((s, e) => ((server = s), (t = e)));

interface Check {
  name: string;
  status: "ok" | "warn" | "fail";
  summary: string;
  fix?: string;
}

async function doctorJson(env: Record<string, string> = t.env): Promise<{ code: number | null; checks: Record<string, Check>; raw: string }> {
  const r = await runCodex(["doctor", "--json"], { env, cwd: t.repo });
  const report = JSON.parse(r.stdout) as { ok: boolean; checks: Check[] };
  expect(report.ok).toBe(r.code === 0);
  return { code: r.code, checks: Object.fromEntries(report.checks.map((c) => [c.name, c])), raw: r.stdout + r.stderr };
}

describe("codex doctor", () => {
  test("healthy setup: nothing fails, the endpoint got one request, the key is never printed", async () => {
    const { code, checks, raw } = await doctorJson();
    const failed = Object.values(checks).filter((c) => c.status === "fail");
    expect(failed).toEqual([]);
    expect(code).toBe(0);
    expect(checks.node).toMatchObject({ status: "ok", summary: `Node ${process.version}` });
    expect(checks["codex home"]).toMatchObject({ status: "ok", summary: expect.stringMatching(new RegExp(`^${t.codexHome} is writable, .* free$`)) });
    expect(checks.config).toMatchObject({ status: "ok", summary: `parsed ${path.join(t.codexHome, "config.toml")}` });
    expect(checks.auth).toMatchObject({ status: "ok", summary: "provider 'fake': key from CODEX_API_KEY" });
    expect(checks.endpoint).toMatchObject({ status: "ok", summary: expect.stringContaining(`${server.url}/models reachable (HTTP `) });
    expect(checks.bubblewrap).toMatchObject({ status: "ok", summary: expect.stringContaining("a sandboxed `true` ran") });
    expect(checks.seccomp).toMatchObject({ status: "ok" });
    expect(checks.git!.status).toBe("ok");
    expect(checks.tmux!.status).not.toBe("fail");
    expect(checks.ripgrep!.status).not.toBe("fail");
    expect(server.upgradeAttempts + server.requests.length).toBe(1);
    expect(raw).not.toContain(t.env.CODEX_API_KEY);

    // The human form: one ✓/⚠/✗ line per check and a count.
    const human = await runCodex(["doctor"], { env: t.env, cwd: t.repo });
    expect(human.code).toBe(0);
    const lines = human.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^codex doctor \(codex-cli /);
    expect(lines.slice(1, -1).every((l) => /^[✓⚠✗] \S/.test(l))).toBe(true);
    expect(lines.at(-1)).toMatch(/^12 checks: \d+ ok, \d+ warnings, 0 failed$/);
    expect(checks["MCP servers"]).toEqual({ name: "MCP servers", status: "ok", summary: "none configured" });
  });

  test("a missing key fails the auth line, naming the variable", async () => {
    const env = { ...t.env };
    delete env.CODEX_API_KEY;
    const { code, checks } = await doctorJson(env);
    expect(code).toBe(1);
    expect(checks.auth).toMatchObject({ status: "fail", summary: expect.stringContaining("set the CODEX_API_KEY environment variable") });
  });

  test("a broken config fails the config line with the file, and skips what needs it", async () => {
    t.writeConfig(`model = "gpt-5.5"\nmodel_provider = \n`);
    const { code, checks } = await doctorJson();
    expect(code).toBe(1);
    expect(checks.config).toMatchObject({ status: "fail", summary: expect.stringContaining(path.join(t.codexHome, "config.toml")) });
    expect(checks.auth).toMatchObject({ status: "warn", summary: "not checked: the config did not load" });
    expect(checks.endpoint).toMatchObject({ status: "warn" });
  });

  test("without bwrap on PATH the sandbox line fails with how to install it", async () => {
    const bin = path.join(t.home, "bin");
    mkdirSync(bin);
    for (const tool of ["git", "sh"]) symlinkSync(`/usr/bin/${tool}`, path.join(bin, tool));
    const { code, checks } = await doctorJson({ ...t.env, PATH: bin });
    expect(code).toBe(1);
    expect(checks.bubblewrap).toMatchObject({ status: "fail", summary: "bwrap not found on PATH", fix: expect.stringContaining("apt-get install bubblewrap") });
    expect(checks.git!.status).toBe("ok");
    expect(checks.tmux!.status).toBe("warn");
    // Everything else still answers.
    expect(checks.auth!.status).toBe("ok");
    expect(checks.endpoint!.status).toBe("ok");
  });

  test("MCP servers: one that starts is ✓ with its tool count, one that cannot start is ✗ and fails the report", async () => {
    appendFileSync(
      path.join(t.codexHome, "config.toml"),
      [
        "",
        "[mcp_servers.files]",
        `command = ${JSON.stringify(FILESYSTEM_SERVER)}`,
        `args = [${JSON.stringify(t.repo)}]`,
        "[mcp_servers.broken]",
        'command = "/nonexistent/mcp-server"',
        "startup_timeout_sec = 5",
        "",
      ].join("\n"),
    );
    const { code, checks, raw } = await doctorJson();
    expect(code).toBe(1);
    expect(checks["MCP server files"]).toMatchObject({ status: "ok", summary: expect.stringMatching(/^started, [1-9]\d* tools$/) });
    expect(checks["MCP server broken"]).toMatchObject({ status: "fail", fix: expect.stringContaining("codex mcp get NAME") });
    expect(checks["MCP server broken"]!.summary.length).toBeGreaterThan(0);
    expect(raw).not.toContain(t.env.CODEX_API_KEY);
  });
});

