import { existsSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ExecRunner } from "../../src/core/exec/contract.js";
import { createLocalExecRunner } from "../../src/core/exec/local-runner.js";
import { SandboxUnavailableError } from "../../src/core/sandbox/bwrap-probe.js";
import { createSandboxedExecRunner } from "../../src/core/sandbox/sandboxed-runner.js";
import { baseEnv, makeFdPassingRunner, makeRunner, makeWorkspace, realPython, requireBwrap, runIn, type Workspace } from "./support.js";

let w: Workspace;
let runner: ExecRunner;
let python: string;
let server: Server;
let port = 0;
let connections = 0;

beforeAll(async () => {
  await requireBwrap();
  python = realPython();
  w = makeWorkspace();
  runner = makeRunner();
  server = createServer((s) => {
    connections += 1;
    s.end("hello\n");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as { port: number }).port;
});

afterAll(() => {
  server?.close();
  w?.cleanup();
});

const bash = (script: string): string[] => ["bash", "-c", script];

describe("workspace-write sandbox still allows ordinary work", () => {
  it("writes in cwd and /tmp, reads anywhere", async () => {
    const tmpFile = `/tmp/codex-sbx-allowed-${process.pid}`;
    const res = await runIn(runner, bash(`echo a > in-ws.txt && echo b > ${tmpFile} && cat /etc/hostname`), {
      cwd: w.ws,
      sandbox: w.policy(),
    });
    expect(res.exitCode, res.aggregatedOutput).toBe(0);
    expect(res.stdout).toBe(readFileSync("/etc/hostname", "utf8"));
    expect(readFileSync(path.join(w.ws, "in-ws.txt"), "utf8")).toBe("a\n");
    expect(readFileSync(tmpFile, "utf8")).toBe("b\n");
    rmSync(tmpFile);
  });

  it("spawns children and pipes", async () => {
    const res = await runIn(runner, bash("echo abc | tr a-c x-z | cat; echo $(sh -c 'echo sub'); (exit 3) || echo $?"), {
      cwd: w.ws,
      sandbox: w.policy(),
    });
    expect(res.stdout).toBe("xyz\nsub\n3\n");
  });

  it("AF_UNIX socketpair works with network off", async () => {
    const code = "import socket; a, b = socket.socketpair(); a.send(b'ping'); print(b.recv(4).decode())";
    const res = await runIn(runner, [python, "-c", code], { cwd: w.ws, sandbox: w.policy() });
    expect(res.stdout, res.aggregatedOutput).toBe("ping\n");
  });

  it("git init and git status in a new repo inside the workspace", async () => {
    const res = await runIn(runner, bash("git init -q sub && cd sub && echo x > f && git status --porcelain"), {
      cwd: w.ws,
      sandbox: w.policy(),
    });
    expect(res.exitCode, res.aggregatedOutput).toBe(0);
    expect(res.stdout).toBe("?? f\n");
    expect(existsSync(path.join(w.ws, "sub/.git/HEAD"))).toBe(true);
  });

  it("runs without capabilities and with no_new_privs", async () => {
    const res = await runIn(runner, bash("grep -E '^(CapEff|NoNewPrivs)' /proc/self/status"), { cwd: w.ws, sandbox: w.policy() });
    expect(res.stdout).toMatch(/CapEff:\s+0000000000000000/);
    expect(res.stdout).toMatch(/NoNewPrivs:\s+1/);
  });

  it("marks network as disabled in the child env only when it is", async () => {
    const off = await runIn(runner, bash("echo ${CODEX_SANDBOX_NETWORK_DISABLED:-unset}"), { cwd: w.ws, sandbox: w.policy() });
    const on = await runIn(runner, bash("echo ${CODEX_SANDBOX_NETWORK_DISABLED:-unset}"), {
      cwd: w.ws,
      sandbox: w.policy({ networkAccess: true }),
    });
    expect([off.stdout, on.stdout]).toEqual(["1\n", "unset\n"]);
  });

  it("reaches the loopback listener when networkAccess is true", async () => {
    const before = connections;
    const code = `import socket; s = socket.create_connection(("127.0.0.1", ${port}), timeout=5); print(s.recv(6).decode(), end="")`;
    const res = await runIn(runner, [python, "-c", code], { cwd: w.ws, sandbox: w.policy({ networkAccess: true }) });
    expect(res.stdout, res.aggregatedOutput).toBe("hello\n");
    expect(connections).toBe(before + 1);
  });

  it("read-only denies writes in cwd and flags the denial", async () => {
    const res = await runIn(runner, bash("echo x > ro.txt"), { cwd: w.ws, sandbox: { mode: "read-only", networkAccess: false } });
    expect(res.exitCode).not.toBe(0);
    expect(res.sandboxDenied).toBe(true);
    expect(existsSync(path.join(w.ws, "ro.txt"))).toBe(false);
  });

  it("danger-full-access runs the command unwrapped", async () => {
    const res = await runIn(runner, bash("cat /proc/1/comm"), { cwd: w.ws, sandbox: { mode: "danger-full-access" } });
    expect(res.stdout).toBe(readFileSync("/proc/1/comm", "utf8"));
  });

  it("start() sandboxes long-lived processes too", async () => {
    const chunks: string[] = [];
    const proc = await runner.start!(
      { argv: bash("echo x > /etc/codex-sbx-start; echo rc=$?"), cwd: w.ws, env: baseEnv(), sandbox: w.policy() },
      { signal: new AbortController().signal, onOutput: (c) => chunks.push(c.text) },
    );
    const exit = await proc.exited;
    expect(exit.exitCode).toBe(0);
    expect(chunks.join("")).toContain("rc=1");
    expect(existsSync("/etc/codex-sbx-start")).toBe(false);
  });

  it("redirects package caches that would land outside the writable roots", async () => {
    const res = await runIn(runner, bash("echo $npm_config_cache $XDG_CACHE_HOME"), {
      cwd: w.ws,
      sandbox: w.policy(),
      env: baseEnv({ HOME: "/root" }),
    });
    const [npmCache, xdg] = res.stdout.trim().split(" ");
    expect(npmCache).toMatch(/\/codex-cache\/npm$/);
    expect(xdg).toMatch(/\/codex-cache\/xdg$/);
  });
});

describe("fdPassing: inherit", () => {
  it("hands bwrap a fresh seccomp fd on every run", async () => {
    const inheriting = createSandboxedExecRunner(makeFdPassingRunner(), { fdPassing: "inherit" });
    const code = "import socket\ntry:\n socket.socket()\n print('open')\nexcept PermissionError:\n print('denied')";
    for (let i = 0; i < 2; i++) {
      const res = await runIn(inheriting, [python, "-c", code], { cwd: w.ws, sandbox: w.policy() });
      expect(res.stdout, res.aggregatedOutput).toBe("denied\n");
    }
    const unix = await runIn(inheriting, [python, "-c", "import socket; socket.socketpair(); print('ok')"], {
      cwd: w.ws,
      sandbox: w.policy(),
    });
    expect(unix.stdout).toBe("ok\n");
  });
});

describe("missing bubblewrap", () => {
  it("fails sandboxed runs with the fix in the message, never runs them unsandboxed", async () => {
    const marker = path.join(w.ws, "ran-unsandboxed");
    const broken = createSandboxedExecRunner(createLocalExecRunner(), { bwrapPath: "/nonexistent/bwrap" });
    await expect(runIn(broken, bash(`touch ${marker}`), { cwd: w.ws, sandbox: w.policy() })).rejects.toThrow(
      SandboxUnavailableError,
    );
    await expect(runIn(broken, bash(`touch ${marker}`), { cwd: w.ws, sandbox: w.policy() })).rejects.toThrow(
      /bubblewrap \(bwrap\) is required for the sandbox: apt-get install bubblewrap/,
    );
    expect(existsSync(marker)).toBe(false);
    const full = await runIn(broken, bash("echo ok"), { cwd: w.ws, sandbox: { mode: "danger-full-access" } });
    expect(full.stdout).toBe("ok\n");
  });

  it("probes bwrap only once per runner", async () => {
    let probes = 0;
    const counted = createSandboxedExecRunner(createLocalExecRunner(), {
      probe: async () => {
        probes += 1;
        return { ok: true };
      },
    });
    for (let i = 0; i < 3; i++) await runIn(counted, ["true"], { cwd: w.ws, sandbox: w.policy() });
    expect(probes).toBe(1);
  });
});
